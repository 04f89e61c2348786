// net/ipv4/proc.c and net/ipv6/proc.c: the SNMP counters of a namespace as
// /proc/net/snmp, /proc/net/netstat and /proc/net/snmp6 show them (what
// nstat reads). The first two are "ugly" tables: a line of names and a line
// of values per group, the group name first; snmp6 is one "name\tvalue" line each.
import type { Net } from '../net_namespace.ts';
import { tcp_curr_estab } from './inet_diag.ts';

const GROUP = /^(IcmpMsg|Icmp6|Icmp|Ip6|IpExt|Ip|TcpExt|Tcp|UdpLite6|UdpLite|Udp6|Udp|MPTcpExt)(.+)$/;

/** The counters of a namespace by group, in the kernel's order. */
function groups(net: Net): Map<string, [string, number][]> {
  const out = new Map<string, [string, number][]>();
  for (const [name, v] of net.mib.entries()) {
    const m = GROUP.exec(name);
    if (!m) continue;
    const g = m[1] as string;
    let l = out.get(g);
    if (!l) out.set(g, (l = []));
    l.push([m[2] as string, v]);
  }
  return out;
}

function table(group: string, cols: readonly [string, number][]): string {
  return `${group}: ${cols.map((c) => c[0]).join(' ')}\n${group}: ${cols.map((c) => String(c[1])).join(' ')}\n`;
}

/** icmpmsg_put(): the per-type counters seen, in lines of 16. */
function icmpmsg_put(cols: readonly [string, number][]): string {
  let s = '';
  for (let i = 0; i < cols.length; i += 16) s += table('IcmpMsg', cols.slice(i, i + 16));
  return s;
}

/** snmp_seq_show(): Ip, Icmp, IcmpMsg, Tcp, Udp, UdpLite. */
export function snmp_seq_show(net: Net): string {
  const g = groups(net);
  const get = (n: string): [string, number][] => g.get(n) ?? [];
  // ipv4_devconf_all FORWARDING: 1 forwarding, 2 not (RFC 1213 ipForwarding)
  const ip: [string, number][] = [
    ['Forwarding', net.sysctl.devConf('all', 'forwarding') ? 1 : 2],
    ['DefaultTTL', net.sysctl.int('net.ipv4.ip_default_ttl')],
    ...get('Ip'),
  ];
  const tcp = get('Tcp');
  const at = tcp.findIndex((c) => c[0] === 'EstabResets') + 1;
  // RtoAlgorithm 1 (other), RtoMin/RtoMax in ms, MaxConn -1; CurrEstab is a gauge
  const tcpCols: [string, number][] = [
    ['RtoAlgorithm', 1],
    ['RtoMin', 200],
    ['RtoMax', 120000],
    ['MaxConn', -1],
    ...tcp.slice(0, at),
    ['CurrEstab', tcp_curr_estab(net)],
    ...tcp.slice(at),
  ];
  let s = table('Ip', ip) + table('Icmp', get('Icmp'));
  const msg = get('IcmpMsg');
  if (msg.length) s += icmpmsg_put(msg);
  return s + table('Tcp', tcpCols) + table('Udp', get('Udp')) + table('UdpLite', get('UdpLite'));
}

/** netstat_seq_show(): TcpExt, IpExt, MPTcpExt. */
export function netstat_seq_show(net: Net): string {
  const g = groups(net);
  return ['TcpExt', 'IpExt', 'MPTcpExt'].map((n) => table(n, g.get(n) ?? [])).join('');
}

/** snmp6_seq_show(): Ip6, Icmp6 (with the named types), Udp6, UdpLite6. */
export function snmp6_seq_show(net: Net): string {
  const g = groups(net);
  let s = '';
  for (const n of ['Ip6', 'Icmp6', 'Udp6', 'UdpLite6']) for (const [c, v] of g.get(n) ?? []) s += `${(n + c).padEnd(32)}\t${v}\n`;
  return s;
}
