// Processes in virtual time. A process is a generator that yields what it
// waits for; the scheduler resumes it from the event queue, so a 5 s timeout
// costs no wall time and every run with the same seed is the same.
import { InternalError, isEngineLimit, stopsRun } from './errors.ts';
import { EventQueue, type Timer } from './events.ts';
import type { Smp } from './cpu.ts';

export const WAKE_OK = 1;
export const WAKE_TIMEOUT = 0;

export type Wait =
  | { readonly kind: 'sleep'; readonly ns: number }
  /** Resumes with WAKE_OK when woken, WAKE_TIMEOUT after timeoutNs (negative: never). */
  | { readonly kind: 'wq'; readonly wq: WaitQueue; readonly timeoutNs: number }
  /** poll(): resumes with WAKE_OK when any of the queues is woken. */
  | { readonly kind: 'poll'; readonly wqs: readonly WaitQueue[]; readonly timeoutNs: number }
  /** Resumes with the child's exit status. */
  | { readonly kind: 'child'; readonly task: Task }
  /** Lets every other runnable task go first (a step of a loop: counted against the task's slice). */
  | { readonly kind: 'yield' }
  /** cond_resched(): the task was preempted at the tick (see Scheduler.needResched); other work due runs first. */
  | { readonly kind: 'preempt' };

export type Proc = Generator<Wait, number, unknown>;

export const sleep = (ns: number): Wait => ({ kind: 'sleep', ns });
export const waitOn = (wq: WaitQueue, timeoutNs = -1): Wait => ({ kind: 'wq', wq, timeoutNs });
export const waitAny = (wqs: readonly WaitQueue[], timeoutNs = -1): Wait => ({ kind: 'poll', wqs, timeoutNs });
export const waitChild = (task: Task): Wait => ({ kind: 'child', task });
export const yieldCpu: Wait = { kind: 'yield' };
export const preempt: Wait = { kind: 'preempt' };

/** One scheduler tick at HZ=250, in ns: how long a task runs before the tick can preempt it. */
export const TICK_NS = 4_000_000;
/**
 * Steps (loop iterations, yields) a task takes in one tick when it does no
 * work that costs virtual time itself: a busy task that never blocks uses at
 * least one tick of CPU per SLICE_STEPS steps (4 µs a step, as bash spends on
 * an empty loop), so timers, `timeout` and `kill` reach it.
 */
export const SLICE_STEPS = 1000;

export class WaitQueue {
  waiters: Task[] = [];

  /** @param latency virtual ns from wake_up() to the woken task running */
  /**
   * @param latency virtual ns from wake_up() to the woken task running
   * @param what what a task blocked here waits for, as a deadlock report names it
   */
  constructor(
    readonly latency = 0,
    readonly what = 'an event',
  ) {}

  /** wake_up(): every waiter becomes runnable. */
  wakeUp(): void {
    if (this.waiters.length === 0) return;
    const w = this.waiters;
    this.waiters = [];
    for (const t of w) t.sched.wake(t, WAKE_OK, this.latency);
  }
}

export type TaskState = 'runnable' | 'blocked' | 'exited';

export class Task {
  state: TaskState = 'runnable';
  exitStatus = 0;
  /** Tasks waiting for this one to exit. */
  readonly exitWaiters: Task[] = [];
  blockedOn: WaitQueue[] = [];
  readonly timer: Timer;
  /** The program running in the task now (what `ps` and traces call comm). */
  comm: string;
  /** Cleanups run when the task exits (sockets closed, ...). */
  readonly onExit: (() => void)[] = [];
  /** It has been on the CPU (a forked child sets its signal dispositions when it first runs). */
  ran = false;
  /** The signal that ended it (WTERMSIG), 0 when it exited. */
  termsig = 0;
  /** Signals the running program catches (sigaction): the rest act as their default. */
  handles: ReadonlySet<number> | null = null;
  /** The CPU it runs on (0 unless sched_setaffinity, `taskset`, put it elsewhere; a fork inherits it). */
  cpu = 0;
  /** What it is blocked on (for a deadlock report); null while runnable. */
  waiting: Wait | null = null;
  /** The program it last yielded in ('' for the shell itself): a deadlock report names it. */
  program = '';
  /** Steps taken since it last blocked, and the virtual time its current slice of SLICE_STEPS began. */
  steps = 0;
  sliceStart = 0;
  /** CPU time it has been charged since it last blocked (ns): the busy-loop budget's account. */
  busyNs = 0;
  /** Virtual time it last got the CPU (needResched()). */
  ranSince = 0;

