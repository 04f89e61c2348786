// How nft 1.0.6 prints iptables-nft's nft_compat expressions (src/xt.c
// xt_stmt_xlate): through each xtables extension's xlate callback of
// iptables 1.8.9 (libxt_*.c *_xlate), as `nft list ruleset` shows the rules
// of a table iptables-nft made. An extension without xlate prints as
// `xt match "name"` / `xt target "name"`.
import type { MatchSpec, TargetSpec } from '../../../kernel/uapi/x_tables.ts';
import { ipv4String } from './datatype.ts';

/** libxt_conntrack/libxt_state state_xlate_print(): the states in its order. */
function states(mask: number): string {
  const names: [number, string][] = [
    [1, 'invalid'],
    [8, 'new'],
    [4, 'related'],
    [2, 'established'],
    [64, 'untracked'],
  ];
  return names
    .filter(([bit]) => mask & bit)
    .map(([, n]) => n)
    .join(',');
}

const ICMP_TYPES: Record<number, string> = {
  0: 'echo-reply',
  3: 'destination-unreachable',
  4: 'source-quench',
  5: 'redirect',
  8: 'echo-request',
  9: 'router-advertisement',
  10: 'router-solicitation',
  11: 'time-exceeded',
  12: 'parameter-problem',
  13: 'timestamp-request',
  14: 'timestamp-reply',
  17: 'address-mask-request',
  18: 'address-mask-reply',
};

const ADDRTYPES = ['unspec', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit'];

function protoName(p: number): string {
  return p === 6 ? 'tcp' : p === 17 ? 'udp' : p === 132 ? 'sctp' : p === 33 ? 'dccp' : 'th';
}

export function matchXlate(m: MatchSpec, proto: number): string {
  switch (m.name) {
    case 'conntrack': {
      const out: string[] = [];
      if (m.flags & 1) out.push(`ct state ${m.invflags & 1 ? '!= ' : ''}${states(m.statemask)}`);
      return out.join(' ');
    }
    case 'state':
      return `ct state ${m.invert ? '!= ' : ''}${states(m.statemask)}`;
    case 'comment':
      return '';
    case 'icmp':
      if (m.type === 0xff) return '';
      return `icmp type ${m.invert ? '!= ' : ''}${ICMP_TYPES[m.type] ?? m.type}${m.code[0] !== 0 || m.code[1] !== 0xff ? ` icmp code ${m.code[0]}` : ''}`;
    case 'multiport': {
      const ports = m.ports.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
      const list = ports.length > 1 ? `{ ${ports.join(', ')} }` : (ports[0] ?? '');
      const field = m.flags === 'src' ? 'sport' : 'dport';
      return `${protoName(proto)} ${field} ${m.invert ? '!= ' : ''}${list}`;
    }
    case 'mark':
      return m.mask !== 0xffffffff
        ? `mark and 0x${m.mask.toString(16)} ${m.invert ? '!=' : '=='} 0x${m.mark.toString(16)}`
        : `mark ${m.invert ? '!= ' : ''}0x${m.mark.toString(16)}`;
    case 'connmark':
      return m.mask !== 0xffffffff
        ? `ct mark and 0x${m.mask.toString(16)} ${m.invert ? '!=' : '=='} 0x${m.mark.toString(16)}`
        : `ct mark ${m.invert ? '!= ' : ''}0x${m.mark.toString(16)}`;
    case 'length':
      return `meta length ${m.invert ? '!= ' : ''}${m.min === m.max ? m.min : `${m.min}-${m.max}`}`;
    case 'ttl':
      return `ip ttl ${m.mode === 'eq' ? '' : m.mode === 'ne' ? '!= ' : m.mode === 'lt' ? '< ' : '> '}${m.ttl}`;
    case 'iprange': {
      const out: string[] = [];
      if (m.src) out.push(`ip saddr ${m.invSrc ? '!= ' : ''}${ipv4String(BigInt(m.src[0]))}-${ipv4String(BigInt(m.src[1]))}`);
      if (m.dst) out.push(`ip daddr ${m.invDst ? '!= ' : ''}${ipv4String(BigInt(m.dst[0]))}-${ipv4String(BigInt(m.dst[1]))}`);
      return out.join(' ');
    }
    case 'addrtype': {
      const out: string[] = [];
      const types = (mask: number) => ADDRTYPES.filter((_, i) => mask & (1 << i)).join(', ');
      if (m.source) out.push(`fib saddr type ${m.invSource ? '!= ' : ''}${types(m.source)}`);
      if (m.dest) out.push(`fib daddr type ${m.invDest ? '!= ' : ''}${types(m.dest)}`);
      return out.join(' ');
    }
    case 'limit': {
      const per = 10000 / m.avg;
      return `limit rate ${per}/second burst ${m.burst} packets`;
    }
    case 'tcp':
    case 'udp': {
      const out: string[] = [];
      const [s0, s1] = m.spts;
      const [d0, d1] = m.dpts;
      const inv = m.invflags;
      if (s0 !== 0 || s1 !== 0xffff) out.push(`${m.name} sport ${inv & 1 ? '!= ' : ''}${s0 === s1 ? s0 : `${s0}-${s1}`}`);
      if (d0 !== 0 || d1 !== 0xffff) out.push(`${m.name} dport ${inv & 2 ? '!= ' : ''}${d0 === d1 ? d0 : `${d0}-${d1}`}`);
      return out.join(' ');
    }
  }
  return `xt match "${(m as { name: string }).name}"`;
}

const REJECT_XLATE: Record<string, string> = {
  'icmp-net-unreachable': 'reject with icmp type net-unreachable',
  'icmp-host-unreachable': 'reject with icmp type host-unreachable',
  'icmp-port-unreachable': 'reject',
  'icmp-proto-unreachable': 'reject with icmp type prot-unreachable',
  'icmp-net-prohibited': 'reject with icmp type net-prohibited',
  'icmp-host-prohibited': 'reject with icmp type host-prohibited',
  'icmp-admin-prohibited': 'reject with icmp type admin-prohibited',
  'tcp-reset': 'reject with tcp reset',
};

const LOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];

