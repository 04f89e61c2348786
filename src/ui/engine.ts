// The web view's engine: runs a scenario with the same code as `skbpath run`
// (an in-memory Vfs instead of the host's directory) and returns what the page
// shows — every path event, the topology with its tables, the captures.
// No DOM and no node: imports: it runs in a Web Worker (and in tests).
import { ipv4ToString } from '../wire/ipv4.ts';
import type { Net } from '../kernel/net_namespace.ts';
import type { NetDevice } from '../kernel/core/netdevice.ts';
import { IFF_UP } from '../kernel/core/netdevice.ts';
import type { PathEvent } from '../kernel/trace/probe.ts';
import { pathJson, type PathJson } from '../kernel/trace/path_json.ts';
import { artifactNamespaces, captureCommand, runScenario } from '../machine/run.ts';
import { MemVfs, type SimWorld } from '../machine/world.ts';
import type { Vfs } from '../userspace/proc.ts';
import { nftRuleResolver } from '../userspace/tools/nft/monitor.ts';

/**
 * One path event as the page keeps it: the documented JSON shape
 * (docs/path-events.md, what `skbpath trace --json` prints) with the frame.
 */
export interface UiEvent extends PathJson {
  /** The frame as it stood (from the MAC or network header), for filters, the tuple and the decoder. */
  bytes: Uint8Array;
  /** Offset of the network header in `bytes`, -1 when unknown. */
  l3: number;
  /** Fields PathEvent gained beyond the documented ones. */
  extra: Record<string, string | number | boolean>;
  /** The nft rule behind `nf` as `nft list` prints it (as `skbpath drops --json`'s nft_rule); absent for iptables' rules and policies. */
  nft_rule?: string;
}

export interface UiDevice {
  ns: string;
  name: string;
  ifindex: number;
  kind: string;
  mac: string;
  mtu: number;
  up: boolean;
  addrs: string[];
  /** veth: the other end. */
  peer: { ns: string; name: string } | null;
  /** The bridge this device is a port of. */
  master: string | null;
  /** The devices it is stacked on (netdev_upper_dev_link: a macvlan's or VLAN's lower device), wherever they are. */
  lower: { ns: string; name: string }[];
  stats: Record<string, number>;
  /** `ip -s link show dev`, `ip neigh show dev`, `ip route show dev` as our ip prints them. */
  link: string;
  neigh: string;
  route: string;
}

export interface UiNetns {
  name: string;
  devices: UiDevice[];
  route: string;
  neigh: string;
  /** `iptables -L -v -n --line-numbers` when the scenario uses iptables. */
  iptables: string;
  nstat: string;
}

export interface UiPcap {
  ns: string;
  dev: string;
  bytes: Uint8Array;
}

/** One SNMP counter increment (nstat's names), tied to the skb the kernel was working on. */
export interface UiCounter {
  seq: number;
  netns: string;
  name: string;
  by: number;
  origin: number;
  /** The function the skb was last seen entering (as in `skbpath drops --json`'s counters). */
  func: string;
}

export interface UiRun {
  transcript: string;
  exitStatus: number;
  error: string | null;
  netns: UiNetns[];
  events: UiEvent[];
  /** Counter increments during the traffic window, in the events' order. */
  counters: UiCounter[];
  pcaps: UiPcap[];
  /** Wall time the run took, ms. */
  wallMs: number;
}

/** The PathEvent fields pathJson() carries (under their documented names), and the frame. */
const KNOWN: ReadonlySet<string> = new Set([
  'seq',
  'ts',
  'netns',
  'fn',
  'kind',
  'skb',
  'origin',
  'dev',
  'ifindex',
  'mtu',
  'len',
  'protocol',
  'mark',
  'comm',
  'cpu',
  'reason',
  'why',
  'bytes',
  'l3',
  'ct',
  'nf',
]);

