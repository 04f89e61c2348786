// fs/seq_file.c and the printk formats the /proc/net tables use: seq_setwidth()
// + seq_pad() (a record padded with spaces to a fixed width), %08X of a __be32
// as a little-endian machine prints it, %pK (a hashed pointer), and
// jiffies_to_clock_t() (USER_HZ 100).

/** seq_setwidth(width) … seq_pad(' ', '\n'): the record padded to `width` characters, then a newline. */
export function seq_pad(record: string, width: number): string {
  return `${record.padEnd(width)}\n`;
}

/** %0Nx / %0NX of an unsigned value. */
export function hex(v: number, width: number, upper = true): string {
  const s = (v >>> 0).toString(16).padStart(width, '0');
  return upper ? s.toUpperCase() : s;
}

/** %08X of a __be32 (an IPv4 address held in host order) on a little-endian machine: its bytes reversed. */
export function be32(addr: number): string {
  const a = addr >>> 0;
  return hex(((a & 0xff) << 24) | (((a >>> 8) & 0xff) << 16) | (((a >>> 16) & 0xff) << 8) | (a >>> 24), 8);
}

/**
 * %pK with kptr_restrict 0: the pointer hashed with the boot's siphash key, a
 * 32-bit value printed in 16 digits. skbpath hashes the object's id (a socket's
 * cookie or inode) with a fixed key: stable across runs, unlike Linux's.
 */
export function pK(id: number): string {
  let h = (Math.imul(id ^ 0x5bd1e995, 0x9e3779b1) ^ 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = (h ^ (h >>> 12)) >>> 0;
  return hex(h, 16, false);
}

/** jiffies_to_clock_t(): jiffies at HZ as USER_HZ (100) ticks. */
export function jiffies_to_clock_t(j: number, hz: number): number {
  return Math.trunc((j * 100) / hz);
}

/** jiffies_delta_to_clock_t(): a negative delta (a timer already due) is 0. */
export function jiffies_delta_to_clock_t(delta: number, hz: number): number {
  return delta <= 0 ? 0 : jiffies_to_clock_t(delta, hz);
}