function natTo(r: { flags: number; minAddr: number; maxAddr: number; minProto: number; maxProto: number }): string {
  let out = '';
  if (r.flags & 1) {
    out += ipv4String(BigInt(r.minAddr >>> 0));
    if (r.maxAddr !== r.minAddr) out += `-${ipv4String(BigInt(r.maxAddr >>> 0))}`;
  }
  if (r.flags & 2) {
    out += `:${r.minProto}`;
    if (r.maxProto !== r.minProto) out += `-${r.maxProto}`;
  }
  return out;
}

export function targetXlate(t: TargetSpec): string {
  switch (t.kind) {
    case 'REJECT':
      return REJECT_XLATE[t.with] ?? 'reject';
    case 'LOG': {
      let out = 'log';
      if (t.prefix) out += ` prefix "${t.prefix}"`;
      if (t.level !== 4) out += ` level ${LOG_LEVELS[t.level] ?? t.level}`;
      return out;
    }
    case 'MARK':
      return t.mask === 0xffffffff || t.mask === 0
        ? `meta mark set 0x${t.value.toString(16)}`
        : `meta mark set mark and 0x${(~t.mask >>> 0).toString(16)} xor 0x${t.value.toString(16)}`;
    case 'SNAT':
      return `snat to ${natTo(t.range)}`;
    case 'DNAT':
      return `dnat to ${natTo(t.range)}`;
    case 'MASQUERADE':
      return t.range.flags & 2 ? `masquerade to :${t.range.minProto}` : 'masquerade';
    case 'REDIRECT':
      return t.range.flags & 2
        ? `redirect to :${t.range.minProto}${t.range.maxProto !== t.range.minProto ? `-${t.range.maxProto}` : ''}`
        : 'redirect';
    case 'CT':
      return t.notrack ? 'notrack' : t.zone ? `ct zone set ${t.zone}` : 'xt target "CT"';
    case 'CONNMARK':
      if (t.mode === 0) return `ct mark set 0x${t.ctmark.toString(16)}`;
      if (t.mode === 1) return 'ct mark set mark';
      return 'meta mark set ct mark';
    default:
      return `xt target "${t.kind}"`;
  }
}
