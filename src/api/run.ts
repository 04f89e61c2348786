// runScenario for library users: `skbpath run --artifacts` in memory — the
// scenario's files in a MemVfs, the artifacts as values, the path of every
// skb as documented objects. Wraps src/machine/run.ts.
import { pathJson } from '../kernel/trace/path_json.ts';
import type { PathEvent as KernelPathEvent } from '../kernel/trace/probe.ts';
import { RUN_SLICE_EVENTS, type RunResult, runScenarioSteps as runMachineSteps } from '../machine/run.ts';
import { MemVfs } from '../machine/world.ts';
import type { Artifacts, PathEvent, ScenarioOptions, ScenarioResult } from './types.ts';

/** Bytes as the simulator's files hold them: one char per byte. */
function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function latin1ToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

function toEvent(e: KernelPathEvent): PathEvent {
  return { ...pathJson(e), bytes: e.bytes, l3: e.l3 };
}

function checkOptions(script: unknown, opts: ScenarioOptions): void {
  if (typeof script !== 'string') throw new TypeError('runScenario: the script must be a string');
  if (opts.seed !== undefined && !(Number.isSafeInteger(opts.seed) && opts.seed >= 0)) {
    throw new RangeError('runScenario: seed must be a non-negative integer');
  }
  if (opts.cpus !== undefined && !(Number.isInteger(opts.cpus) && opts.cpus >= 1 && opts.cpus <= 64)) {
    throw new RangeError('runScenario: cpus must be an integer from 1 to 64');
  }
}

/**
 * Runs a scenario — a shell script of `ip`, `ping`, `tcpdump`… — on simulated
 * Linux 6.18 kernels, as `skbpath run --artifacts DIR` does, and returns the
 * transcript, the exit status and the artifacts. Deterministic: the same
 * script, options and seed give the same result, byte for byte. Runs
 * synchronously; in a browser, run it in a Worker (see `skbpath/worker`).
 *
 * @example
 * ```ts
 * const r = runScenario('ip link add a type veth peer name b\nip -br link\n');
 * r.exitCode; // 0
 * ```
 */
export function runScenario(script: string, opts: ScenarioOptions = {}): ScenarioResult {
  const steps = scenarioSteps(script, opts, Number.POSITIVE_INFINITY, null);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The run behind runScenario and scenarioEvents: it pauses every `slice`
 * events, handing `onSlice` the kernel's path records so far (all complete:
 * a pause falls between two events).
 */
function* scenarioSteps(
  script: string,
  opts: ScenarioOptions,
  slice: number,
  onSlice: ((events: readonly KernelPathEvent[]) => void) | null,
): Generator<void, ScenarioResult, undefined> {
  checkOptions(script, opts);
  const vfs = new MemVfs();
  for (const [path, data] of Object.entries(opts.files ?? {})) {
    vfs.files.set(path, bytesToLatin1(typeof data === 'string' ? new TextEncoder().encode(data) : data));
  }
  const record = opts.events !== false;
  const onEvent = opts.onEvent;
  let recorded: readonly KernelPathEvent[] = [];
  const steps = runMachineSteps(
    script,
    vfs,
    {
      seed: opts.seed ?? 1,
      ...(opts.cpus !== undefined ? { cpus: opts.cpus } : {}),
      artifacts: true,
      path: record,
      ...(opts.onOutput ? { onOutput: opts.onOutput } : {}),
      onWorld: (w) => {
        recorded = w.kernel.path.events;
        if (record && onEvent) w.kernel.path.listener = (e) => onEvent(toEvent(e));
      },
    },
    slice,
  );
  let res: RunResult;
  for (;;) {
    const r = steps.next();
    if (r.done) {
      res = r.value;
      break;
    }
    onSlice?.(recorded);
    yield;
  }
  const artifacts: Artifacts = { pcaps: [], nstat: {}, links: {}, iptables: {}, trace: '', events: [], counters: [] };
  for (const [path, data] of res.artifacts) {
    const pcap = /^pcap\/([^/]+)\/([^/]+)\.pcap$/.exec(path);
    const perNs = /^(nstat|links|iptables)\/([^/]+)\.txt$/.exec(path);
    if (pcap && data instanceof Uint8Array) artifacts.pcaps.push({ netns: pcap[1] as string, dev: pcap[2] as string, bytes: data });
    else if (perNs && typeof data === 'string') artifacts[perNs[1] as 'nstat' | 'links' | 'iptables'][perNs[2] as string] = data;
    else if (path === 'trace.txt' && typeof data === 'string') artifacts.trace = data;
  }
  const path = res.world.kernel.path;
  if (record) {
    artifacts.events = path.events.map(toEvent);
    artifacts.counters = path.counters.map((c) => ({
      seq: c.seq,
      time_ns: c.ts,
      netns: c.netns,
      name: c.name,
      by: c.by,
      origin: c.origin,
      func: c.fn,
    }));
  }
  const files: Record<string, Uint8Array> = {};
  for (const [name, data] of [...vfs.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) files[name] = latin1ToBytes(data);
  return { exitCode: res.exitStatus, transcript: res.transcript, error: res.error, artifacts, files };
}

/**
 * The path events of a scenario's run as an async iterator, for `for await`,
 * while the run goes on: it runs in slices of a few thousand events, each
 * slice's events come out in their order (`seq`), and other work (the
 * caller's, a UI's) runs between slices. The iterator's return value is the
 * run's result. {@link ScenarioOptions.onEvent} of {@link runScenario} sees
 * each event as it is recorded, before its netfilter verdicts are filled in.
 */
export async function* scenarioEvents(
  script: string,
  opts: Omit<ScenarioOptions, 'events'> = {},
): AsyncGenerator<PathEvent, ScenarioResult, undefined> {
  let sent = 0;
  const ready: PathEvent[] = [];
  const take = (events: readonly KernelPathEvent[]): void => {
    for (; sent < events.length; sent++) ready.push(toEvent(events[sent] as KernelPathEvent));
  };
  const steps = scenarioSteps(script, { ...opts, events: true }, RUN_SLICE_EVENTS, take);
  for (;;) {
    const r = steps.next();
    yield* ready.splice(0);
    if (r.done) {
      // what the last slice recorded, in the result's order
      for (const e of r.value.artifacts.events.slice(sent)) yield e;
      return r.value;
    }
    // let the caller's other work run between slices
    await Promise.resolve();
  }
}
