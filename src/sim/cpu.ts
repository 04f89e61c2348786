// The one simulated CPU: bottom-half nesting and pending softirqs, as
// kernel/softirq.c keeps them per CPU. NET_RX raised while BHs are disabled
// runs at the matching local_bh_enable(), on the same CPU (PATHS.md §3).

export const NET_TX_SOFTIRQ = 2;
export const NET_RX_SOFTIRQ = 3;

export type SoftirqHandler = () => void;

export class Cpu {
  /** softirq_count(): >0 while BHs are disabled or a softirq runs. */
  bhDepth = 0;
  inSoftirq = false;
  pending = 0;
  private readonly handlers: (SoftirqHandler | undefined)[] = [];

  openSoftirq(nr: number, fn: SoftirqHandler): void {
    this.handlers[nr] = fn;
  }

  raiseSoftirq(nr: number): void {
    this.pending |= 1 << nr;
  }

  localBhDisable(): void {
    this.bhDepth++;
  }

  localBhEnable(): void {
    this.bhDepth--;
    if (this.bhDepth === 0 && !this.inSoftirq) this.runPendingSoftirqs();
  }

  /** __do_softirq(): runs pending handlers until none is left. */
  runPendingSoftirqs(): void {
    if (this.inSoftirq || this.bhDepth > 0) return;
    let guard = 0;
    while (this.pending !== 0) {
      this.inSoftirq = true;
      const p = this.pending;
      this.pending = 0;
      for (let nr = 0; nr < 10; nr++) {
        if (p & (1 << nr)) this.handlers[nr]?.();
      }
      this.inSoftirq = false;
      if (++guard > 1_000_000) throw new Error('softirq storm');
    }
  }

  /** Runs fn as a timer softirq handler (in_softirq), then what it raised. */
  runInSoftirq<T>(fn: (arg: T) => void, arg: T): void {
    const was = this.inSoftirq;
    this.inSoftirq = true;
    try {
      fn(arg);
    } finally {
      this.inSoftirq = was;
    }
    this.runPendingSoftirqs();
  }
}
