// Processes in virtual time. A process is a generator that yields what it
// waits for; the scheduler resumes it from the event queue, so a 5 s timeout
// costs no wall time and every run with the same seed is the same.
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
  /** Lets every other runnable task go first. */
  | { readonly kind: 'yield' };

export type Proc = Generator<Wait, number, unknown>;

export const sleep = (ns: number): Wait => ({ kind: 'sleep', ns });
export const waitOn = (wq: WaitQueue, timeoutNs = -1): Wait => ({ kind: 'wq', wq, timeoutNs });
export const waitAny = (wqs: readonly WaitQueue[], timeoutNs = -1): Wait => ({ kind: 'poll', wqs, timeoutNs });
export const waitChild = (task: Task): Wait => ({ kind: 'child', task });
export const yieldCpu: Wait = { kind: 'yield' };

export class WaitQueue {
  waiters: Task[] = [];

  /** @param latency virtual ns from wake_up() to the woken task running */
  constructor(readonly latency = 0) {}

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
    if (this.current) t.cpu = this.current.cpu;
    this.events.at(this.clock.now, resumeEvent, { t, v: undefined });
    return t;
  }

  wake(t: Task, v: number, latency = 0): void {
    if (t.state !== 'blocked') return;
    unblock(t);
    this.events.cancel(t.timer);
    t.state = 'runnable';
    this.events.at(this.clock.now + latency, resumeEvent, { t, v });
  }

  timeout(t: Task): void {
    if (t.state !== 'blocked') return;
    unblock(t);
    t.state = 'runnable';
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
    try {
      this.run(t, v);
    } finally {
      this.current = prev;
      this.smp.cur = prevCpu;
    }
  }

  private run(t: Task, value: unknown): void {
    t.ran = true;
    let v = value;
    for (;;) {
      let r: IteratorResult<Wait, number>;
      try {
        r = t.gen.next(v);
      } catch (e) {
        this.smp.cpus[t.cpu]?.runPendingSoftirqs();
        throw e;
      }
      this.smp.cpus[t.cpu]?.runPendingSoftirqs();
      if (r.done) {
        this.exit(t, r.value);
        return;
      }
      const w = r.value;
      switch (w.kind) {
        case 'sleep':
          t.state = 'blocked';
          this.events.arm(t.timer, this.clock.now + Math.max(0, w.ns));
          return;
        case 'wq':
        case 'poll': {
          t.state = 'blocked';
          const qs = w.kind === 'wq' ? [w.wq] : w.wqs;
          t.blockedOn = [...qs];
          for (const q of qs) q.waiters.push(t);
          if (w.timeoutNs >= 0) this.events.arm(t.timer, this.clock.now + w.timeoutNs);
          return;
        }
        case 'child':
          if (w.task.state === 'exited') {
            v = w.task.exitStatus;
            continue;
          }
          t.state = 'blocked';
          w.task.exitWaiters.push(t);
          return;
        case 'yield':
          this.events.at(this.clock.now, resumeEvent, { t, v: undefined });
          return;
      }
    }
  }

  /** Ends a task (normal return or kill). */
  exit(t: Task, status: number): void {
    if (t.state === 'exited') return;
    this.alive--;
    unblock(t);
    this.events.cancel(t.timer);
    t.state = 'exited';
    t.exitStatus = status;
    for (const f of t.onExit.splice(0)) f();
    this.smp.cpus[t.cpu]?.runPendingSoftirqs();
    for (const w of t.exitWaiters.splice(0)) {
      if (w.state === 'blocked') {
        w.state = 'runnable';
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
    try {
      const r = t.gen.return(status);
      if (r.done && typeof r.value === 'number') st = r.value;
    } catch {
      // a generator's finally block may throw; the task still ends
    } finally {
      [this.signal, this.killStatus] = prev as [number, number];
    }
    if (st === status) t.termsig = sig;
    this.exit(t, st);
  }
}
