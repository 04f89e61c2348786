// The extensions this iptables has (its libxt_*.so files): adding one is a
// new libxt_*.ts module and a line here.
import { libxt_addrtype } from './libxt_addrtype.ts';
import { libxt_comment } from './libxt_comment.ts';
import { libxt_CONNMARK, libxt_connmark } from './libxt_connmark.ts';
import { libxt_conntrack } from './libxt_conntrack.ts';
import { libxt_CT, libxt_NOTRACK } from './libxt_CT.ts';
import { libxt_icmp } from './libxt_icmp.ts';
import { libxt_iprange } from './libxt_iprange.ts';
import { libxt_length } from './libxt_length.ts';
import { libxt_limit } from './libxt_limit.ts';
import { libxt_LOG } from './libxt_LOG.ts';
import { libxt_MARK, libxt_mark } from './libxt_mark.ts';
import { libxt_multiport } from './libxt_multiport.ts';
import { libxt_DNAT, libxt_MASQUERADE, libxt_REDIRECT, libxt_SNAT } from './libxt_NAT.ts';
import { libxt_physdev } from './libxt_physdev.ts';
import { libxt_REJECT } from './libxt_REJECT.ts';
import { libxt_state } from './libxt_state.ts';
import { libxt_tcp } from './libxt_tcp.ts';
import { libxt_ttl } from './libxt_ttl.ts';
import { libxt_udp } from './libxt_udp.ts';
import type { MatchExt, TargetExt } from './xtables.ts';

export const MATCHES: readonly MatchExt[] = [
  libxt_tcp,
  libxt_udp,
  libxt_icmp,
  libxt_multiport,
  libxt_comment,
  libxt_mark,
  libxt_length,
  libxt_ttl,
  libxt_iprange,
  libxt_addrtype,
  libxt_limit,
  libxt_conntrack,
  libxt_state,
  libxt_connmark,
  libxt_physdev,
] as unknown as readonly MatchExt[];

export const TARGETS: readonly TargetExt[] = [
  libxt_REJECT,
  libxt_LOG,
  libxt_MARK,
  libxt_SNAT,
  libxt_DNAT,
  libxt_MASQUERADE,
  libxt_REDIRECT,
  libxt_CT,
  libxt_NOTRACK,
  libxt_CONNMARK,
] as unknown as readonly TargetExt[];

/** Extensions iptables has but this simulator does not. */
export const UNSIMULATED_MATCHES = ['connbytes', 'connlimit', 'helper'];
export const UNSIMULATED_TARGETS = ['NETMAP', 'TPROXY'];

export const findMatch = (name: string): MatchExt | undefined => MATCHES.find((m) => m.name === name);
export const findTarget = (name: string): TargetExt | undefined => TARGETS.find((t) => t.name === name);
/** The printer of a kernel target kind (CT prints NOTRACK too). */
export const targetOfKind = (kind: string): TargetExt | undefined => TARGETS.find((t) => t.kind === kind);
