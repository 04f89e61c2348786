// kernel/printk: the kernel's log ring buffer, shared by every namespace
// (dmesg inside a namespace reads the same buffer as on the host).

export const LOGLEVEL_EMERG = 0;
export const LOGLEVEL_ALERT = 1;
export const LOGLEVEL_CRIT = 2;
export const LOGLEVEL_ERR = 3;
export const LOGLEVEL_WARNING = 4;
export const LOGLEVEL_NOTICE = 5;
export const LOGLEVEL_INFO = 6;
export const LOGLEVEL_DEBUG = 7;

/** One record of /dev/kmsg: facility 0 (kern), a level, the time since boot. */
export interface KmsgRecord {
  readonly seq: number;
  /** ns since boot. */
  readonly ts: number;
  readonly level: number;
  readonly text: string;
}

/** The ring buffer (log_buf): CONFIG_LOG_BUF_SHIFT=17 keeps about 128 KiB of text. */
export class Kmsg {
  private readonly records: KmsgRecord[] = [];
  private seq = 0;
  private bytes = 0;
  /** syslog(SYSLOG_ACTION_CLEAR): what dmesg -c/-C no longer shows. */
  private clearSeq = 0;
  static readonly LOG_BUF_LEN = 1 << 17;

  constructor(private readonly now: () => number) {}

  /** printk(): one line; a trailing newline ends the record. */
  printk(level: number, text: string): void {
    const line = text.endsWith('\n') ? text.slice(0, -1) : text;
    this.records.push({ seq: this.seq++, ts: this.now(), level, text: line });
    this.bytes += line.length + 16;
    while (this.bytes > Kmsg.LOG_BUF_LEN && this.records.length > 1) {
      const r = this.records.shift() as KmsgRecord;
      this.bytes -= r.text.length + 16;
    }
  }

  /** The records dmesg would read (those after the last clear). */
  read(): readonly KmsgRecord[] {
    const from = this.clearSeq;
    return this.records.filter((r) => r.seq >= from);
  }

  clear(): void {
    this.clearSeq = this.seq;
  }
}
