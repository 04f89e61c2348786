// The kernel log as userspace reads it (kernel/printk/printk.c): /dev/kmsg
// records ("<prio>,<seq>,<usec>,<flags>;<text>", devkmsg_read) from the
// position SEEK_DATA gives (the first record after the last clear, as dmesg
// opens it), and syslog(2)'s actions (do_syslog). One buffer for every
// namespace.
import type { Net } from '../net_namespace.ts';

export const SYSLOG_ACTION_CLOSE = 0;
export const SYSLOG_ACTION_OPEN = 1;
export const SYSLOG_ACTION_READ = 2;
export const SYSLOG_ACTION_READ_ALL = 3;
export const SYSLOG_ACTION_READ_CLEAR = 4;
export const SYSLOG_ACTION_CLEAR = 5;
export const SYSLOG_ACTION_SIZE_BUFFER = 10;

/** LOG_KERN: the facility of every kernel record. */
export const LOG_KERN = 0;

/** /dev/kmsg opened and lseek(SEEK_DATA): every record after the last SYSLOG_ACTION_CLEAR, one devkmsg_read() each. */
export function devkmsg_read_all(net: Net): string[] {
  return net.kernel.kmsg.read().map((r) => `${(LOG_KERN << 3) | r.level},${r.seq},${Math.floor(r.ts / 1000)},-;${r.text}\n`);
}

/** syslog(2) as klogctl() calls it; only the actions dmesg uses. 0 or -EINVAL. */
export function do_syslog(net: Net, type: number): number {
  if (type === SYSLOG_ACTION_CLEAR) {
    net.kernel.kmsg.clear();
    return 0;
  }
  if (type === SYSLOG_ACTION_SIZE_BUFFER) return 1 << 17;
  return -22;
}
