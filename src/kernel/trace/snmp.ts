// Per-namespace SNMP counters (include/net/snmp.h): the MIBs nstat reads.
import type { Net } from '../net_namespace.ts';
import { MIB_NAMES, type MibName } from './mib_names.ts';
import type { PathRecorder } from './probe.ts';

const INDEX: ReadonlyMap<string, number> = new Map<string, number>(MIB_NAMES.map((n, i) => [n, i]));
/** Index of each counter, for `net.mib.c[MIB.IpInReceives]++` on the hot path. */
export const MIB = Object.fromEntries(MIB_NAMES.map((n, i) => [n, i])) as { readonly [K in MibName]: number };

const ICMPMSG_AFTER = INDEX.get('IcmpOutAddrMaskReps') as number;

/** icmpmibmap[] (net/ipv4/proc.c): these Icmp columns are read from the IcmpMsg counters. */
const ICMP_MIB_MAP: readonly [string, number][] = [
  ['DestUnreachs', 3],
  ['TimeExcds', 11],
  ['ParmProbs', 12],
  ['SrcQuenchs', 4],
  ['Redirects', 5],
  ['Echos', 8],
  ['EchoReps', 0],
  ['Timestamps', 13],
  ['TimestampReps', 14],
  ['AddrMasks', 17],
  ['AddrMaskReps', 18],
];
const DERIVED: ReadonlyMap<number, { readonly out: boolean; readonly type: number }> = new Map(
  ICMP_MIB_MAP.flatMap(([n, t]): [number, { out: boolean; type: number }][] => [
    [INDEX.get(`IcmpIn${n}`) as number, { out: false, type: t }],
    [INDEX.get(`IcmpOut${n}`) as number, { out: true, type: t }],
  ]),
);

const ICMP6MSG_AFTER = INDEX.get('Icmp6OutMLDv2Reports') as number;

/** icmp6type2name[] (net/ipv6/proc.c): the named Icmp6In and Icmp6Out columns, read from the per-type counters. */
const ICMP6_MIB_MAP: readonly [string, number][] = [
  ['DestUnreachs', 1],
  ['PktTooBigs', 2],
  ['TimeExcds', 3],
  ['ParmProblems', 4],
  ['Echos', 128],
  ['EchoReplies', 129],
  ['GroupMembQueries', 130],
  ['GroupMembResponses', 131],
  ['GroupMembReductions', 132],
  ['RouterSolicits', 133],
  ['RouterAdvertisements', 134],
  ['NeighborSolicits', 135],
  ['NeighborAdvertisements', 136],
  ['Redirects', 137],
  ['MLDv2Reports', 143],
];
const DERIVED6: ReadonlyMap<number, { readonly out: boolean; readonly type: number }> = new Map(
  ICMP6_MIB_MAP.flatMap(([n, t]): [number, { out: boolean; type: number }][] => [
    [INDEX.get(`Icmp6In${n}`) as number, { out: false, type: t }],
    [INDEX.get(`Icmp6Out${n}`) as number, { out: true, type: t }],
  ]),
);

export class Mib {
  readonly c = new Float64Array(MIB_NAMES.length);
  /** ICMPMSG_MIB: per type, in and out. */
  readonly icmpIn = new Float64Array(256);
  readonly icmpOut = new Float64Array(256);
  /** Which IcmpMsg types were ever counted (the kernel shows only those). */
  private readonly icmpSeenIn = new Uint8Array(256);
  private readonly icmpSeenOut = new Uint8Array(256);

  /** ICMP6MSG_MIB: per ICMPv6 type, in and out (ICMP6MSGIN_INC_STATS / ICMP6MSGOUT_INC_STATS). */
  readonly icmp6In = new Float64Array(256);
  readonly icmp6Out = new Float64Array(256);

  /** The namespace and path recorder told of every increment while recording (the path stream ties each to its skb). */
  owner: { readonly net: Net; readonly path: PathRecorder } | null = null;

