#!/usr/bin/env python3
"""Writes bad-ipv6.pcap (and bad-ipv6.txt, the case of each frame) that
bad-ipv6.sh replays from a (02:00:00:00:00:0a, 2001:db8::a) to b
(02:00:00:00:00:0b, 2001:db8::b): malformed IPv6 headers, extension headers
and fragments, each between good echo requests. Run from this directory:
python3 bad-ipv6.py
"""
import struct

A_MAC = bytes.fromhex('02000000000a')
B_MAC = bytes.fromhex('02000000000b')
A6 = bytes.fromhex('20010db800000000000000000000000a')
B6 = bytes.fromhex('20010db800000000000000000000000b')
LO6 = bytes.fromhex('00000000000000000000000000000001')


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(payload, dst=B_MAC):
    return dst + A_MAC + struct.pack('!H', 0x86dd) + payload


def echo(seq, src=A6, dst=B6, data=b'abcdefghijklmnop'):
    m = struct.pack('!BBHHH', 128, 0, 0, 0x4646, seq) + data
    c = csum(src + dst + struct.pack('!I3xB', len(m), 58) + m)
    return m[:2] + struct.pack('!H', c) + m[4:]


def ip6(nexthdr, payload, src=A6, dst=B6, plen=None, version=6, hlim=64):
    n = len(payload) if plen is None else plen
    return struct.pack('!IHBB', version << 28, n, nexthdr, hlim) + src + dst + payload


def frag(nexthdr, offset, mf, ident, data):
    return struct.pack('!BBHI', nexthdr, 0, offset | (1 if mf else 0), ident) + data


def write(name, cases):
    with open(name + '.pcap', 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, (_, frame) in enumerate(cases):
            f.write(struct.pack('<IIII', i + 1, 0, len(frame), len(frame)) + frame)
    with open(name + '.txt', 'w') as f:
        f.write(''.join(c + '\n' for c, _ in cases))


PADN4 = b'\x01\x02\x00\x00'
big = echo(20, data=bytes(range(256)) * 4)  # 1032 bytes of ICMPv6: two fragments of 512 and 520

cases = [
    ('good_echo_1', eth(ip6(58, echo(1)))),
    ('bad_version_4', eth(ip6(58, echo(2), version=4))),
    ('payload_length_past_end', eth(ip6(58, echo(3), plen=200))),
    ('short_header', eth(ip6(58, echo(4))[:30])),
    ('loopback_source', eth(ip6(58, echo(5, src=LO6), src=LO6))),
    ('multicast_source', eth(ip6(58, echo(6), src=bytes.fromhex('ff0e0000000000000000000000000001')))),
    ('multicast_scope_0', eth(ip6(58, echo(7), dst=bytes.fromhex('ff000000000000000000000000000001')), dst=bytes.fromhex('333300000001'))),
    ('hbh_truncated', eth(ip6(0, b'\x3a\x01\x00\x00'))),
    ('hbh_padn_not_zero', eth(ip6(0, b'\x3a\x00\x01\x04\x00\x01\x00\x00' + echo(9)))),
    ('hbh_unknown_option_skip', eth(ip6(0, b'\x3a\x00\x3e\x04\x00\x00\x00\x00' + echo(10)))),
    ('hbh_unknown_option_discard', eth(ip6(0, b'\x3a\x00\x7e\x04\x00\x00\x00\x00' + echo(11)))),
    ('hbh_unknown_option_icmp', eth(ip6(0, b'\x3a\x00\xbe\x04\x00\x00\x00\x00' + echo(12)))),
    ('hbh_not_first', eth(ip6(60, b'\x00\x00' + PADN4 + b'\x00\x00' + b'\x3a\x00' + PADN4 + b'\x00\x00' + echo(13)))),
    ('routing_type_0', eth(ip6(43, b'\x3a\x02\x00\x01\x00\x00\x00\x00' + B6 + echo(14)))),
    ('routing_type_0_done', eth(ip6(43, b'\x3a\x02\x00\x00\x00\x00\x00\x00' + B6 + echo(15)))),
    ('destopt_truncated', eth(ip6(60, b'\x3a\x01\x01\x04\x00\x00\x00\x00'))),
    ('unknown_next_header', eth(ip6(253, b'\x00' * 16))),
    ('no_next_header', eth(ip6(59, b'\x00' * 8))),
    ('frag_ok_1', eth(ip6(44, frag(58, 0, True, 0x1001, big[:512])))),
    ('frag_ok_2', eth(ip6(44, frag(58, 512, False, 0x1001, big[512:])))),
    ('frag_overlap_1', eth(ip6(44, frag(58, 0, True, 0x1002, echo(21, data=b'x' * 56))))),
    ('frag_overlap_2', eth(ip6(44, frag(58, 32, False, 0x1002, b'y' * 40)))),
    ('frag_not_multiple_of_8', eth(ip6(44, frag(58, 0, True, 0x1003, echo(22)[:13])))),
    ('frag_first_without_upper_header', eth(ip6(44, frag(58, 0, True, 0x1004, b'\x80\x00\x00\x00'[:4])))),
    ('frag_past_65535', eth(ip6(44, frag(58, 65528, False, 0x1005, b'z' * 16)))),
    ('good_echo_2', eth(ip6(58, echo(30)))),
]

write('bad-ipv6', cases)