export function toUiEvent(e: PathEvent): UiEvent {
  const extra: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(e)) {
    if (KNOWN.has(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') extra[k] = v;
    else if (v && typeof v === 'object' && !(v instanceof Uint8Array)) extra[k] = JSON.stringify(v);
  }
  return { ...pathJson(e), bytes: e.bytes, l3: e.l3, extra };
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
const ip4 = ipv4ToString;

function deviceOf(world: SimWorld, nsName: string, net: Net, d: NetDevice): UiDevice {
  const stats: Record<string, number> = {};
  for (const [k, v] of Object.entries(d.stats)) if (typeof v === 'number') stats[k] = v;
  const peer = d.peer ? { ns: d.peer.net.name, name: d.peer.name } : null;
  return {
    ns: nsName,
    name: d.name,
    ifindex: d.ifindex,
    kind: d.ops.kind,
    mac: Array.from(d.devAddr, hex2).join(':'),
    mtu: d.mtu,
    up: (d.flags & IFF_UP) !== 0,
    addrs: (d.ipPtr?.ifaList ?? []).map((a) => `${ip4(a.local)}/${a.prefixlen}`),
    peer,
    master: d.master ? d.master.name : null,
    lower: d.adjLower.map((l) => ({ ns: l.net.name, name: l.name })),
    stats,
    link: captureCommand(world, net, ['ip', '-s', 'link', 'show', 'dev', d.name]),
    neigh: captureCommand(world, net, ['ip', 'neigh', 'show', 'dev', d.name]),
    route: captureCommand(world, net, ['ip', 'route', 'show', 'dev', d.name]),
  };
}

/** Runs `script` as `skbpath run --artifacts` does, with every skb's path recorded. */
export function runForUi(script: string, opts: { seed?: number; files?: Record<string, string>; vfs?: Vfs } = {}): UiRun {
  const t0 = Date.now();
  let vfs: Vfs;
  if (opts.vfs) vfs = opts.vfs;
  else {
    const mem = new MemVfs();
    for (const [k, v] of Object.entries(opts.files ?? {})) mem.files.set(k, v);
    vfs = mem;
  }
  const res = runScenario(script, vfs, { seed: opts.seed ?? 1, artifacts: true, path: true });
  const world = res.world;
  // the namespaces the artifacts cover (the initial one when the scenario used it), so each has its captures
  const nets: [string, Net][] = artifactNamespaces(world);
  const usesIptables = /\biptables/.test(script);
  const netns: UiNetns[] = nets.map(([name, net]) => ({
    name,
    devices: net.devices.map((d) => deviceOf(world, name, net, d)),
    route: captureCommand(world, net, ['ip', 'route']),
    neigh: captureCommand(world, net, ['ip', 'neigh']),
    iptables: usesIptables ? captureCommand(world, net, ['iptables', '-L', '-v', '-n', '-x', '--line-numbers']) : '',
    nstat: typeof res.artifacts.get(`nstat/${name}.txt`) === 'string' ? (res.artifacts.get(`nstat/${name}.txt`) as string) : '',
  }));
  // the nft rule text each verdict came from, read after the run as `skbpath trace` does
  const nftRule = nftRuleResolver((ns) => (ns === 'init_net' ? world.initNet : world.netns.get(ns)));
  const pcaps: UiPcap[] = [];
  for (const [path, data] of res.artifacts) {
    const m = /^pcap\/([^/]+)\/([^/]+)\.pcap$/.exec(path);
    if (m && data instanceof Uint8Array) pcaps.push({ ns: m[1] as string, dev: m[2] as string, bytes: data });
  }
  return {
    transcript: res.transcript,
    exitStatus: res.exitStatus,
    error: res.error,
    netns,
    events: world.kernel.path.events.map((e) => {
      const u = toUiEvent(e);
      const rule = e.nf ? nftRule(e) : undefined;
      if (rule !== undefined) u.nft_rule = rule;
      return u;
    }),
    counters: world.kernel.path.counters.map((c) => ({ seq: c.seq, netns: c.netns, name: c.name, by: c.by, origin: c.origin, func: c.fn })),
    pcaps,
    wallMs: Date.now() - t0,
  };
}
