// The engine: virtual clock (ns), the event queue, the CPU, the scheduler and
// the seeded RNG. Nothing here reads the host's clock or randomness.
import { type Cpu, Smp } from './cpu.ts';
import { MemoryBudget } from './memory.ts';
import { EventQueue, type EventFn, type Timer } from './events.ts';
import { Rng } from './rng.ts';
import { Scheduler, type Task } from './sched.ts';

export const NSEC_PER_SEC = 1_000_000_000;
export const NSEC_PER_MSEC = 1_000_000;
export const NSEC_PER_USEC = 1_000;

/** Limits that stop a run-away simulation (a packet loop, a process that never ends). */
export interface Budget {
  /** Events processed in one run. */
  maxEvents: number;
  /** Virtual time one run may cover, in ns. */
  maxVirtualNs: number;
  /** Processes alive at once (a fork flood of background jobs stops here). */
  maxTasks?: number;
  /** Bytes of what Linux would not bound (files written, pipes, shell variables, captures): src/sim/memory.ts. */
  maxMemoryBytes?: number;
}

export const DEFAULT_BUDGET: Budget = {
  maxEvents: 20_000_000,
  maxVirtualNs: 3600 * NSEC_PER_SEC,
  maxTasks: 4096,
  maxMemoryBytes: 256 * 1024 * 1024,
};

export class BudgetExceeded extends Error {
  constructor(
    readonly what: 'events' | 'time' | 'tasks' | 'memory',
    readonly detail: string,
  ) {
    super(detail);
  }
}

export class Sim {
  readonly clock = { now: 0 };
  readonly events = new EventQueue();
  /** The CPUs (`--cpus N`); `cpu` is the one the running code is on. */
  readonly smp: Smp;
  readonly sched: Scheduler;
  readonly rng: Rng;
  /** Wall-clock epoch that virtual time 0 maps to (for pcap stamps), in ns. */
  epochNs = 1_764_000_000 * NSEC_PER_SEC;
  budget: Budget;
  eventsRun = 0;
  /** The memory budget's account. */
  readonly mem: MemoryBudget;
  /** Called to describe what is looping when the event budget runs out. */
  describeLoop: () => string = () => '';

  /** The seed the run was started with (net_get_random_once() secrets derive from it). */
  readonly seed: number;

  constructor(seed = 1, budget: Budget = DEFAULT_BUDGET, ncpus = 1) {
    this.seed = seed;
    this.smp = new Smp(Math.max(1, Math.floor(ncpus)));
    this.rng = new Rng(seed);
    this.budget = budget;
    this.mem = new MemoryBudget(budget.maxMemoryBytes ?? DEFAULT_BUDGET.maxMemoryBytes ?? 256 * 1024 * 1024, () => this.clock.now);
    this.sched = new Scheduler(this.events, this.clock, this.smp);
    const maxTasks = budget.maxTasks ?? DEFAULT_BUDGET.maxTasks ?? 4096;
    this.sched.onSpawn = (alive) => {
      if (alive > maxTasks) {
        throw new BudgetExceeded(
          'tasks',
          `skbpath: process budget of ${maxTasks} processes exhausted at t=${(this.clock.now / NSEC_PER_SEC).toFixed(6)}s: too many processes alive at once (a fork flood?)`,
        );
      }
    };
  }

  /** this_cpu: the CPU the running code is on (tasks run on CPU 0). */
  get cpu(): Cpu {
    return this.smp.current;
  }

  /** Runs fn as interrupt work on CPU `id`, then that CPU's pending softirqs. */
  runOnCpu<T>(id: number, fn: (arg: T) => void, arg: T): void {
    this.smp.runOnCpu(this, id, fn, arg);
  }

  get now(): number {
    return this.clock.now;
  }

  /** A kernel timer: fires in softirq context. */
  timer<T>(fn: EventFn<T>, arg: T): Timer {
    return EventQueue.timer(softirqTimer as EventFn<SoftirqTimerArg<unknown>>, { sim: this, fn, arg } as SoftirqTimerArg<unknown>);
  }

  modTimer(t: Timer, at: number): void {
    this.events.arm(t, at);
  }

  delTimer(t: Timer): boolean {
    return this.events.cancel(t);
  }

  /** Runs events until `done()` holds or the queue empties. */
  runUntil(done: () => boolean): void {
    const start = this.clock.now;
    while (!done()) {
      const t = this.events.pop();
      if (!t) return;
      if (t.expires > this.clock.now) this.clock.now = t.expires;
      if (this.clock.now - start > this.budget.maxVirtualNs) {
        throw new BudgetExceeded('time', `skbpath: virtual time budget of ${this.budget.maxVirtualNs / NSEC_PER_SEC} s exhausted`);
      }
      this.countEvent();
      t.fn(t.arg);
    }
  }

  /** The CPU spends `ns` on work: the clock moves on while it runs. */
  spend(ns: number): void {
    this.clock.now += ns;
  }

  /** Counts one unit of work (an event, a packet received) against the budget. */
  countEvent(): void {
    if (++this.eventsRun > this.budget.maxEvents) {
      const loop = this.describeLoop();
      throw new BudgetExceeded(
        'events',
        `skbpath: event budget of ${this.budget.maxEvents} events exhausted at t=${(this.clock.now / NSEC_PER_SEC).toFixed(6)}s` +
          (loop ? `: ${loop}` : ''),
      );
    }
  }

  runTask(t: Task): void {
    this.runUntil(() => t.state === 'exited');
  }
}

interface SoftirqTimerArg<T> {
  sim: Sim;
  fn: EventFn<T>;
  arg: T;
}

function softirqTimer(a: SoftirqTimerArg<unknown>): void {
  a.sim.cpu.runInSoftirq(a.fn, a.arg);
}