  inc(i: number, by = 1): void {
    this.c[i] = (this.c[i] as number) + by;
    const o = this.owner;
    if (o?.path.enabled) o.path.counter(o.net, MIB_NAMES[i] as string, by);
  }

  icmpMsgIn(type: number): void {
    this.icmpIn[type] = (this.icmpIn[type] as number) + 1;
    this.icmpSeenIn[type] = 1;
    const o = this.owner;
    if (o?.path.enabled) o.path.counter(o.net, `IcmpMsgInType${type}`, 1);
  }

  icmpMsgOut(type: number): void {
    this.icmpOut[type] = (this.icmpOut[type] as number) + 1;
    this.icmpSeenOut[type] = 1;
    const o = this.owner;
    if (o?.path.enabled) o.path.counter(o.net, `IcmpMsgOutType${type}`, 1);
  }

  /** ICMP6MSGIN_INC_STATS(): one ICMPv6 message of `type` received. */
  icmp6MsgIn(type: number): void {
    this.icmp6In[type] = (this.icmp6In[type] as number) + 1;
    const o = this.owner;
    if (o?.path.enabled) o.path.counter(o.net, `Icmp6InType${type}`, 1);
  }

  /** ICMP6MSGOUT_INC_STATS(): one ICMPv6 message of `type` sent. */
  icmp6MsgOut(type: number): void {
    this.icmp6Out[type] = (this.icmp6Out[type] as number) + 1;
    const o = this.owner;
    if (o?.path.enabled) o.path.counter(o.net, `Icmp6OutType${type}`, 1);
  }

  /** Every counter as nstat lists it: [name, value] in order. */
  entries(): [string, number][] {
    const out: [string, number][] = [];
    for (let i = 0; i < MIB_NAMES.length; i++) {
      const d = DERIVED.get(i);
      const d6 = DERIVED6.get(i);
      const v = d
        ? ((d.out ? this.icmpOut : this.icmpIn)[d.type] as number)
        : d6
          ? ((d6.out ? this.icmp6Out : this.icmp6In)[d6.type] as number)
          : (this.c[i] as number);
      out.push([MIB_NAMES[i] as string, v]);
      if (i === ICMP6MSG_AFTER) {
        for (let t = 0; t < 256; t++) if (this.icmp6In[t]) out.push([`Icmp6InType${t}`, this.icmp6In[t] as number]);
        for (let t = 0; t < 256; t++) if (this.icmp6Out[t]) out.push([`Icmp6OutType${t}`, this.icmp6Out[t] as number]);
      }
      if (i === ICMPMSG_AFTER) {
        for (let t = 0; t < 256; t++) if (this.icmpSeenIn[t]) out.push([`IcmpMsgInType${t}`, this.icmpIn[t] as number]);
        for (let t = 0; t < 256; t++) if (this.icmpSeenOut[t]) out.push([`IcmpMsgOutType${t}`, this.icmpOut[t] as number]);
      }
    }
    return out;
  }

  get(name: string): number {
    const m = /^IcmpMsg(In|Out)Type(\d+)$/.exec(name);
    if (m) return ((m[1] === 'In' ? this.icmpIn : this.icmpOut)[Number(m[2])] as number) ?? 0;
    const m6 = /^Icmp6(In|Out)Type(\d+)$/.exec(name);
    if (m6) return ((m6[1] === 'In' ? this.icmp6In : this.icmp6Out)[Number(m6[2])] as number) ?? 0;
    const i = INDEX.get(name);
    if (i === undefined) return 0;
    const d = DERIVED.get(i);
    if (d) return (d.out ? this.icmpOut : this.icmpIn)[d.type] as number;
    const d6 = DERIVED6.get(i);
    if (d6) return (d6.out ? this.icmp6Out : this.icmp6In)[d6.type] as number;
    return this.c[i] as number;
  }
}
