#!/usr/bin/env python3
"""Writes vxlan-bad.pcap (and vxlan-bad.txt, its case list) that the
vxlan-bad.sh scenario replays from a (02:00:00:00:00:0a, 10.0.0.1) to b's
vxlan port (02:00:00:00:00:0b, 10.0.0.2, UDP 4789; b's vx0 is VNI 42 with
MAC 02:00:00:00:bb:bb, 192.168.7.2). Run from this directory:
python3 vxlan-frames.py
"""
import struct

A_MAC = bytes.fromhex('02000000000a')
B_MAC = bytes.fromhex('02000000000b')
A_IP = bytes([10, 0, 0, 1])
B_IP = bytes([10, 0, 0, 2])
VX_MAC = bytes.fromhex('02000000bbbb')
IN_MAC = bytes.fromhex('02000000aa01')
STATIC_MAC = bytes.fromhex('02000000aaaa')
IN_A = bytes([192, 168, 7, 1])
IN_B = bytes([192, 168, 7, 2])


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(dst, src, typ, payload):
    return dst + src + struct.pack('!H', typ) + payload


def ip(proto, payload, ident, src, dst):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0, src, dst)
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def udp(sport, dport, data, src, dst, zero_csum=False, bad_csum=False):
    h = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    if zero_csum:
        return h
    c = csum(src + dst + struct.pack('!BBH', 0, 17, len(h)) + h) or 0xffff
    if bad_csum:
        c ^= 0x0f0f
    return h[:6] + struct.pack('!H', c) + h[8:]


def echo_reply(seq):
    h = struct.pack('!BBHHH', 0, 0, 0, 0x4242, seq) + b'abcdefghijklmnop'
    return h[:2] + struct.pack('!H', csum(h)) + h[4:]


def inner(seq, src_mac=IN_MAC):
    return eth(VX_MAC, src_mac, 0x0800, ip(1, echo_reply(seq), 0x100 + seq, IN_A, IN_B))


def vxlan(payload, vni=42, flags=0x08, rsvd=0):
    return struct.pack('!BBHI', flags, 0, 0, (vni << 8) | rsvd) + payload


def outer(data, ident, **kw):
    return eth(B_MAC, A_MAC, 0x0800, ip(17, udp(40000, 4789, data, A_IP, B_IP, **kw), ident, A_IP, B_IP))


CASES = [
    ('valid: an echo reply inside, learnt and delivered (NO_SOCKET at ping_rcv)', outer(vxlan(inner(1)), 1)),
    ('valid, outer UDP checksum 0', outer(vxlan(inner(2)), 2, zero_csum=True)),
    ('I flag clear: VXLAN_INVALID_HDR', outer(vxlan(inner(3), flags=0x00), 3)),
    ('a reserved flag bit set: VXLAN_INVALID_HDR', outer(vxlan(inner(4), flags=0x0c), 4)),
    ('reserved VNI byte set: VXLAN_INVALID_HDR', outer(vxlan(inner(5), rsvd=0x01), 5)),
    ('VNI 43: VXLAN_VNI_NOT_FOUND', outer(vxlan(inner(6), vni=43), 6)),
    ('4 bytes of VXLAN header: PKT_TOO_SMALL', outer(b'\x08\x00\x00\x00', 7)),
    ('inner source is vx0 itself: LOCAL_MAC', outer(vxlan(inner(8, src_mac=VX_MAC)), 8)),
    ('multicast inner source: MAC_INVALID_SOURCE', outer(vxlan(inner(9, src_mac=bytes.fromhex('01005e000001'))), 9)),
    ('static entry elsewhere: VXLAN_ENTRY_EXISTS', outer(vxlan(inner(10, src_mac=STATIC_MAC)), 10)),
    ('inner IPv4 header cut short: PKT_TOO_SMALL', outer(vxlan(eth(VX_MAC, IN_MAC, 0x0800, b'\x45\x00\x00\x1c\x00\x00')), 11)),
    ('bad outer UDP checksum: UDP_CSUM', outer(vxlan(inner(12)), 12, bad_csum=True)),
]


def write(name, cases):
    with open(name + '.pcap', 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, (_, frame) in enumerate(cases):
            f.write(struct.pack('<IIII', i + 1, 0, len(frame), len(frame)) + frame)
    with open(name + '.txt', 'w') as f:
        for i, (what, _) in enumerate(cases):
            f.write('%d %s\n' % (i + 1, what))


write('vxlan-bad', CASES)
