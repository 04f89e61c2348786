// ICMPv6 over the IPv6 datagram sockets: ping -6 to ::1 end to end (raw
// ICMPv6 socket, icmpv6_rcv, icmpv6_echo_reply, raw delivery with
// ICMPV6_FILTER), the counters nstat shows, the local errors of the socket
// layer, and the argument handling of ping -6 that needs no network.
import { describe, expect, it } from 'vitest';
import { Inet6Ifaddr } from '../../../src/kernel/ipv6/addrconf.ts';
import { addrconf_f6i_alloc, ip6_ins_rt } from '../../../src/kernel/ipv6/route.ts';
import type { Net } from '../../../src/kernel/net_namespace.ts';
import { parseIpv6 } from '../../../src/wire/ipv6.ts';
import { newWorld, sh } from '../../userspace/ip_world.ts';

/** ::1 on lo with its local route, as addrconf gives lo at link up. */
function loopback6(net: Net): void {
  const idev = net.loopbackDev.ip6Ptr;
  if (!idev) throw new Error('lo has no inet6_dev');
  if (idev.addr_list.length) return;
  const ifp = new Inet6Ifaddr(idev, parseIpv6('::1') as Uint8Array, 128, 0x10, 0x80, 0);
  ifp.state = 2;
  idev.addr_list.push(ifp);
  ip6_ins_rt(net, addrconf_f6i_alloc(net, idev, ifp.addr, false));
}

const nstat = (net: Net, prefix: string): string[] =>
  net.mib
    .entries()
    .filter(([n, v]) => v && n.startsWith(prefix))
    .map(([n, v]) => `${n} ${v}`);

describe('ping -6 ::1', () => {
  it('echo requests and replies through lo, with the ICMPv6 counters', () => {
    const w = newWorld();
    const net = w.initNet;
    sh(w, 'ip link set lo up');
    loopback6(net);
    const r = sh(w, 'ping -6 -c 2 -i 0.2 ::1', net);
    expect(r.status).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('PING ::1(::1) 56 data bytes');
    expect(lines[1]).toMatch(/^64 bytes from ::1: icmp_seq=1 ttl=64 time=\d+\.\d+ ms$/);
    expect(lines[2]).toMatch(/^64 bytes from ::1: icmp_seq=2 ttl=64 time=/);
    expect(lines).toContain('2 packets transmitted, 2 received, 0% packet loss, time 200ms');
    expect(nstat(net, 'Icmp6')).toEqual([
      'Icmp6InMsgs 4',
      'Icmp6OutMsgs 4',
      'Icmp6InEchos 2',
      'Icmp6InEchoReplies 2',
      'Icmp6OutEchos 2',
      'Icmp6OutEchoReplies 2',
      'Icmp6InType128 2',
      'Icmp6InType129 2',
      'Icmp6OutType128 2',
      'Icmp6OutType129 2',
    ]);
  });

  it('-I lo names the device and the source; -I ::1 the source only', () => {
    const w = newWorld();
    const net = w.initNet;
    sh(w, 'ip link set lo up');
    loopback6(net);
    expect(sh(w, 'ping -6 -c 1 -I lo ::1', net).out.split('\n')[0]).toBe('PING ::1(::1) from ::1 lo: 56 data bytes');
    expect(sh(w, 'ping -6 -c 1 -I ::1 ::1', net).out.split('\n')[0]).toBe('PING ::1(::1) from ::1 : 56 data bytes');
    expect(sh(w, 'ping6 -c 1 -s 2000 ::1', net).out.split('\n')[1]).toMatch(/^2008 bytes from ::1: icmp_seq=1 ttl=64/);
  });

  it('echo_ignore_all: no reply, the request is dropped after counting', () => {
    const w = newWorld();
    const net = w.initNet;
    sh(w, 'ip link set lo up');
    loopback6(net);
    sh(w, 'sysctl -qw net.ipv6.icmp.echo_ignore_all=1');
    const r = sh(w, 'ping -6 -c 1 -W 1 ::1', net);
    expect(r.status).toBe(1);
    expect(r.out).toContain('1 packets transmitted, 0 received, 100% packet loss');
    expect(nstat(net, 'Icmp6InEchos')).toEqual(['Icmp6InEchos 1']);
    expect(nstat(net, 'Icmp6OutEchoReplies')).toEqual([]);
  });

  it('-M do over the path MTU is a local error with the MTU (lo: 65536)', () => {
    const w = newWorld();
    const net = w.initNet;
    sh(w, 'ip link set lo up');
    loopback6(net);
    const r = sh(w, 'ping -6 -c 1 -M do -s 65500 ::1', net);
    expect(r.out).toContain('ping: local error: message too long, mtu: 65536\n');
    expect(r.out).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss');
    expect(r.status).toBe(1);
  });
});

describe('ping -6 arguments (as iputils 20221126 answers them on Linux)', () => {
  const cases: [string, string, number][] = [
    ['ping -4 -6 ::1', 'ping: only one -4 or -6 option may be specified\n', 2],
    ['ping -6 -c 1 127.0.0.1', 'ping: 127.0.0.1: Address family for hostname not supported\n', 2],
    ['ping -6 -c 1 ::1%lo', 'ping: ::1%lo: Name or service not known\n', 2],
    ['ping -4 -c 1 ::1', 'ping: ::1: Address family for hostname not supported\n', 2],
    ['ping -6 -c 1 -I nosuchdev ::1', 'ping: unknown iface: nosuchdev\n', 2],
    ['ping -6 -c 1 -I 2001:db8::zz ::1', 'ping: invalid source address: 2001:db8::zz\n', 2],
    ['ping -6 -c 1 2001:db8:55::1', 'ping: connect: Network is unreachable\n', 2],
  ];
  it.each(cases)('%s', (line, out, status) => {
    const w = newWorld();
    sh(w, 'ip link set lo up');
    loopback6(w.initNet);
    const r = sh(w, line);
    expect(r.out).toBe(out);
    expect(r.status).toBe(status);
  });
});
