// The simulated CPUs: bottom-half nesting and pending softirqs per CPU, as
// kernel/softirq.c keeps them. NET_RX raised while BHs are disabled runs at
// the matching local_bh_enable(), on the same CPU (PATHS.md §3).
// handle_softirqs() restarts at most MAX_SOFTIRQ_RESTART times within
// MAX_SOFTIRQ_TIME; what is still pending then goes to that CPU's ksoftirqd/N.
//
// There are N CPUs (`skbpath run --cpus N`, default 1) but one virtual clock
// and one event heap: CPUs never run at the same virtual instant. Work on any
// CPU advances the one clock. What the model keeps right is which CPU's
// softirq state, softnet_data, budget and counters a packet goes through.
// Tasks run on CPU 0 unless `taskset` put them elsewhere (Task.cpu; the
// scheduler never migrates a task itself); kernel timers fire on CPU 0. A CPU
// with no task runs interrupt work (an IPI, a device interrupt routed to it)
// and its softirqs as the idle task, or as its ksoftirqd/N.
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
/** From smp_call_function_single_async() on one CPU to the IPI handler on another. */
export const IPI_LATENCY_NS = 2_000;

export type SoftirqHandler = () => void;

interface SimLike {
  readonly clock: { now: number };
  readonly events: EventQueue;
  readonly sched: Scheduler;
}

/** The machine's CPUs and which one the code running now is on (smp_processor_id()). */
export class Smp {
  readonly cpus: Cpu[] = [];
  /** smp_processor_id() */
  cur = 0;
  /** Softirq handlers, shared by every CPU (open_softirq). */
  readonly handlers: (SoftirqHandler | undefined)[] = [];

  constructor(n: number) {
    for (let i = 0; i < n; i++) this.cpus.push(new Cpu(this, i));
  }

  get nrCpuIds(): number {
    return this.cpus.length;
  }

  /** this_cpu */
  get current(): Cpu {
    return this.cpus[this.cur] as Cpu;
  }

  /**
   * Runs fn on CPU `id` as interrupt work (a device IRQ routed there, an IPI):
   * then irq_exit() → invoke_softirq() on that CPU. A CPU other than 0 runs it
   * in the idle task's context (no current task).
   */
  runOnCpu<T>(sim: SimLike, id: number, fn: (arg: T) => void, arg: T): void {
    const cpu = this.cpus[id] ?? (this.cpus[0] as Cpu);
    const prevCur = this.cur;
    const prevTask = sim.sched.current;
    this.cur = cpu.id;
    if (cpu.id !== prevCur) sim.sched.current = null;
    try {
      fn(arg);
      cpu.runPendingSoftirqs();
    } finally {
      this.cur = prevCur;
      sim.sched.current = prevTask;
    }
  }

  /** smp_call_function_single_async(): fn runs on CPU `id` after the IPI's latency. */
  sendIpi<T>(sim: SimLike, id: number, fn: (arg: T) => void, arg: T): void {
    sim.events.at(
      sim.clock.now + IPI_LATENCY_NS,
      runIpi as (a: IpiArg<unknown>) => void,
      { smp: this, sim, id, fn, arg } as IpiArg<unknown>,
    );
  }
}

interface IpiArg<T> {
  smp: Smp;
  sim: SimLike;
  id: number;
  fn: (arg: T) => void;
  arg: T;
}

function runIpi(a: IpiArg<unknown>): void {
  a.smp.runOnCpu(a.sim, a.id, a.fn, a.arg);
}

export class Cpu {
  /** softirq_count(): >0 while BHs are disabled or a softirq runs. */
  bhDepth = 0;
  inSoftirq = false;
  pending = 0;
  /** Times handle_softirqs() handed its leftovers to ksoftirqd. */
  ksoftirqdWakeups = 0;
  private sim: SimLike | null = null;
  private ksoftirqd: Task | null = null;
  private ksoftirqdQueued = false;

  constructor(
    readonly smp: Smp,
    readonly id: number,
  ) {}

  openSoftirq(nr: number, fn: SoftirqHandler): void {
    this.smp.handlers[nr] = fn;
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
   * Gives the CPU a clock and a ksoftirqd thread (smpboot's ksoftirqd/N).
   * Until then softirqs restart until none is pending, as before NAPI devices existed.
   */
  attachKsoftirqd(sim: SimLike): void {
    if (this.sim) return;
    this.sim = sim;
    this.ksoftirqd = new Task(
      sim.sched,
      14 + 8 * this.id,
      `ksoftirqd/${this.id}`,
      (function* () {
        return 0;
      })(),
    );
  }

  /** do_softirq() / invoke_softirq(): runs pending handlers, at most MAX_SOFTIRQ_RESTART rounds. */
  runPendingSoftirqs(): void {
    if (this.inSoftirq || this.bhDepth > 0 || this.pending === 0) return;
    this.handleSoftirqs();
  }

  /** handle_softirqs(): the handlers run with this CPU as smp_processor_id(). */
  private handleSoftirqs(): void {
    const sim = this.sim;
    const smp = this.smp;
    const end = sim ? Math.floor(sim.clock.now / JIFFY_NS) + 1 : 0;
    let maxRestart = MAX_SOFTIRQ_RESTART;
    let guard = 0;
    const prevCur = smp.cur;
    smp.cur = this.id;
    this.inSoftirq = true;
    try {
      for (;;) {
        const p = this.pending;
        this.pending = 0;
        for (let nr = 0; nr < 10; nr++) {
          if (p & (1 << nr)) smp.handlers[nr]?.();
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
      smp.cur = prevCur;
    }
  }

  /** wakeup_softirqd(): ksoftirqd/N runs what is left once the scheduler gets to it. */
  private wakeupSoftirqd(): void {
    const sim = this.sim;
    if (!sim || this.ksoftirqdQueued) return;
    this.ksoftirqdQueued = true;
    this.ksoftirqdWakeups++;
    sim.events.at(sim.clock.now + KSOFTIRQD_WAKEUP_NS, runKsoftirqd, this);
  }

  /** run_ksoftirqd(): handle_softirqs(true) in ksoftirqd/N's context on CPU N. */
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
    const prevCur = this.smp.cur;
    this.smp.cur = this.id;
    this.inSoftirq = true;
    try {
      fn(arg);
    } finally {
      this.inSoftirq = was;
      this.smp.cur = prevCur;
    }
    this.runPendingSoftirqs();
  }
}

function runKsoftirqd(cpu: Cpu): void {
  cpu.runKsoftirqd();
}
