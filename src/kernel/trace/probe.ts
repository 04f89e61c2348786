// The path of every skb: a kprobe-like event at the entry of each kernel
// function an skb passes through, with the skb's lineage so a packet is
// followed across clones, copies, veth, lo and namespaces (what pwru shows,
// without losing packets). Drops and normal ends join the same stream.
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';

export type PathKind = 'fn' | 'drop' | 'consume';

/** One step of one skb. */
export interface PathEvent {
  /** Order in the run. */
  readonly seq: number;
  /** Virtual time, ns. */
  readonly ts: number;
  readonly netns: string;
  readonly fn: string;
  readonly kind: PathKind;
  /** The skb (skbaddr in traces). */
  readonly skb: number;
  /** The first skb this one was cloned or copied from: one packet's lineage. */
  readonly origin: number;
  readonly dev: string;
  readonly ifindex: number;
  readonly mtu: number;
  readonly len: number;
  readonly protocol: number;
  readonly mark: number;
  /** The task on the CPU when it happened (softirq work runs in whichever task raised it). */
  readonly comm: string;
  /** smp_processor_id() when it happened. */
  readonly cpu: number;
  /** Drop reason name for `drop`. */
  readonly reason?: string;
  /** The reason behind the reason: the state that made the kernel drop it. */
  readonly why?: string;
  /** The frame as it stood (from the MAC or network header), for filters and summaries. */
  readonly bytes: Uint8Array;
  /** Offset of the network header in `bytes`, -1 when unknown. */
  readonly l3: number;
  /** The skb's conntrack state (ctinfo) when it has one: NEW, ESTABLISHED, RELATED, ESTABLISHED_REPLY, RELATED_REPLY or UNTRACKED. */
  readonly ct?: string;
  /** On an nft_do_chain entry: the rule that decided (set when the chain returns). */
  nf?: NfRuleHit;
}

/** The iptables rule a packet met in a base chain and what it decided. */
export interface NfRuleHit {
  readonly table: string;
  readonly chain: string;
  /** 1-based as `iptables -L --line-numbers` counts, in the chain that decided; 0 for the base chain's policy. */
  readonly rule: number;
  /** The rule's target (ACCEPT, DROP, MASQUERADE, a user chain's RETURN…) or `policy`. */
  readonly target: string;
  /** The hook's verdict: ACCEPT, DROP, STOLEN, QUEUE or REPEAT. */
  readonly verdict: string;
  /** The hook the base chain hangs on (PREROUTING…). */
  readonly hook: string;
}

/** enum ip_conntrack_info names by value (IP_CT_UNTRACKED is 7). */
const CTINFO_NAMES: Readonly<Record<number, string>> = {
  0: 'ESTABLISHED',
  1: 'RELATED',
  2: 'NEW',
  3: 'ESTABLISHED_REPLY',
  4: 'RELATED_REPLY',
  7: 'UNTRACKED',
};

/**
 * One increment of an SNMP counter (what nstat shows), tied to the skb the
 * kernel was working on: the last skb a kprobe saw since the running task
 * entered the kernel (0 when a syscall bumped it before making an skb).
 */
export interface CounterEvent {
  /** Shares the order of PathEvent.seq. */
  readonly seq: number;
  readonly ts: number;
  readonly netns: string;
  readonly name: string;
  readonly by: number;
  readonly skb: number;
  readonly origin: number;
  /** The function the skb was last seen entering ('' with no skb). */
  readonly fn: string;
  readonly comm: string;
}

export class PathRecorder {
  enabled = false;
  readonly events: PathEvent[] = [];
  readonly counters: CounterEvent[] = [];
  /** Called with each event as it is recorded (the library's onEvent); `nf` is filled in later, when the chain returns. */
  listener: ((e: PathEvent) => void) | null = null;
  private seq = 0;
  /** The skb the kernel is working on, as the last event saw it. */
  private ctxSkb = 0;
  private ctxOrigin = 0;
  private ctxFn = '';

  constructor(
    private readonly now: () => number,
    private readonly task: () => string,
    private readonly cpuOf: () => number = () => 0,
  ) {}

  /** A task entered the kernel (a syscall): no skb in hand yet. */
  syscallEntry(): void {
    this.ctxSkb = 0;
    this.ctxOrigin = 0;
    this.ctxFn = '';
  }

  /** An SNMP counter went up by `by` in `net`, while the kernel worked on the context skb. */
  counter(net: Net, name: string, by: number): void {
    this.counters.push({
      seq: this.seq++,
      ts: this.now(),
      netns: net.name,
      name,
      by,
      skb: this.ctxSkb,
      origin: this.ctxOrigin,
      fn: this.ctxFn,
      comm: this.task(),
    });
  }

  record(net: Net, skb: SkBuff, fn: string, kind: PathKind, reason?: string, why?: string): PathEvent {
    const dev: NetDevice | null = skb.dev;
    const start =
      skb.macHeader >= 0 && skb.macHeader <= skb.data
        ? skb.macHeader
        : skb.networkHeader >= 0 && skb.networkHeader <= skb.data
          ? skb.networkHeader
          : skb.data;
    const bytes = skb.head.slice(start, skb.tail);
    const l3 = skb.networkHeader >= start ? skb.networkHeader - start : -1;
    this.ctxSkb = skb.id;
    this.ctxOrigin = skb.origin;
    this.ctxFn = fn;
    const ct = skb._nfct || skb.nfctinfo === 7 ? CTINFO_NAMES[skb.nfctinfo] : undefined;
    const ev: PathEvent = {
      seq: this.seq++,
      ts: this.now(),
      netns: net.name,
      fn,
      kind,
      skb: skb.id,
      origin: skb.origin,
      dev: dev?.name ?? '',
      ifindex: dev?.ifindex ?? 0,
      mtu: dev?.mtu ?? 0,
      len: skb.len,
      protocol: skb.protocol,
      mark: skb.mark,
      comm: this.task(),
      cpu: this.cpuOf(),
      ...(reason ? { reason } : {}),
      ...(why ? { why } : {}),
      bytes,
      l3,
      ...(ct ? { ct } : {}),
    };
    this.events.push(ev);
    this.listener?.(ev);
    return ev;
  }
}

/** A kernel function's entry, as a kprobe on it would see the skb; the event when the stream is on. */
export function kprobe(net: Net, skb: SkBuff, fn: string): PathEvent | undefined {
  const p = net.kernel.path;
  if (p.enabled) return p.record(net, skb, fn, 'fn');
  return undefined;
}
