// The one simulated CPU: bottom-half nesting and pending softirqs, as
// kernel/softirq.c keeps them per CPU. NET_RX raised while BHs are disabled
// runs at the matching local_bh_enable(), on the same CPU (PATHS.md §3).
// handle_softirqs() restarts at most MAX_SOFTIRQ_RESTART times within
// MAX_SOFTIRQ_TIME; what is still pending then goes to ksoftirqd/0.
import type { EventQueue } from './events.ts';
import { Task, type Scheduler } from './sched.ts';

export const NET_TX_SOFTIRQ = 2;
export const NET_RX_SOFTIRQ = 3;

/** MAX_SOFTIRQ_RESTART */
export const MAX_SOFTIRQ_RESTART = 10;
/** One jiffy at HZ=250, in ns: MAX_SOFTIRQ_TIME is msecs_to_jiffies(2) = 1 jiffy. */
const JIFFY_NS = 4_000_000;
/** From wakeup_softirqd() to ksoftirqd running (the scheduler's latency). */
const KSOFTIRQD_WAKEUP_NS = 6_000;

export type SoftirqHandler = () => void;

interface SimLike {
  readonly clock: { now: number };
  readonly events: EventQueue;
  readonly sched: Scheduler;
}

export class Cpu {
  /** softirq_count(): >0 while BHs are disabled or a softirq runs. */
  bhDepth = 0;
  inSoftirq = false;
  pending = 0;
  /** Times handle_softirqs() handed its leftovers to ksoftirqd. */
  ksoftirqdWakeups = 0;
  private readonly handlers: (SoftirqHandler | undefined)[] = [];
  private sim: SimLike | null = null;
  private ksoftirqd: Task | null = null;
  private ksoftirqdQueued = false;

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

  /**
   * Gives the CPU a clock and a ksoftirqd thread (smpboot's ksoftirqd/0).
   * Until then softirqs restart until none is pending, as before NAPI devices existed.
   */
  attachKsoftirqd(sim: SimLike): void {
    if (this.sim) return;
    this.sim = sim;
    this.ksoftirqd = new Task(sim.sched, 14, 'ksoftirqd/0', (function* () {
      return 0;
    })());
  }

  /** do_softirq() / invoke_softirq(): runs pending handlers, at most MAX_SOFTIRQ_RESTART rounds. */
  runPendingSoftirqs(): void {
    if (this.inSoftirq || this.bhDepth > 0 || this.pending === 0) return;
    this.handleSoftirqs();
  }

  /** handle_softirqs() */
  private handleSoftirqs(): void {
    const sim = this.sim;
    const end = sim ? Math.floor(sim.clock.now / JIFFY_NS) + 1 : 0;
    let maxRestart = MAX_SOFTIRQ_RESTART;
    let guard = 0;
    this.inSoftirq = true;
    try {
      for (;;) {
        const p = this.pending;
        this.pending = 0;
        for (let nr = 0; nr < 10; nr++) {
          if (p & (1 << nr)) this.handlers[nr]?.();
        }
        if (this.pending === 0) break;
        if (sim) {
          if (Math.floor(sim.clock.now / JIFFY_NS) < end && --maxRestart) continue;
          this.wakeupSoftirqd();
          break;
        }
        if (++guard > 1_000_000) throw new Error('softirq storm');
      }
    } finally {
      this.inSoftirq = false;
    }
  }

  /** wakeup_softirqd(): ksoftirqd/0 runs what is left once the scheduler gets to it. */
  private wakeupSoftirqd(): void {
    const sim = this.sim;
    if (!sim || this.ksoftirqdQueued) return;
    this.ksoftirqdQueued = true;
    this.ksoftirqdWakeups++;
    sim.events.at(sim.clock.now + KSOFTIRQD_WAKEUP_NS, runKsoftirqd, this);
  }

  /** run_ksoftirqd(): handle_softirqs(true) in ksoftirqd/0's context. */
  runKsoftirqd(): void {
    this.ksoftirqdQueued = false;
    const sim = this.sim;
    if (!sim || this.pending === 0 || this.inSoftirq || this.bhDepth > 0) return;
    const prev = sim.sched.current;
    sim.sched.current = this.ksoftirqd;
    try {
      this.handleSoftirqs();
    } finally {
      sim.sched.current = prev;
    }
    // still pending: ksoftirqd stays runnable behind the tasks that were waiting
    if (this.pending !== 0) this.wakeupSoftirqd();
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

function runKsoftirqd(cpu: Cpu): void {
  cpu.runKsoftirqd();
}