  constructor(
    readonly sched: Scheduler,
    readonly pid: number,
    readonly name: string,
    readonly gen: Proc,
  ) {
    this.timer = EventQueue.timer(resumeTimeout, this);
    this.comm = name;
  }
}

/** Takes a task off every wait queue it sleeps on. */
function unblock(t: Task): void {
  for (const q of t.blockedOn) {
    const i = q.waiters.indexOf(t);
    if (i >= 0) q.waiters.splice(i, 1);
  }
  t.blockedOn = [];
}

function resumeTimeout(t: Task): void {
  t.sched.timeout(t);
}

function resumeEvent(arg: { t: Task; v: unknown }): void {
  arg.t.sched.step(arg.t, arg.v);
}

export class Scheduler {
  /** Processes get 4-digit pids, as on a machine some time after boot (bash pads them to 5 in job reports). */
  private nextPid = 1000;
  /** The task on the CPU (null between tasks: timers and softirqs). */
  current: Task | null = null;
  /** Tasks spawned and not yet exited. */
  alive = 0;
  /** Checks a limit on live tasks (the Sim's budget). */
  onSpawn: ((alive: number) => void) | null = null;
  /** Tasks spawned and not yet exited, in pid order. */
  readonly tasks = new Set<Task>();
  /** Called when a task has run `busyNs` of CPU without blocking (the Sim's busy-loop budget). */
  onBusy: ((t: Task) => void) | null = null;

  constructor(
    readonly events: EventQueue,
    readonly clock: { now: number },
    readonly smp: Smp,
  ) {}

  /**
   * sched_setaffinity() for the running task: it moves to `cpu` at once (its
   * old CPU's pending softirqs run first). The scheduler never migrates a task
   * by itself.
   */
  setCpu(t: Task, cpu: number): void {
    if (t.cpu === cpu) return;
    this.smp.cpus[t.cpu]?.runPendingSoftirqs();
    t.cpu = cpu;
    if (this.current === t) this.smp.cur = cpu;
  }

  /** Starts a process; it first runs from the event queue, after the current event. */
  spawn(name: string, gen: Proc): Task {
    this.alive++;
    this.onSpawn?.(this.alive);
    const t = new Task(this, this.nextPid++, name, gen);
    this.tasks.add(t);
    if (this.current) t.cpu = this.current.cpu;
    this.events.at(this.clock.now, resumeEvent, { t, v: undefined });
    return t;
  }

  wake(t: Task, v: number, latency = 0): void {
    if (t.state !== 'blocked') return;
    unblock(t);
    this.events.cancel(t.timer);
    t.state = 'runnable';
    t.waiting = null;
    this.events.at(this.clock.now + latency, resumeEvent, { t, v });
  }

  timeout(t: Task): void {
    if (t.state !== 'blocked') return;
    unblock(t);
    t.state = 'runnable';
    t.waiting = null;
    this.step(t, WAKE_TIMEOUT);
  }

  /** Runs a task until it blocks or exits. Process context: softirqs raised inside run at its end. */
  step(t: Task, value: unknown): void {
    if (t.state === 'exited') return;
    const v = value;
    const prev = this.current;
    const prevCpu = this.smp.cur;
    this.current = t;
    this.smp.cur = t.cpu;
    t.ranSince = this.clock.now;
    try {
      this.run(t, v);
    } catch (e) {
      // what a task did not catch ends the run: a budget as it is, the rest as its internal error
      if (stopsRun(e) || isEngineLimit(e)) throw e;
      throw new InternalError(t.comm, e);
    } finally {
      this.current = prev;
      this.smp.cur = prevCpu;
    }
  }

  /**
   * need_resched(): the running task has had the CPU for a tick and other
   * work is due (a timer, a woken task): a loop that never blocks calls this
   * at its cond_resched() points and yields `preempt` when it holds.
   */
  needResched(): boolean {
    const t = this.current;
    return t !== null && this.clock.now - t.ranSince >= TICK_NS && this.events.peekTime() <= this.clock.now;
  }

