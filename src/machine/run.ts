// `skbpath run`: a scenario's setup, then its traffic window with captures on
// every interface that is up, tracing on, and the counters read after it —
// the oracle recorder's procedure (../shared/oracle/record.py), simulated.
import type { Net } from '../kernel/net_namespace.ts';
import { IFF_UP } from '../kernel/core/netdevice.ts';
import { MemoryBudget } from '../sim/memory.ts';
import { BudgetExceeded, type Budget, DEFAULT_BUDGET, type HostMeter, InternalError, NSEC_PER_MSEC } from '../sim/sim.ts';
import { Capture } from '../userspace/capture.ts';
import type { OutStream, ProcCtx, Vfs } from '../userspace/proc.ts';
import { runScript } from '../userspace/shell/interp.ts';
import { registerAll } from '../userspace/tools/index.ts';
import { nstatAbsolute } from '../userspace/tools/nstat.ts';
import { SimWorld } from './world.ts';
import { filterTrace } from './trace_filter.ts';

export interface RunOptions {
  seed?: number;
  /** CPUs of the simulated machine (`--cpus N`); without it the script's `# @cpus N` line, else 1. */
  cpus?: number;
  /** Build the oracle's artifacts. */
  artifacts?: boolean;
  budget?: Budget;
  /** Record every skb's path (skbpath trace/drops) and the tracepoints for the traffic window. */
  path?: boolean;
  /** Called with transcript text as it is written. */
  onOutput?: (s: string) => void;
  /** Called once with the booted world before the script runs (the library hooks its event stream there). */
  onWorld?: (world: SimWorld) => void;
  /** The real process's clock and RSS, for the wall-clock and process memory budgets (the command line passes them). */
  host?: HostMeter;
  /** An internal error's message carries the JavaScript stack (SKBPATH_DEBUG=1). */
  debug?: boolean;
  /** Called every few thousand events while the run works (the CLI's progress line). */
  onProgress?: (p: RunProgress) => void;
  /** Wall-clock budget of the real process, in seconds (`--max-wall`; enforced by the process budget, issue 24). */
  maxWallSeconds?: number;
  /** Resident memory budget of the real process, in bytes (`--max-memory`; enforced by the process budget, issue 24). */
  maxMemoryBytes?: number;
}

/** How far a run has got. */
export interface RunProgress {
  /** Virtual time reached, ns. */
  readonly now: number;
  /** Events processed. */
  readonly events: number;
  /** Packets sent so far, all devices of all namespaces (computed when called). */
  packets(): number;
}

/** Events between two onProgress calls. */
const PROGRESS_EVERY = 1 << 12;

/**
 * The namespaces the artifacts cover: the initial namespace first, as
 * `init_net` (the kernel's name for it, which trace, drops and the web view
 * print too), when the scenario used it — it holds a device besides lo, or
 * a packet crossed one of its devices — then every named namespace.
 */
export function artifactNamespaces(world: SimWorld): [string, Net][] {
  const init = world.initNet;
  const used = init.devices.some((d) => d !== init.loopbackDev || d.stats.tx_packets > 0 || d.stats.rx_packets > 0);
  const named = [...world.netns.entries()];
  return used && !world.netns.has('init_net') ? [['init_net', init], ...named] : named;
}

export interface RunResult {
  transcript: string;
  /** Artifact path (oracle layout) → contents. */
  artifacts: Map<string, string | Uint8Array>;
  exitStatus: number;
  /** Set when a budget (exit status 124) or an internal error (70) stopped the run. */
  error: string | null;
  world: SimWorld;
}

const TRAFFIC_MARK = /^# @traffic\s*$/m;
/** The recorder reads counters this long after the traffic part returns. */
const AFTER_TRAFFIC_NS = 500 * NSEC_PER_MSEC;
const COMMS = /\b(ping|nc|traceroute|arping|socat|tcpdump|tcpreplay)\b/g;

const CPUS_MARK = /^# @cpus[ \t]+(\d+)[ \t]*$/m;

/** The skbpath extension line `# @cpus N` (1 to 64): the machine the scenario wants; 1 without it. */
export function scriptCpus(script: string): number {
  const m = CPUS_MARK.exec(script);
  const n = m ? Number(m[1]) : 1;
  return n >= 1 && n <= 64 ? n : 1;
}

