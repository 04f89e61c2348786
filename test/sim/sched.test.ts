// The scheduler's reliability (issue 24): a wakeup raised by a task's own
// softirqs is not lost, a task that never blocks still lets time and timers
// run, a run where every task waits forever ends with a report, and the real
// process's wall clock and RSS are budgets like the virtual ones.
import { describe, expect, it } from 'vitest';
import { NET_RX_SOFTIRQ } from '../../src/sim/cpu.ts';
import { BudgetExceeded, InternalError } from '../../src/sim/errors.ts';
import { type Proc, SLICE_STEPS, TICK_NS, WAKE_OK, WAKE_TIMEOUT, WaitQueue, sleep, waitOn, yieldCpu } from '../../src/sim/sched.ts';
import { DEFAULT_BUDGET, NSEC_PER_SEC, Sim } from '../../src/sim/sim.ts';

function stopOf(f: () => void): BudgetExceeded {
  try {
    f();
  } catch (e) {
    if (e instanceof BudgetExceeded) return e;
    throw e;
  }
  throw new Error('the run did not stop');
}

describe('wakeups', () => {
  it('a wakeup from the softirqs a task raised before it sleeps reaches it (prepare_to_wait before the check)', () => {
    // ping's case with 650 namespaces on a bridge: the reply is delivered by
    // the NET_RX run at the end of ping's own step, after it yielded waitOn(sock.wq)
    const sim = new Sim(1);
    const wq = new WaitQueue(6_000, 'a socket');
    sim.smp.handlers[NET_RX_SOFTIRQ] = () => wq.wakeUp();
    let got = -1;
    let at = -1;
    const task = sim.sched.spawn(
      'ping',
      (function* (): Proc {
        sim.cpu.raiseSoftirq(NET_RX_SOFTIRQ);
        got = (yield waitOn(wq, 2 * NSEC_PER_SEC)) as number;
        at = sim.now;
        return 0;
      })(),
    );
    sim.runTask(task);
    expect(got).toBe(WAKE_OK);
    expect(at).toBe(6_000);
  });
});

describe('a task that never blocks', () => {
  it('uses a tick of CPU per slice of steps, so a timer fires while it loops', () => {
    const sim = new Sim(1);
    let steps = 0;
    let firedAt = -1;
    sim.sched.spawn(
      'busy',
      (function* (): Proc {
        for (;;) {
          steps++;
          yield yieldCpu;
        }
      })(),
    );
    const waiter = sim.sched.spawn(
      'timeout',
      (function* (): Proc {
        yield sleep(NSEC_PER_SEC);
        firedAt = sim.now;
        return 0;
      })(),
    );
    sim.runTask(waiter);
    expect(firedAt).toBeGreaterThanOrEqual(NSEC_PER_SEC);
    expect(firedAt).toBeLessThanOrEqual(NSEC_PER_SEC + TICK_NS);
    // 1 s of CPU at SLICE_STEPS steps a tick
    expect(steps).toBeGreaterThan(((NSEC_PER_SEC / TICK_NS) * SLICE_STEPS) / 2);
    expect(steps).toBeLessThan((NSEC_PER_SEC / TICK_NS) * SLICE_STEPS * 2);
  });

  it('costs nothing more when its own work already moves the clock (pktgen, a flood)', () => {
    const sim = new Sim(1);
    const task = sim.sched.spawn(
      'pktgen',
      (function* (): Proc {
        for (let i = 0; i < 3 * SLICE_STEPS; i++) {
          sim.spend(10_000);
          yield yieldCpu;
        }
        return 0;
      })(),
    );
    sim.runTask(task);
    expect(sim.now).toBe(3 * SLICE_STEPS * 10_000);
  });

  it('stops at the CPU budget with one message naming it', () => {
    const sim = new Sim(1, { ...DEFAULT_BUDGET, maxBusyNs: 0.1 * NSEC_PER_SEC });
    const task = sim.sched.spawn(
      'bash',
      (function* (): Proc {
        for (;;) yield yieldCpu;
      })(),
    );
    const e = stopOf(() => sim.runTask(task));
    expect(e.what).toBe('busy');
    expect(e.message).toBe(
      'skbpath: CPU budget of 0.1 s exhausted at t=0.100000s: bash (pid 1000) ran that long without blocking (an endless loop?)',
    );
  });

  it('a wait resets the account: a loop that sleeps now and then never reaches it', () => {
    const sim = new Sim(1, { ...DEFAULT_BUDGET, maxBusyNs: 0.1 * NSEC_PER_SEC });
    const task = sim.sched.spawn(
      'bash',
      (function* (): Proc {
        for (let i = 0; i < 100_000; i++) {
          if (i % 10_000 === 0) yield sleep(1);
          yield yieldCpu;
        }
        return 0;
      })(),
    );
    sim.runTask(task);
    expect(task.exitStatus).toBe(0);
  });
});