  private run(t: Task, value: unknown): void {
    t.ran = true;
    let v = value;
    for (;;) {
      let r: IteratorResult<Wait, number>;
      t.program = '';
      try {
        r = t.gen.next(v);
      } catch (e) {
        this.smp.cpus[t.cpu]?.runPendingSoftirqs();
        throw e;
      }
      if (r.done) {
        this.smp.cpus[t.cpu]?.runPendingSoftirqs();
        this.exit(t, r.value);
        return;
      }
      // the task is on its wait queue before the softirqs it raised run, as
      // prepare_to_wait() comes before the condition is checked: a wakeup
      // they deliver (a reply on loopback, a frame through a bridge) reaches it
      const w = r.value;
      if (w.kind === 'child' && w.task.state === 'exited') {
        this.smp.cpus[t.cpu]?.runPendingSoftirqs();
        v = w.task.exitStatus;
        continue;
      }
      this.block(t, w);
      this.smp.cpus[t.cpu]?.runPendingSoftirqs();
      return;
    }
  }

  /** Puts a task to sleep on what it yielded (or back in the queue for a yield). */
  private block(t: Task, w: Wait): void {
    switch (w.kind) {
      case 'sleep':
        this.blocked(t, w);
        this.events.arm(t.timer, this.clock.now + Math.max(0, w.ns));
        return;
      case 'wq':
      case 'poll': {
        this.blocked(t, w);
        const qs = w.kind === 'wq' ? [w.wq] : w.wqs;
        t.blockedOn = [...qs];
        for (const q of qs) q.waiters.push(t);
        if (w.timeoutNs >= 0) this.events.arm(t.timer, this.clock.now + w.timeoutNs);
        return;
      }
      case 'child':
        this.blocked(t, w);
        w.task.exitWaiters.push(t);
        return;
      case 'yield':
        this.busyStep(t);
        this.events.at(this.clock.now, resumeEvent, { t, v: undefined });
        return;
      case 'preempt':
        this.events.at(this.clock.now, resumeEvent, { t, v: undefined });
        return;
    }
  }

  private blocked(t: Task, w: Wait): void {
    t.state = 'blocked';
    t.waiting = w;
    t.steps = 0;
    t.busyNs = 0;
  }

  /**
   * A step of a task that does not block: every SLICE_STEPS steps it has
   * used at least a tick of CPU, so the clock moves on to the end of that tick
   * unless its own work (packets, system calls) already took as long.
   */
  private busyStep(t: Task): void {
    if (t.steps === 0) t.sliceStart = this.clock.now;
    if (++t.steps < SLICE_STEPS) return;
    t.steps = 0;
    const end = t.sliceStart + TICK_NS;
    if (this.clock.now < end) this.clock.now = end;
    t.busyNs += TICK_NS;
    this.onBusy?.(t);
  }

  /** Ends a task (normal return or kill). */
  exit(t: Task, status: number): void {
    if (t.state === 'exited') return;
    this.alive--;
    unblock(t);
    this.events.cancel(t.timer);
    t.state = 'exited';
    t.waiting = null;
    this.tasks.delete(t);
    t.exitStatus = status;
    for (const f of t.onExit.splice(0)) f();
    this.smp.cpus[t.cpu]?.runPendingSoftirqs();
    for (const w of t.exitWaiters.splice(0)) {
      if (w.state === 'blocked') {
        w.state = 'runnable';
        w.waiting = null;
        this.events.at(this.clock.now, resumeEvent, { t: w, v: status });
      }
    }
  }

  /**
   * The signal being delivered while a killed task's cleanups run (0 otherwise),
   * and the status it ends with unless a program's handler says otherwise.
   */
  signal = 0;
  killStatus = 0;

  /**
   * Kills a task as a signal would: its generator is closed and its cleanups
   * run. A program that handles the signal (tcpdump on SIGTERM) returns its
   * own exit status from its cleanup; otherwise the task ends with `status`.
   */
  kill(t: Task, status: number, sig = status - 128): void {
    if (t.state === 'exited') return;
    let st = status;
    const prev = [this.signal, this.killStatus];
    this.signal = sig;
    this.killStatus = status;
    let stop: unknown = null;
    try {
      const r = t.gen.return(status);
      if (r.done && typeof r.value === 'number') st = r.value;
    } catch (e) {
      // a generator's finally block may throw; the task still ends, and a
      // budget or an internal error raised there still ends the run
      if (stopsRun(e)) stop = e;
    } finally {
      [this.signal, this.killStatus] = prev as [number, number];
    }
    if (st === status) t.termsig = sig;
    this.exit(t, st);
    if (stop) throw stop;
  }
}
