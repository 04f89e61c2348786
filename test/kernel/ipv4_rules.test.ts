// IPv4 receive and ICMP-error rules of ip_route_input_slow, fib_validate_source,
// ip_defrag and __icmp_send (net/ipv4/route.c, fib_frontend.c, ip_fragment.c, icmp.c).
import { describe, expect, it } from 'vitest';
import { inject, ipv4Frame } from './helpers.ts';

const src = (a: number, b: number, c: number, d: number) => (h: Uint8Array) => h.set([a, b, c, d], 12);
/** An ICMP echo request of `n` data bytes with a right checksum. */
function echo(n = 8): Uint8Array {
  const p = new Uint8Array(8 + n);
  p[0] = 8;
  let s = 0;
  for (let i = 0; i < p.length; i += 2) s += ((p[i] as number) << 8) | (p[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  p[2] = (~s >> 8) & 0xff;
  p[3] = ~s & 0xff;
  return p;
}

describe('martian and local sources', () => {
  it('a multicast source is IP_INVALID_SOURCE at ip_rcv_finish_core', () => {
    const { reasons } = inject(ipv4Frame(echo(), src(224, 0, 0, 1)));
    expect(reasons).toEqual(['IP_INVALID_SOURCE@ip_rcv_finish_core']);
  });

  it("a packet claiming b's own address as source is IP_LOCAL_SOURCE, unless accept_local", () => {
    const { reasons } = inject(ipv4Frame(echo(), src(10, 0, 0, 2)));
    expect(reasons).toEqual(['IP_LOCAL_SOURCE@ip_rcv_finish_core']);
    const ok = inject(ipv4Frame(echo(), src(10, 0, 0, 2)), 1, ({ b }) => {
      b.sysctl.set('net.ipv4.conf.vb.accept_local', '1');
    });
    expect(ok.reasons).not.toContain('IP_LOCAL_SOURCE@ip_rcv_finish_core');
    expect(ok.world.netns.get('b')?.mib.get('IcmpInEchos')).toBe(1);
  });

  it('a loopback destination without route_localnet is IP_LOCALNET', () => {
    const { reasons } = inject(ipv4Frame(echo(), (h) => h.set([127, 0, 0, 1], 16)));
    expect(reasons).toEqual(['IP_LOCALNET@ip_rcv_finish_core']);
  });

  it('rp_filter=1 drops a source whose route back leaves by another device (IP_RPFILTER, TcpExtIPReversePathFilter)', () => {
    const { reasons, world } = inject(ipv4Frame(echo(), src(192, 0, 2, 1)), 1, ({ b }) => {
      b.sysctl.set('net.ipv4.conf.all.rp_filter', '1');
    });
    expect(reasons).toEqual(['IP_RPFILTER@ip_rcv_finish_core']);
    expect(world.netns.get('b')?.mib.get('TcpExtIPReversePathFilter')).toBe(1);
  });
});

describe('fragments', () => {
  /** A fragment of an echo request: `off` in 8-byte units, `mf` more fragments. */
  const frag = (payload: Uint8Array, off: number, mf: boolean, id = 77) =>
    ipv4Frame(payload, (h) => {
      h[4] = id >> 8;
      h[5] = id & 0xff;
      const v = off | (mf ? 0x2000 : 0);
      h[6] = v >> 8;
      h[7] = v & 0xff;
    });

  it('two fragments reassemble into one echo request (IpReasmReqds 2, IpReasmOKs 1)', () => {
    const whole = echo(24);
    const { world } = inject([frag(whole.subarray(0, 16), 0, true), frag(whole.subarray(16), 2, false)]);
    const b = world.netns.get('b');
    expect(b?.mib.get('IpReasmReqds')).toBe(2);
    expect(b?.mib.get('IpReasmOKs')).toBe(1);
    expect(b?.mib.get('IcmpInEchos')).toBe(1);
  });

  it('an overlapping fragment kills the queue (IpReasmOverlaps, IpReasmFails), a duplicate is DUP_FRAG', () => {
    const whole = echo(24);
    const o = inject([frag(whole.subarray(0, 16), 0, true), frag(whole.subarray(8, 24), 1, true), frag(whole.subarray(16), 2, false)]);
    const b = o.world.netns.get('b');
    expect(b?.mib.get('IpExtReasmOverlaps')).toBe(1);
    expect(b?.mib.get('IpReasmFails')).toBeGreaterThanOrEqual(1);
    expect(b?.mib.get('IcmpInEchos')).toBe(0);
    const d = inject([frag(whole.subarray(0, 16), 0, true), frag(whole.subarray(0, 16), 0, true)]);
    expect(d.reasons).toContain('DUP_FRAG@ip_defrag');
  });

  it('an incomplete datagram times out after ipfrag_time: time exceeded only when the first fragment came', () => {
    const whole = echo(24);
    const first = inject(frag(whole.subarray(0, 16), 0, true));
    const b1 = first.world.netns.get('b');
    expect(b1?.mib.get('IpReasmTimeout')).toBe(1);
    expect(b1?.mib.get('IcmpOutTimeExcds')).toBe(1);
    expect(first.reasons).toContain('FRAG_REASM_TIMEOUT@ip_expire');
    const later = inject(frag(whole.subarray(16), 2, false));
    const b2 = later.world.netns.get('b');
    expect(b2?.mib.get('IpReasmTimeout')).toBe(1);
    expect(b2?.mib.get('IcmpOutTimeExcds')).toBe(0);
  });
});

describe('when no ICMP error is sent', () => {
  it('an unknown protocol gets protocol unreachable (IP_NOPROTO at ip_local_deliver_finish)', () => {
    const { reasons, world } = inject(ipv4Frame(new Uint8Array(8), (h) => (h[9] = 253)));
    expect(reasons).toEqual(['IP_NOPROTO@ip_local_deliver_finish']);
    expect(world.netns.get('b')?.mib.get('IcmpOutDestUnreachs')).toBe(1);
  });

  it('never about an ICMP error: an unknown-protocol packet is answered, a bad ICMP error is not', () => {
    // an ICMP port unreachable quoting a datagram b never sent: delivered, not answered
    const err = new Uint8Array(8 + 28);
    err[0] = 3;
    err[1] = 3;
    err.set([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1], 8);
    let s = 0;
    for (let i = 0; i < err.length; i += 2) s += ((err[i] as number) << 8) | (err[i + 1] ?? 0);
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    err[2] = (~s >> 8) & 0xff;
    err[3] = ~s & 0xff;
    const { world } = inject(ipv4Frame(err, () => {}));
    const b = world.netns.get('b');
    expect(b?.mib.get('IcmpInDestUnreachs')).toBe(1);
    expect(b?.mib.get('IcmpOutMsgs')).toBe(0);
  });

  it('never to a broadcast: UDP to a closed port at the subnet broadcast is UdpIgnoredMulti, no port unreachable', () => {
    const udp = new Uint8Array(8);
    udp.set([0x30, 0x39, 0x27, 0x0f, 0, 8, 0, 0]);
    const { world } = inject(
      ipv4Frame(udp, (h) => {
        h[9] = 17;
        h.set([10, 0, 0, 255], 16);
      }),
    );
    const b = world.netns.get('b');
    expect(b?.mib.get('UdpNoPorts')).toBe(0);
    expect(b?.mib.get('UdpIgnoredMulti')).toBe(1);
    expect(b?.mib.get('IcmpOutMsgs')).toBe(0);
  });
});