describe('deadlock', () => {
  it('every task blocked, no timer pending: a report of who waits for what', () => {
    const sim = new Sim(1);
    const wq = new WaitQueue(0, 'a socket');
    const child = sim.sched.spawn(
      'nc',
      (function* (): Proc {
        yield waitOn(wq);
        return 0;
      })(),
    );
    const shell = sim.sched.spawn(
      'bash',
      (function* (): Proc {
        return (yield { kind: 'child', task: child }) as number;
      })(),
    );
    const e = stopOf(() => sim.runTask(shell));
    expect(e.what).toBe('deadlock');
    expect(e.message).toBe(
      'skbpath: deadlock at t=0.000000s: every process is blocked and no timer is pending: nc (pid 1000) waits for a socket; bash (pid 1001) waits for pid 1000 (nc)',
    );
  });

  it('a wait with a timeout is not a deadlock', () => {
    const sim = new Sim(1);
    const task = sim.sched.spawn(
      'ping',
      (function* (): Proc {
        return (yield waitOn(new WaitQueue(), 5 * NSEC_PER_SEC)) === WAKE_TIMEOUT ? 1 : 0;
      })(),
    );
    sim.runTask(task);
    expect(task.exitStatus).toBe(1);
    expect(sim.now).toBe(5 * NSEC_PER_SEC);
  });
});

describe('the real process: wall clock and RSS', () => {
  function spin(sim: Sim): void {
    const task = sim.sched.spawn(
      'bash',
      (function* (): Proc {
        for (;;) yield sleep(1000);
      })(),
    );
    sim.runTask(task);
  }

  it('stops after the wall-clock budget', () => {
    const sim = new Sim(1, { ...DEFAULT_BUDGET, maxWallMs: 50 });
    let ms = 0;
    sim.meter({ now: () => (ms += 1), rss: () => 0 });
    const e = stopOf(() => spin(sim));
    expect(e.what).toBe('wall');
    expect(e.message).toMatch(/^skbpath: wall-clock budget of 0\.050 s exhausted at t=\d+\.\d{6}s$/);
  });

  it('stops when the RSS passes its limit', () => {
    const sim = new Sim(1, { ...DEFAULT_BUDGET, maxRssBytes: 64 * 1024 * 1024 });
    let rss = 0;
    sim.meter({ now: () => 0, rss: () => (rss += 1024 * 1024) });
    const e = stopOf(() => spin(sim));
    expect(e.what).toBe('rss');
    expect(e.message).toMatch(/^skbpath: process memory budget of 64 MiB exhausted at t=\S+s: skbpath's resident set is 65 MiB$/);
  });

  it('without a meter neither is read: a run stays reproducible', () => {
    const sim = new Sim(1, { ...DEFAULT_BUDGET, maxWallMs: 0, maxRssBytes: 0 });
    const task = sim.sched.spawn(
      'bash',
      (function* (): Proc {
        for (let i = 0; i < 5000; i++) yield sleep(1000);
        return 0;
      })(),
    );
    sim.runTask(task);
    expect(task.exitStatus).toBe(0);
  });
});

describe('errors', () => {
  it("a task's uncaught exception is an internal error naming it", () => {
    const sim = new Sim(1);
    const task = sim.sched.spawn(
      'tee',
      (function* (): Proc {
        yield sleep(1);
        throw new TypeError('boom');
      })(),
    );
    let err: unknown = null;
    try {
      sim.runTask(task);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InternalError);
    expect((err as InternalError).comm).toBe('tee');
    expect((err as InternalError).message).toBe('boom');
  });

  it("a budget raised in a killed task's cleanup still ends the run", () => {
    const sim = new Sim(1);
    const task = sim.sched.spawn(
      'tcpdump',
      (function* (): Proc {
        try {
          yield sleep(NSEC_PER_SEC);
        } finally {
          sim.mem.charge('files', sim.mem.limit + 1);
        }
        return 0;
      })(),
    );
    sim.runUntil(() => sim.now > 0 || task.state === 'blocked');
    expect(() => sim.sched.kill(task, 143)).toThrow(BudgetExceeded);
    expect(task.state).toBe('exited');
  });
});

describe('the real process: memory that grows within one step', () => {
  it('is checked as it is charged, not only between events', () => {
    const sim = new Sim(1, { ...DEFAULT_BUDGET, maxRssBytes: 100 * 1024 * 1024 });
    let rss = 50 * 1024 * 1024;
    sim.meter({ now: () => 0, rss: () => rss });
    const task = sim.sched.spawn(
      'cat',
      (function* (): Proc {
        // one step writes 64 MiB (cat a a a a > b): the RSS follows
        for (let i = 0; i < 64; i++) {
          sim.mem.charge('files', 1024 * 1024);
          rss += 1024 * 1024;
        }
        return 0;
      })(),
    );
    const e = stopOf(() => sim.runTask(task));
    expect(e.what).toBe('rss');
    expect(rss).toBeLessThan(120 * 1024 * 1024);
  });
});