export function splitTraffic(script: string): { setup: string; traffic: string } {
  const m = TRAFFIC_MARK.exec(script);
  if (!m) return { setup: '', traffic: script };
  return { setup: script.slice(0, m.index), traffic: script.slice(m.index + m[0].length) };
}

export function runScenario(script: string, vfs: Vfs, opts: RunOptions = {}): RunResult {
  const steps = runScenarioSteps(script, vfs, opts, Number.POSITIVE_INFINITY);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Events a run in slices processes between two pauses. */
export const RUN_SLICE_EVENTS = 256;

/**
 * runScenario in slices: the generator pauses (yields) after every `slice`
 * events, between two events — so every kernel function called by then has
 * returned — and returns the run's result. The library's event iterator
 * hands out what each slice recorded; runScenario runs it without pausing.
 */
export function* runScenarioSteps(
  script: string,
  vfs: Vfs,
  opts: RunOptions = {},
  slice = RUN_SLICE_EVENTS,
): Generator<void, RunResult, undefined> {
  const world = new SimWorld(vfs, {
    seed: opts.seed ?? 1,
    cpus: opts.cpus ?? scriptCpus(script),
    ...(opts.budget || opts.maxWallSeconds !== undefined || opts.maxMemoryBytes !== undefined
      ? {
          budget: {
            ...(opts.budget ?? DEFAULT_BUDGET),
            ...(opts.maxWallSeconds !== undefined ? { maxWallMs: opts.maxWallSeconds * 1000 } : {}),
            ...(opts.maxMemoryBytes !== undefined ? { maxRssBytes: opts.maxMemoryBytes } : {}),
          },
        }
      : {}),
  });
  registerAll(world.commands);
  opts.onWorld?.(world);
  if (opts.onProgress) {
    const sim = world.sim;
    const count = sim.countEvent.bind(sim);
    const report = opts.onProgress;
    const progress: RunProgress = {
      get now() {
        return sim.now;
      },
      get events() {
        return sim.eventsRun;
      },
      packets: () => {
        let n = 0;
        for (const net of [world.initNet, ...world.netns.values()]) for (const d of net.devices) n += d.stats.tx_packets;
        return n;
      },
    };
    sim.countEvent = () => {
      count();
      if ((sim.eventsRun & (PROGRESS_EVERY - 1)) === 0) report(progress);
    };
  }
  let transcript = '';
  const out: OutStream = {
    write(s: string): void {
      transcript += s;
      opts.onOutput?.(s);
    },
  };
  const artifacts = new Map<string, string | Uint8Array>();
  const { setup, traffic } = splitTraffic(script);
  const sim = world.sim;
  if (opts.host) sim.meter(opts.host);
  let exitStatus = 0;
  let error: string | null = null;
  // each part runs as the recorder runs it: bash -c TEXT, stdin from /dev/null
  /** Events until done() or the queue empties, a pause every `slice` events. */
  function* sliced(done: () => boolean): Generator<void, void, undefined> {
    const start = sim.now;
    for (;;) {
      const mark = sim.eventsRun + slice;
      sim.runUntil(() => done() || sim.eventsRun >= mark, start);
      if (done() || sim.events.size === 0) return;
      yield;
    }
  }
  function* runPart(text: string): Generator<void, number, undefined> {
    const task = sim.sched.spawn(
      'bash',
      runScript(world, text, { scriptName: 'bash', command: true, stdout: out, stderr: out, net: world.initNet }),
    );
    // sim.runTask, in slices
    yield* sliced(() => task.state === 'exited');
    if (task.state !== 'exited') throw sim.deadlock();
    return task.exitStatus;
  }
  const captures: { ns: string; dev: string; cap: Capture }[] = [];
  const devices = new Set<string>();
  let v6 = false;
  try {
    if (setup) exitStatus = yield* runPart(setup);
    // the initial namespace is captured too; its files are kept when the scenario used it (artifactNamespaces)
    const namespaces: [string, Net][] = [['init_net', world.initNet], ...world.netns.entries()];
    if (opts.artifacts) {
      for (const [name, net] of namespaces) {
        for (const d of net.devices) {
          devices.add(d.name);
          if (d.flags & IFF_UP) captures.push({ ns: name, dev: d.name, cap: new Capture(net, d.ifindex, sim) });
        }
      }
      world.kernel.tracer.enabled = true;
      // record.py keeps IPv6 drops when a namespace holds an IPv6 address (::1 aside) as traffic begins
      for (const net of world.netns.values())
        for (const d of net.devices)
          for (const ifa of d.ip6Ptr?.addr_list ?? [])
            if (!(ifa.addr[15] === 1 && ifa.addr.subarray(0, 15).every((x) => x === 0))) v6 = true;
    }
    if (opts.path) {
      world.kernel.path.enabled = true;
      world.kernel.tracer.enabled = true;
    }
    exitStatus = yield* runPart(traffic);
    const end = sim.now + AFTER_TRAFFIC_NS;
    yield* sliced(() => sim.events.peekTime() > end);
    if (sim.now < end) sim.clock.now = end;
  } catch (e) {
    const stop = runStop(e, sim, opts.debug ?? false);
    error = stop.message;
    // the transcript keeps it; the caller prints `error` where it belongs (stderr), once
    transcript += `${stop.message}\n`;
    exitStatus = stop.status;
    sim.unlimit();
  }
  if (opts.artifacts) {
    const covered = artifactNamespaces(world);
    for (const [ns, net] of covered) {
      artifacts.set(`nstat/${ns}.txt`, nstatAbsolute(net, true));
      artifacts.set(`links/${ns}.txt`, captureCommand(world, net, ['ip', '-s', 'link']));
      if (/\biptables/.test(script)) artifacts.set(`iptables/${ns}.txt`, captureCommand(world, net, ['iptables-save', '-c']));
      // test/oracle/record_nft.py: `nft list ruleset` as the nft tool prints it on stdout, when the script names nft
      if (/\bnft\b/.test(script)) artifacts.set(`nft/${ns}.txt`, captureCommand(world, net, ['nft', 'list', 'ruleset'], true));
    }
    world.kernel.tracer.enabled = false;
    const comms = new Set(script.match(COMMS) ?? []);
    artifacts.set('trace.txt', filterTrace(world.kernel.tracer.events, devices, comms, v6));
    const initKept = covered.some(([, net]) => net === world.initNet);
    for (const c of captures) {
      const pcap = c.cap.close();
      if (c.ns !== 'init_net' || initKept) artifacts.set(`pcap/${c.ns}/${c.dev}.pcap`, pcap);
    }
    artifacts.set('transcript.txt', transcript);
  }
  return { transcript, artifacts, exitStatus, error, world };
}

/** The exit status of a run no script ended: 124 for a budget, 70 for an internal error. */
export const EXIT_BUDGET = 124;
export const EXIT_INTERNAL = 70;

/**
 * What stopped a run, as the user reads it: a budget's message (exit 124), or
 * an internal error of skbpath (exit 70) named after the program it happened
 * in, with a request to report it; its stack only when debugging.
 */
export function runStop(e: unknown, sim: { mem: MemoryBudget }, debug: boolean): { message: string; status: number } {
  if (e instanceof BudgetExceeded) return { message: e.message, status: EXIT_BUDGET };
  if (MemoryBudget.isEngineLimit(e))
    return { message: sim.mem.exceeded('one value grew past the engine limit').message, status: EXIT_BUDGET };
  const ie = e instanceof InternalError ? e : new InternalError('skbpath', e);
  let message = `skbpath: internal error in ${ie.comm}: ${oneLine(ie.message)}\nskbpath: this is a bug in skbpath, not in the script; please report it with the script that shows it (SKBPATH_DEBUG=1 adds where it happened)`;
  if (debug) message += `\n${ie.originalStack}`;
  return { message, status: EXIT_INTERNAL };
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t || 'unknown error';
}

/** Runs one program to completion in `net` and returns what it printed. */
export function captureCommand(world: SimWorld, net: Net, argv: string[], stdoutOnly = false): string {
  const cmd = world.commands.get(argv[0] as string);
  if (!cmd) return '';
  let text = '';
  const sink: OutStream = { write: (s: string) => void (text += s) };
  const errSink: OutStream = stdoutOnly ? { write: () => {} } : sink;
  const ctx: ProcCtx = {
    world,
    argv,
    stdin: {
      *read() {
        return null;
      },
    },
    stdout: sink,
    stderr: errSink,
    net,
    env: new Map(),
    exec: () => null,
  };
  const task = world.sim.sched.spawn(argv[0] as string, cmd(ctx));
  world.sim.runTask(task);
  return text;
}
