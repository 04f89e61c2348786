// net/ipv6/ip6_input.c, exthdrs.c and reassembly.c: the malformed IPv6 frames
// of the bad-ipv6 scenario (test/oracle/frames/bad-ipv6.py), each ending in
// the drop reason, location and counter Linux 6.18 gives it (as recorded in
// test/oracle/golden/bad-ipv6), and random IPv6 headers and extension header
// chains never throwing and never dropping without a reason.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addrconf_f6i_alloc, ip6_ins_rt, ip6_route_add } from '../../../src/kernel/ipv6/route.ts';
import { fib6_config } from '../../../src/kernel/ipv6/route_types.ts';
import type { Net } from '../../../src/kernel/net_namespace.ts';
import { parseIpv6 } from '../../../src/wire/ipv6.ts';
import { inject } from '../helpers.ts';

const FRAMES = new URL('../../oracle/frames/', import.meta.url).pathname;
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** The frames of a classic pcap file, in order. */
function pcapFrames(path: string): Uint8Array[] {
  const b = new Uint8Array(readFileSync(path));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Uint8Array[] = [];
  for (let o = 24; o + 16 <= b.length; ) {
    const len = dv.getUint32(o + 8, true);
    out.push(b.slice(o + 16, o + 16 + len));
    o += 16 + len;
  }
  return out;
}

const cases = readFileSync(`${FRAMES}bad-ipv6.txt`, 'utf8').trim().split('\n');
const frames = pcapFrames(`${FRAMES}bad-ipv6.pcap`);

/** b holds 2001:db8::b on vb: its local route and the /64 (what addrconf would add). */
function withAddress(h: { b: Net }): void {
  const net = h.b;
  // twoHosts() switches IPv6 off as the oracle's scenarios do: b gets it back
  net.sysctl.write('net.ipv6.conf.all.disable_ipv6', '0');
  net.sysctl.write('net.ipv6.conf.default.disable_ipv6', '0');
  net.sysctl.write('net.ipv6.conf.vb.disable_ipv6', '0');
  const vb = net.devByName.get('vb');
  if (!vb?.ip6Ptr) throw new Error('vb has no inet6_dev');
  const addr = parseIpv6('2001:db8::b') as Uint8Array;
  expect(ip6_ins_rt(net, addrconf_f6i_alloc(net, vb.ip6Ptr, addr, false))).toBe(0);
  const cfg = fib6_config(net, {
    fc_dst: parseIpv6('2001:db8::') as Uint8Array,
    fc_dst_len: 64,
    fc_ifindex: vb.ifindex,
    fc_metric: 256,
    fc_protocol: 2,
    fc_flags: 1,
  });
  expect(ip6_route_add(cfg, { msg: null })).toBe(0);
}

