// The engine: virtual clock (ns), the event queue, the CPU, the scheduler and
// the seeded RNG. Nothing here reads the host's clock or randomness.
import { type Cpu, Smp } from './cpu.ts';
import { MemoryBudget } from './memory.ts';
import { EventQueue, type EventFn, type Timer } from './events.ts';
import { Rng } from './rng.ts';
import { BudgetExceeded, InternalError, isEngineLimit, stopsRun } from './errors.ts';
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
  /** CPU time (virtual ns) one process may use without ever blocking: an endless loop stops here. */
  maxBusyNs?: number;
  /** Wall-clock time of the real process running the simulation, in ms (checked only with a HostMeter). */
  maxWallMs?: number;
  /** Resident set size of the real process, in bytes (checked only with a HostMeter). */
  maxRssBytes?: number;
}

/**
 * The real process's clock and resident memory, injected by the host (the
 * command line passes performance.now and process.memoryUsage.rss): the
 * simulation never reads them itself, so without a meter a run stays exactly
 * reproducible and only the virtual budgets apply.
 */
export interface HostMeter {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Resident set size in bytes. */
  rss(): number;
}

/** Events between two readings of the host meter. */
const HOST_CHECK_EVERY = 1024;

export const DEFAULT_BUDGET: Budget = {
  maxEvents: 20_000_000,
  maxVirtualNs: 3600 * NSEC_PER_SEC,
  maxTasks: 4096,
  maxMemoryBytes: 256 * 1024 * 1024,
  maxBusyNs: 5 * NSEC_PER_SEC,
  maxWallMs: 600_000,
  maxRssBytes: 1024 * 1024 * 1024,
};

