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

export class Mib {
  readonly c = new Float64Array(MIB_NAMES.length);
  /** ICMPMSG_MIB: per type, in and out. */
  readonly icmpIn = new Float64Array(256);
  readonly icmpOut = new Float64Array(256);
  /** Which IcmpMsg types were ever counted (the kernel shows only those). */
  private readonly icmpSeenIn = new Uint8Array(256);
  private readonly icmpSeenOut = new Uint8Array(256);

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

  /** Every counter as nstat lists it: [name, value] in order. */
  entries(): [string, number][] {
    const out: [string, number][] = [];
    for (let i = 0; i < MIB_NAMES.length; i++) {
      const d = DERIVED.get(i);
      const v = d ? ((d.out ? this.icmpOut : this.icmpIn)[d.type] as number) : (this.c[i] as number);
      out.push([MIB_NAMES[i] as string, v]);
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
    const i = INDEX.get(name);
    if (i === undefined) return 0;
    const d = DERIVED.get(i);
    if (d) return (d.out ? this.icmpOut : this.icmpIn)[d.type] as number;
    return this.c[i] as number;
  }
}
