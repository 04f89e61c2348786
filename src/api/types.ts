// The library's public types, self-contained (no imports), so that the
// published declarations are these few files and not the simulator's
// internals. test/api/types.test.ts keeps them in step with the internal
// shapes they mirror (PathJson, UiRun).

/** Options of {@link runScenario} and {@link scenarioEvents}. */
export interface ScenarioOptions {
  /** Seeds the one random number generator (IP ids, ICMP ids, ports, neighbour timers). Same seed, same run, byte for byte. Default 1. */
  seed?: number;
  /** CPUs of the simulated machine, 1 to 64. Default: the script's `# @cpus N` line, else 1. */
  cpus?: number;
  /**
   * The scenario's working directory, in memory: path (relative, `/`-separated) → contents.
   * A string is stored as its UTF-8 bytes. The run never touches the host's files.
   */
  files?: Readonly<Record<string, string | Uint8Array>>;
  /** Record the path of every skb (`artifacts.events`, {@link ScenarioOptions.onEvent}). Default true. */
  events?: boolean;
  /** Called with the transcript's text as the script writes it. */
  onOutput?: (text: string) => void;
  /**
   * Called with each path event as the kernel records it, during the run (synchronously).
   * The `nf` field of an `nft_do_chain` event is only known when the chain returns:
   * it is absent here and present in `artifacts.events`.
   */
  onEvent?: (event: PathEvent) => void;
}

/** What {@link runScenario} returns. */
export interface ScenarioResult {
  /** The script's exit status; 124 when a budget stopped the run. */
  exitCode: number;
  /** The script's stdout and stderr, in the order written (what `skbpath run` prints). */
  transcript: string;
  /** The budget message when a budget (events, virtual time, processes, memory) stopped the run, else null. */
  error: string | null;
  /** What `skbpath run --artifacts DIR` writes, as values. */
  artifacts: Artifacts;
  /** The working directory after the run: every file the scenario had or wrote, as bytes. */
  files: Record<string, Uint8Array>;
}

/** The oracle's artifacts of one run (the layout of `skbpath run --artifacts DIR`). */
export interface Artifacts {
  /** One capture (pcap file bytes, microsecond timestamps) per interface that was up when the traffic part began. */
  pcaps: Pcap[];
  /** `nstat -asz` per namespace name. */
  nstat: Record<string, string>;
  /** `ip -s link` per namespace name. */
  links: Record<string, string>;
  /** `iptables-save -c` per namespace name, when the script uses iptables. */
  iptables: Record<string, string>;
  /** The kernel tracepoints of the traffic window, as ftrace prints them (`trace.txt`). */
  trace: string;
  /** The path of every skb, in order (empty with `events: false`). */
  events: PathEvent[];
  /** Every SNMP counter increment, tied to the skb the kernel was working on (empty with `events: false`). */
  counters: CounterEvent[];
}

/** One packet capture. */
export interface Pcap {
  /** The namespace name (`init_net` for the initial one). */
  netns: string;
  /** The interface name. */
  dev: string;
  /** A pcap file (link type Ethernet). Read it with {@link printPcap}. */
  bytes: Uint8Array;
}

/** The iptables rule a packet met in a base chain (docs/path-events.md, `nf`). */
export interface NfRuleHit {
  readonly table: string;
  readonly chain: string;
  /** 1-based as `iptables -L --line-numbers` counts; 0 for the base chain's policy. */
  readonly rule: number;
  readonly target: string;
  /** The hook's verdict: ACCEPT, DROP, STOLEN, QUEUE or REPEAT. */
  readonly verdict: string;
  readonly hook: string;
}