export { BudgetExceeded, InternalError, stopsRun } from './errors.ts';

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
  /** The host's clock and RSS (null: not checked), and the host time the run started at. */
  private host: HostMeter | null = null;
  private hostStart = 0;

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
    const maxBusy = budget.maxBusyNs ?? DEFAULT_BUDGET.maxBusyNs ?? 5 * NSEC_PER_SEC;
    this.sched.onBusy = (t) => {
      if (t.busyNs >= maxBusy) {
        throw new BudgetExceeded(
          'busy',
          `skbpath: CPU budget of ${maxBusy / NSEC_PER_SEC} s exhausted at t=${this.at()}s: ${t.comm} (pid ${t.pid}) ran that long without blocking (an endless loop?)`,
        );
      }
    };
  }

  private at(): string {
    return (this.clock.now / NSEC_PER_SEC).toFixed(6);
  }

  /** Starts checking the real process's wall time and RSS against the budget. */
  meter(host: HostMeter): void {
    this.host = host;
    this.hostStart = host.now();
    this.mem.onGrow = () => this.checkHost();
  }

  /** The wall-clock and RSS budgets (only with a HostMeter). */
  checkHost(): void {
    const h = this.host;
    if (!h) return;
    const maxWall = this.budget.maxWallMs ?? DEFAULT_BUDGET.maxWallMs ?? 600_000;
    if (h.now() - this.hostStart > maxWall) {
      throw new BudgetExceeded('wall', `skbpath: wall-clock budget of ${fmtSeconds(maxWall / 1000)} s exhausted at t=${this.at()}s`);
    }
    const maxRss = this.budget.maxRssBytes ?? DEFAULT_BUDGET.maxRssBytes ?? 1024 * 1024 * 1024;
    const rss = h.rss();
    if (rss > maxRss) {
      throw new BudgetExceeded(
        'rss',
        `skbpath: process memory budget of ${fmtMiB(maxRss)} exhausted at t=${this.at()}s: skbpath's resident set is ${fmtMiB(rss)}`,
      );
    }
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

  /**
   * Runs events until `done()` holds or the queue empties; the virtual-time
   * budget counts from `start` (a run done in slices passes its first start).
   */
  runUntil(done: () => boolean, start = this.clock.now): void {
    while (!done()) {
      const t = this.events.pop();
      if (!t) return;
      if (t.expires > this.clock.now) this.clock.now = t.expires;
      if (this.clock.now - start > this.budget.maxVirtualNs) {
        throw new BudgetExceeded('time', `skbpath: virtual time budget of ${this.budget.maxVirtualNs / NSEC_PER_SEC} s exhausted`);
      }
      this.countEvent();
      try {
        t.fn(t.arg);
      } catch (e) {
        // a task's errors are already its own; what a timer or softirq throws is the kernel's
        if (stopsRun(e) || isEngineLimit(e)) throw e;
        throw new InternalError('the kernel', e);
      }
    }
  }

  /**
   * After a budget or an error stopped the run: no budget applies to what is
   * left to do (the artifacts' `ip -s link`, `nstat`), so it cannot stop again.
   */
  unlimit(): void {
    this.budget = { maxEvents: Infinity, maxVirtualNs: Infinity, maxTasks: Infinity, maxBusyNs: Infinity };
    this.host = null;
    this.mem.onGrow = null;
    this.sched.onSpawn = null;
    this.sched.onBusy = null;
  }

  /** The CPU spends `ns` on work: the clock moves on while it runs. */
  spend(ns: number): void {
    this.clock.now += ns;
  }

  /** Counts one unit of work (an event, a packet received) against the budget. */
  countEvent(): void {
    if (this.host && this.eventsRun % HOST_CHECK_EVERY === 0) this.checkHost();
    if (++this.eventsRun > this.budget.maxEvents) {
      const loop = this.describeLoop();
      throw new BudgetExceeded(
        'events',
        `skbpath: event budget of ${this.budget.maxEvents} events exhausted at t=${(this.clock.now / NSEC_PER_SEC).toFixed(6)}s` +
          (loop ? `: ${loop}` : ''),
      );
    }
  }

  /**
   * Runs events until the task exits. When none is left while it is still
   * blocked, nothing can ever wake it (every task waits and no timer is
   * pending): the run ends with a report of who waits for what.
   */
  runTask(t: Task): void {
    this.runUntil(() => t.state === 'exited');
    if (t.state !== 'exited') throw this.deadlock();
  }

  /** The deadlock report: every live task and what it is blocked on. */
  deadlock(): BudgetExceeded {
    const lines: string[] = [];
    for (const t of this.sched.tasks) {
      if (t.state !== 'blocked') continue;
      lines.push(`${t.program || t.comm} (pid ${t.pid}) ${waitText(t)}`);
    }
    const shown = lines.length > 8 ? [...lines.slice(0, 8), `and ${lines.length - 8} more`] : lines;
    return new BudgetExceeded(
      'deadlock',
      `skbpath: deadlock at t=${this.at()}s: every process is blocked and no timer is pending: ${shown.join('; ')}`,
    );
  }
}

/** What a blocked task waits for, as the deadlock report says it. */
function waitText(t: Task): string {
  const w = t.waiting;
  if (!w) return 'is blocked';
  switch (w.kind) {
    case 'wq':
      return `waits for ${w.wq.what}`;
    case 'poll':
      return `waits in poll() for ${[...new Set(w.wqs.map((q) => q.what))].join(' or ')}`;
    case 'child':
      return `waits for pid ${w.task.pid} (${w.task.program || w.task.comm})`;
    default:
      return 'is blocked';
  }
}

function fmtSeconds(s: number): string {
  return Number.isInteger(s) ? String(s) : s.toFixed(3);
}

function fmtMiB(b: number): string {
  return `${Math.round(b / (1024 * 1024))} MiB`;
}

interface SoftirqTimerArg<T> {
  sim: Sim;
  fn: EventFn<T>;
  arg: T;
}

function softirqTimer(a: SoftirqTimerArg<unknown>): void {
  a.sim.cpu.runInSoftirq(a.fn, a.arg);
}
