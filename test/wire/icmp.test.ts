import { describe, expect, it } from 'vitest';
import { internetChecksum } from '../../src/wire/checksum.ts';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_EXC_TTL,
  ICMP_FRAG_NEEDED,
  ICMP_HEADER_LEN,
  ICMP_PORT_UNREACH,
  ICMP_TIME_EXCEEDED,
  icmph_checksum,
  icmph_code,
  icmph_echo_id,
  icmph_echo_sequence,
  icmph_frag_mtu,
  icmph_type,
} from '../../src/wire/icmp.ts';
import { iph_daddr, iph_tot_len, iph_ttl, ipv4ToString } from '../../src/wire/ipv4.ts';
import { udph_dest } from '../../src/wire/udp.ts';
import { ECHO_REPLY, ECHO_REQUEST, FRAG_NEEDED, PORT_UNREACH, TIME_EXCEEDED } from './fixtures.ts';

const IH = 34;

describe('struct icmphdr', () => {
  it('reads a real echo request and its reply', () => {
    const q = ECHO_REQUEST;
    expect(icmph_type(q, IH)).toBe(ICMP_ECHO);
    expect(icmph_code(q, IH)).toBe(0);
    expect(icmph_checksum(q, IH)).toBe(0x6e58);
    expect(icmph_echo_id(q, IH)).toBe(0x6431);
    expect(icmph_echo_sequence(q, IH)).toBe(1);
    expect(q.length - IH - ICMP_HEADER_LEN).toBe(56);
    expect(internetChecksum(q, IH)).toBe(0);
    expect(icmph_type(ECHO_REPLY, IH)).toBe(ICMP_ECHOREPLY);
    expect(internetChecksum(ECHO_REPLY, IH)).toBe(0);
  });

  it('reads a time exceeded and the probe it quotes', () => {
    expect(icmph_type(TIME_EXCEEDED, IH)).toBe(ICMP_TIME_EXCEEDED);
    expect(icmph_code(TIME_EXCEEDED, IH)).toBe(ICMP_EXC_TTL);
    const inner = IH + ICMP_HEADER_LEN;
    expect(iph_ttl(TIME_EXCEEDED, inner)).toBe(1);
    expect(ipv4ToString(iph_daddr(TIME_EXCEEDED, inner))).toBe('10.0.2.10');
    expect(udph_dest(TIME_EXCEEDED, inner + 20)).toBe(33434);
  });

  it('reads a port unreachable and a need-to-frag with its next-hop MTU', () => {
    expect(icmph_type(PORT_UNREACH, IH)).toBe(ICMP_DEST_UNREACH);
    expect(icmph_code(PORT_UNREACH, IH)).toBe(ICMP_PORT_UNREACH);
    expect(internetChecksum(PORT_UNREACH, IH)).toBe(0);
    expect(udph_dest(PORT_UNREACH, IH + ICMP_HEADER_LEN + 20)).toBe(33435);
    expect(icmph_code(FRAG_NEEDED, IH)).toBe(ICMP_FRAG_NEEDED);
    expect(icmph_frag_mtu(FRAG_NEEDED, IH)).toBe(1000);
    expect(iph_tot_len(FRAG_NEEDED, IH + ICMP_HEADER_LEN)).toBe(1428);
  });
});