/** One step of one skb: the JSON object of `skbpath trace --json` (docs/path-events.md), with the frame. */
export interface PathEvent {
  /** Order in the run, from 0. */
  seq: number;
  /** Virtual time in nanoseconds since the run began. */
  time_ns: number;
  netns: string;
  /** The Linux function (`ip_rcv`, `veth_xmit`…), or the drop/consume location. */
  func: string;
  kind: 'fn' | 'drop' | 'consume';
  skb: number;
  /** The skb this one was cloned or copied from, or itself: all events of one packet share it. */
  origin: number;
  dev: string;
  ifindex: number;
  mtu: number;
  len: number;
  protocol: number;
  mark: number;
  /** The task on the CPU. */
  process: string;
  cpu: number;
  /** `SRC:SPORT->DST:DPORT(proto)`, or `SRC->DST(arp request)`; empty for other frames. */
  tuple: string;
  /** For `drop`: the SKB_DROP_REASON_* name without its prefix. */
  reason?: string;
  /** For some drops: the state behind the reason. */
  why?: string;
  /** The skb's conntrack state (ctinfo) when it has one. */
  ct?: string;
  /** On an `nft_do_chain` entry: the rule that decided. */
  nf?: NfRuleHit;
  /** The frame as it stood, from the MAC header (or the network header when there is none yet). */
  bytes: Uint8Array;
  /** Offset of the network header in `bytes`, -1 when unknown. */
  l3: number;
}

/** One increment of an SNMP counter (nstat's name). */
export interface CounterEvent {
  /** Shares the order of {@link PathEvent.seq}. */
  seq: number;
  time_ns: number;
  netns: string;
  name: string;
  by: number;
  /** The packet (its origin skb) the kernel was working on; 0 for none. */
  origin: number;
  /** The function the skb was last seen entering ('' with no skb). */
  func: string;
}

/** One classic BPF instruction (`struct sock_filter`), as `tcpdump -dd` prints them. */
export interface BpfInsn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** Options of {@link compileFilter} (pcap_compile's). */
export interface FilterOptions {
  /** Default 262144. */
  snaplen?: number;
  /** Run libpcap's optimizer (tcpdump without -O). Default true. */
  optimize?: boolean;
  /** The IPv4 netmask for `ip broadcast`; 0 (savefiles) by default. */
  netmask?: number;
  /** The link type. Default Ethernet. */
  linkType?: 'EN10MB' | 'LINUX_SLL' | 'LINUX_SLL2';
}

/** A compiled pcap filter. */
export interface PacketFilter {
  /** The program as libpcap's pcap_compile lays it out. */
  readonly program: readonly BpfInsn[];
  /** Whether the filter accepts the frame (`wirelen` defaults to its length). */
  matches(frame: Uint8Array, wirelen?: number): boolean;
  /** The program as `tcpdump -d` (level 1), `-dd` (2) or `-ddd` (3) prints it. */
  dump(level?: 1 | 2 | 3): string;
}

/** Options of {@link printPacket}. */
export interface PacketTime {
  /** The packet's timestamp in seconds (fraction allowed, microseconds kept). Default 0. */
  time?: number;
  /** The frame's length on the wire, when `bytes` holds only the captured part. */
  wirelen?: number;
}

/** A message the web view's worker (`skbpath/worker`) takes. */
export interface WorkerRequest {
  /** Echoed in the answer. */
  id: number;
  script: string;
  seed?: number;
}

/** The worker's answer: a run, or the text of an unexpected error. */
export type WorkerResponse = { id: number; run: WebViewRun } | { id: number; fatal: string };

/** A run as the web view receives it (the worker's `run`). */
export interface WebViewRun {
  transcript: string;
  exitStatus: number;
  error: string | null;
  netns: WebViewNetns[];
  events: (PathEvent & { extra: Record<string, string | number | boolean> })[];
  counters: CounterEventShort[];
  pcaps: { ns: string; dev: string; bytes: Uint8Array }[];
  /** Wall time the run took, ms. */
  wallMs: number;
}

/** A counter increment as the web view gets it. */
export interface CounterEventShort {
  seq: number;
  netns: string;
  name: string;
  by: number;
  origin: number;
  func: string;
}

/** A namespace as the web view shows it. */
export interface WebViewNetns {
  name: string;
  devices: WebViewDevice[];
  route: string;
  neigh: string;
  iptables: string;
  nstat: string;
}

/** A device as the web view shows it. */
export interface WebViewDevice {
  ns: string;
  name: string;
  ifindex: number;
  kind: string;
  mac: string;
  mtu: number;
  up: boolean;
  addrs: string[];
  peer: { ns: string; name: string } | null;
  master: string | null;
  /** The devices it is stacked on (a macvlan's or VLAN's lower device), in whatever namespace they are. */
  lower: { ns: string; name: string }[];
  stats: Record<string, number>;
  link: string;
  neigh: string;
  route: string;
}