/** What Linux did with each case in bad-ipv6's recording: reason@location, and the counter it bumped. */
const EXPECTED: Record<string, [string, string]> = {
  bad_version_4: ['UNHANDLED_PROTO@ip6_rcv_core', 'Ip6InHdrErrors'],
  payload_length_past_end: ['PKT_TOO_SMALL@ip6_rcv_core', 'Ip6InTruncatedPkts'],
  short_header: ['IP_INHDR@ip6_rcv_core', 'Ip6InHdrErrors'],
  loopback_source: ['IP_INHDR@ip6_rcv_core', 'Ip6InHdrErrors'],
  multicast_source: ['IP_INHDR@ip6_rcv_core', 'Ip6InHdrErrors'],
  multicast_scope_0: ['IP_INHDR@ip6_rcv_core', 'Ip6InHdrErrors'],
  hbh_truncated: ['NOT_SPECIFIED@ipv6_parse_hopopts', 'Ip6InHdrErrors'],
  hbh_padn_not_zero: ['IP_INHDR@ip6_parse_tlv', 'Ip6InHdrErrors'],
  hbh_unknown_option_discard: ['UNHANDLED_PROTO@ip6_tlvopt_unknown', 'Ip6InHdrErrors'],
  hbh_unknown_option_icmp: ['UNHANDLED_PROTO@ip6_tlvopt_unknown', 'Ip6InHdrErrors'],
  hbh_not_first: ['IP_NOPROTO@ip6_input_finish', 'Ip6InUnknownProtos'],
  routing_type_0: ['NOT_SPECIFIED@ipv6_rthdr_rcv', 'Ip6InHdrErrors'],
  destopt_truncated: ['NOT_SPECIFIED@ipv6_destopt_rcv', 'Ip6InHdrErrors'],
  unknown_next_header: ['IP_NOPROTO@ip6_input_finish', 'Ip6InUnknownProtos'],
  no_next_header: ['NOT_SPECIFIED@dst_discard_out', 'Ip6InDelivers'],
  frag_overlap_2: ['NOT_SPECIFIED@ipv6_frag_rcv', 'Ip6ReasmFails'],
  frag_not_multiple_of_8: ['NOT_SPECIFIED@ipv6_frag_rcv', 'Ip6InHdrErrors'],
  frag_first_without_upper_header: ['NOT_SPECIFIED@ipv6_frag_rcv', 'Ip6InHdrErrors'],
  frag_past_65535: ['NOT_SPECIFIED@ipv6_frag_rcv', 'Ip6InHdrErrors'],
};

describe('malformed IPv6 frames end as on Linux 6.18', () => {
  it('the capture has one case name per frame', () => {
    expect(frames.length).toBe(cases.length);
  });

  for (const [name, [where, counter]] of Object.entries(EXPECTED)) {
    it(`${name}: ${where}, ${counter}`, () => {
      const i = cases.indexOf(name);
      expect(i).toBeGreaterThanOrEqual(0);
      // an overlap needs the fragment it overlaps first
      const batch = name === 'frag_overlap_2' ? [frames[i - 1] as Uint8Array, frames[i] as Uint8Array] : [frames[i] as Uint8Array];
      const { reasons, world } = inject(batch, 1, withAddress);
      expect(reasons).toContain(where);
      expect(world.netns.get('b')?.mib.get(counter)).toBeGreaterThan(0);
    });
  }

  it('good fragments are reassembled (Ip6ReasmOKs) and a datagram after the bad ones still gets in', () => {
    const i = cases.indexOf('frag_ok_1');
    const { reasons, world } = inject([frames[i] as Uint8Array, frames[i + 1] as Uint8Array], 1, withAddress);
    const b = world.netns.get('b');
    expect(b?.mib.get('Ip6ReasmReqds')).toBe(2);
    expect(b?.mib.get('Ip6ReasmOKs')).toBe(1);
    expect(reasons.filter((r) => /ip6_rcv_core|ipv6_frag_rcv/.test(r))).toEqual([]);
  });
});

describe('the IPv6 receive path never throws on bad bytes', () => {
  it('random IPv6 headers and extension header chains to our MAC', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.constantFrom(0, 43, 44, 58, 59, 60, 253, 6, 17),
        fc.uint8Array({ minLength: 0, maxLength: 96 }),
        (v, plen, nexthdr, rest) => {
          const f = new Uint8Array(14 + 40 + rest.length);
          f.set([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x86, 0xdd]);
          f.set([v, 0, 0, 0, plen >> 8, plen & 0xff, nexthdr, 64], 14);
          f.set(parseIpv6('2001:db8::a') as Uint8Array, 22);
          f.set(parseIpv6('2001:db8::b') as Uint8Array, 38);
          f.set(rest, 54);
          let out: ReturnType<typeof inject> | null = null;
          expect(() => {
            out = inject(f, 1, withAddress);
          }).not.toThrow();
          for (const r of (out as unknown as ReturnType<typeof inject>).reasons) expect(r).toMatch(/^[A-Z_0-9]+@\w+$/);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
