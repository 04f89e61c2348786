// The xtables user API: include/uapi/linux/netfilter_ipv4/ip_tables.h (struct
// ipt_ip and its inverse flags) and the info structs of each match and target
// (include/uapi/linux/netfilter/xt_*.h, ipt_REJECT.h, nf_nat.h) as iptables
// fills them and the kernel's checkentry/match/target functions read them.
// A rule crosses the boundary as plain data in these shapes.
import { IP_CT_IS_REPLY } from './nf_conntrack_common.ts';
import type { NfNatRange2 } from './nf_nat.ts';

/** ipt_REJECT.h's enum ipt_reject_with, by the names iptables uses. */
export type RejectWith =
  | 'icmp-net-unreachable'
  | 'icmp-host-unreachable'
  | 'icmp-port-unreachable'
  | 'icmp-proto-unreachable'
  | 'icmp-net-prohibited'
  | 'icmp-host-prohibited'
  | 'icmp-admin-prohibited'
  | 'tcp-reset';

/** ipt_ip.invflags */
export const IPT_INV_VIA_IN = 0x01;
export const IPT_INV_VIA_OUT = 0x02;
export const IPT_INV_SRCIP = 0x08;
export const IPT_INV_DSTIP = 0x10;
export const IPT_INV_FRAG = 0x20;
export const IPT_INV_PROTO = 0x40;

export const XT_LIMIT_SCALE = 10000;

export type PortRange = [number, number];

export type MatchSpec =
  | { name: 'tcp'; spts: PortRange; dpts: PortRange; flgMask: number; flgCmp: number; option: number; invflags: number }
  | { name: 'udp'; spts: PortRange; dpts: PortRange; invflags: number }
  | { name: 'icmp'; type: number; code: [number, number]; invert: boolean }
  | { name: 'multiport'; flags: 'src' | 'dst' | 'any'; ports: PortRange[]; invert: boolean }
  | { name: 'comment'; comment: string }
  | { name: 'mark'; mark: number; mask: number; invert: boolean }
  | { name: 'length'; min: number; max: number; invert: boolean }
  | { name: 'ttl'; mode: 'eq' | 'ne' | 'lt' | 'gt'; ttl: number }
  | { name: 'iprange'; src: PortRange | null; dst: PortRange | null; invSrc: boolean; invDst: boolean }
  | { name: 'addrtype'; source: number; dest: number; invSource: boolean; invDest: boolean; limitIn: boolean; limitOut: boolean }
  | { name: 'limit'; avg: number; burst: number; state: { credit: number; creditCap: number; cost: number; prev: number } | null }
  | ConntrackMatch
  | { name: 'state'; statemask: number; invert: boolean }
  | { name: 'connmark'; mark: number; mask: number; invert: boolean }
  | PhysdevMatch;

/** struct xt_physdev_info: port names as given ('+' for a prefix), which options (bitmask) and which are negated (invert). */
export interface PhysdevMatch {
  name: 'physdev';
  physindev: string;
  physoutdev: string;
  invert: number;
  bitmask: number;
}

/** include/uapi/linux/netfilter/xt_physdev.h */
export const XT_PHYSDEV_OP_IN = 0x01;
export const XT_PHYSDEV_OP_OUT = 0x02;
export const XT_PHYSDEV_OP_BRIDGED = 0x04;
export const XT_PHYSDEV_OP_ISIN = 0x08;
export const XT_PHYSDEV_OP_ISOUT = 0x10;
export const XT_PHYSDEV_OP_MASK = 0x20 - 1;
/** NFPROTO_UNSPEC: a match for every family (physdev). */
export const NFPROTO_UNSPEC = 0;

/** xt_conntrack_mtinfo3: the options given (flags) and which are negated (invflags). */
export interface ConntrackMatch {
  name: 'conntrack';
  flags: number;
  invflags: number;
  statemask: number;
  statusmask: number;
  l4proto: number;
  origsrc: [number, number];
  origdst: [number, number];
  replsrc: [number, number];
  repldst: [number, number];
  origsrcPort: PortRange;
  origdstPort: PortRange;
  replsrcPort: PortRange;
  repldstPort: PortRange;
  expires: PortRange;
}

export const XT_CONNTRACK_STATE = 1 << 0;
export const XT_CONNTRACK_PROTO = 1 << 1;
export const XT_CONNTRACK_ORIGSRC = 1 << 2;
export const XT_CONNTRACK_ORIGDST = 1 << 3;
export const XT_CONNTRACK_REPLSRC = 1 << 4;
export const XT_CONNTRACK_REPLDST = 1 << 5;
export const XT_CONNTRACK_STATUS = 1 << 6;
export const XT_CONNTRACK_EXPIRES = 1 << 7;
export const XT_CONNTRACK_ORIGSRC_PORT = 1 << 8;
export const XT_CONNTRACK_ORIGDST_PORT = 1 << 9;
export const XT_CONNTRACK_REPLSRC_PORT = 1 << 10;
export const XT_CONNTRACK_REPLDST_PORT = 1 << 11;
export const XT_CONNTRACK_DIRECTION = 1 << 12;
export const XT_CONNTRACK_STATE_ALIAS = 1 << 13;

/** State bits of xt_conntrack and xt_state: XT_CONNTRACK_STATE_BIT(ctinfo) and the extras. */
export const XT_STATE_INVALID = 1 << 0;
export const XT_STATE_BIT = (ctinfo: number): number => 1 << ((ctinfo % IP_CT_IS_REPLY) + 1);
export const XT_STATE_UNTRACKED = 1 << (IP_CT_IS_REPLY + 1);
export const XT_CONNTRACK_STATE_SNAT = 1 << 8;
export const XT_CONNTRACK_STATE_DNAT = 1 << 9;
export const XT_CONNTRACK_STATE_UNTRACKED = 1 << 10;

export const XT_CONNMARK_SET = 0;
export const XT_CONNMARK_SAVE = 1;
export const XT_CONNMARK_RESTORE = 2;

/** xt_tcpudp inverse flags */
export const XT_TCP_INV_SRCPT = 0x01;
export const XT_TCP_INV_DSTPT = 0x02;
export const XT_TCP_INV_FLAGS = 0x04;
export const XT_TCP_INV_OPTION = 0x08;

export type TargetSpec =
  | { kind: 'verdict'; verdict: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { kind: 'jump'; chain: string; goto: boolean }
  | { kind: 'REJECT'; with: RejectWith }
  | { kind: 'LOG'; prefix: string | null; level: number; flags: number }
  | { kind: 'MARK'; value: number; mask: number }
  | { kind: 'SNAT' | 'DNAT' | 'MASQUERADE' | 'REDIRECT'; range: NfNatRange2 }
  | { kind: 'CT'; notrack: boolean; zone: number; alias: boolean }
  | { kind: 'CONNMARK'; mode: number; ctmark: number; ctmask: number; nfmask: number }
  | { kind: 'none' };

export interface RuleSpec {
  src: number;
  smsk: number;
  dst: number;
  dmsk: number;
  iniface: string;
  outiface: string;
  /** 0: all */
  proto: number;
  invflags: number;
  /** -f: 1 fragments only, 0 none */
  frag: boolean;
  matches: MatchSpec[];
  target: TargetSpec;
}

/** The rule's own verdicts (struct xt_standard_target): go on with the next rule, or return from the chain. */
export const XT_CONTINUE = 0xffffffff;
export const XT_RETURN = -5; // -NF_REPEAT - 1
