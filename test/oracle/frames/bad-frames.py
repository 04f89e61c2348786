#!/usr/bin/env python3
"""Writes the bad-*.pcap captures (and their bad-*.txt case lists) that the
bad-*.sh scenarios replay from a (02:00:00:00:00:0a, 10.0.0.1) to b
(02:00:00:00:00:0b, 10.0.0.2). Run from this directory: python3 bad-frames.py
"""
import struct

A_MAC = bytes.fromhex('02000000000a')
B_MAC = bytes.fromhex('02000000000b')
BCAST = b'\xff' * 6
A_IP = bytes([10, 0, 0, 1])
B_IP = bytes([10, 0, 0, 2])


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(dst, typ, payload, src=A_MAC):
    return dst + src + struct.pack('!H', typ) + payload


def ip(proto, payload, ident, src=A_IP, dst=B_IP, opts=b'', ttl=64, frag=0, tot_len=None,
       version=4, ihl=None, bad_csum=False):
    if ihl is None:
        ihl = 5 + len(opts) // 4
    tl = 20 + len(opts) + len(payload) if tot_len is None else tot_len
    h = struct.pack('!BBHHHBBH4s4s', (version << 4) | ihl, 0, tl, ident, frag, ttl, proto, 0, src, dst) + opts
    c = csum(h)
    if bad_csum:
        c ^= 0x5a5a
    return h[:10] + struct.pack('!H', c) + h[12:] + payload


def echo(seq, data=b'abcdefghijklmnop', typ=8, bad_csum=False, ident=0x4242):
    h = struct.pack('!BBHHH', typ, 0, 0, ident, seq) + data
    c = csum(h) ^ (0x1111 if bad_csum else 0)
    return h[:2] + struct.pack('!H', c) + h[4:]


def pseudo(src, dst, proto, length):
    return src + dst + struct.pack('!BBH', 0, proto, length)


def udp(sport, dport, data, ulen=None, zero_csum=False, src=A_IP, dst=B_IP):
    length = 8 + len(data) if ulen is None else ulen
    h = struct.pack('!HHHH', sport, dport, length, 0) + data
    if zero_csum:
        return h
    # the checksum covers the datagram the length field names (or all of it when it names more)
    body = h[:length] if length <= len(h) else h
    c = csum(pseudo(src, dst, 17, len(body)) + body) or 0xffff
    return h[:6] + struct.pack('!H', c) + h[8:]


def tcp(sport, dport, flags, seq=1000, ack=0, doff=5, data=b'', src=A_IP, dst=B_IP):
    h = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, doff << 4, flags, 64240, 0, 0) + data
    c = csum(pseudo(src, dst, 6, len(h)) + h)
    return h[:16] + struct.pack('!H', c) + h[18:]


def arp(op=1, hrd=1, pro=0x0800, hln=6, pln=4, sha=A_MAC, sip=A_IP, tha=b'\0' * 6, tip=B_IP):
    return struct.pack('!HHBBH', hrd, pro, hln, pln, op) + sha + sip + tha + tip


def pad(frame):
    return frame + b'\0' * max(0, 60 - len(frame))


def write(name, cases):
    with open(name + '.pcap', 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, (_, frame) in enumerate(cases):
            f.write(struct.pack('<IIII', i + 1, 0, len(frame), len(frame)) + frame)
    with open(name + '.txt', 'w') as f:
        f.write(''.join(c + '\n' for c, _ in cases))


NOP = b'\x01'
EOL = b'\x00'


def rr(slots, ptr=4, length=None):
    ln = 3 + 4 * slots if length is None else length
    return bytes([7, ln, ptr]) + b'\0' * (3 + 4 * slots - 3)


# IPv4 header and option checks (ip_rcv_core, ip_rcv_options, icmp_rcv, fragments)
ipv4 = [
    ('ip_rr_echo', eth(B_MAC, 0x0800, ip(1, echo(1), 0x201, opts=rr(9) + EOL))),
    ('ip_lsrr_echo', eth(B_MAC, 0x0800, ip(1, echo(2), 0x202, opts=bytes([0x83, 11, 4]) + bytes([10, 0, 0, 2]) + bytes([10, 0, 0, 9]) + EOL))),
    ('ip_ssrr_echo', eth(B_MAC, 0x0800, ip(1, echo(3), 0x203, opts=bytes([0x89, 7, 4]) + bytes([10, 0, 0, 2]) + EOL))),
    ('ip_rr_bad_ptr', eth(B_MAC, 0x0800, ip(1, echo(4), 0x204, opts=bytes([7, 7, 2]) + b'\0' * 4 + EOL))),
    ('ip_opt_len_past_header', eth(B_MAC, 0x0800, ip(1, echo(5), 0x205, opts=bytes([0x44, 40, 5, 0])))),
    ('ip_version_6', eth(B_MAC, 0x0800, ip(1, echo(6), 0x206, version=6))),
    ('ip_totlen_lt_ihl', eth(B_MAC, 0x0800, ip(1, echo(7), 0x207, tot_len=12))),
    ('ip_padding_trimmed', eth(B_MAC, 0x0800, ip(1, echo(8), 0x208) + b'\xee' * 30)),
    ('ip_bcast_echo', eth(BCAST, 0x0800, ip(1, echo(9), 0x209, dst=bytes([10, 0, 0, 255])))),
    ('ip_ttl0_echo', eth(B_MAC, 0x0800, ip(1, echo(10), 0x20a, ttl=0))),
    ('ip_runt_14', eth(B_MAC, 0x0800, b'')),
    ('ip_hdr_cut_10', eth(B_MAC, 0x0800, ip(1, echo(11), 0x20b)[:10])),
    ('icmp_bad_csum', eth(B_MAC, 0x0800, ip(1, echo(12, bad_csum=True), 0x20c))),
    ('icmp_unknown_type_50', eth(B_MAC, 0x0800, ip(1, echo(13, typ=50), 0x20d))),
    ('icmp_short_4', eth(B_MAC, 0x0800, ip(1, echo(14)[:4], 0x20e))),
    ('icmp_echo_reply_unsolicited', eth(B_MAC, 0x0800, ip(1, echo(15, typ=0), 0x20f))),
    ('frag_oversize', eth(B_MAC, 0x0800, ip(1, b'\x55' * 24, 0x210, frag=8189))),
    ('frag_overlap_1', eth(B_MAC, 0x0800, ip(1, echo(16, data=b'\x33' * 24), 0x211, frag=0x2000))),
    ('frag_overlap_2', eth(B_MAC, 0x0800, ip(1, b'\x44' * 16, 0x211, frag=2))),
    ('frag_last_1', eth(B_MAC, 0x0800, ip(1, echo(17, data=b'\x66' * 24)[:16], 0x212, frag=0x2000))),
    ('frag_last_2', eth(B_MAC, 0x0800, ip(1, echo(17, data=b'\x66' * 24)[16:], 0x212, frag=2))),
]

# UDP and TCP header checks to closed ports (__udp4_lib_rcv, tcp_v4_rcv)
l4 = [
    ('udp_zero_csum_closed', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'zero', zero_csum=True), 0x301))),
    ('udp_len_past_ip', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'long', ulen=40), 0x302))),
    ('udp_len_lt_8', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'tiny', ulen=4), 0x303))),
    ('udp_len_short_trimmed', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'keepdrop', ulen=12), 0x304))),
    ('udp_bad_csum_zero_len', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'', ulen=0), 0x305))),
    ('tcp_doff_4', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x02, doff=4), 0x306))),
    ('tcp_doff_past_segment', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x02, doff=15), 0x307))),
    ('tcp_synfin_closed', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x03), 0x308))),
    ('tcp_null_closed', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x00), 0x309))),
    ('tcp_xmas_closed', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x29, ack=5), 0x30a))),
    ('tcp_rst_closed', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x04), 0x30b))),
    ('tcp_synack_closed', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x12, ack=77), 0x30c))),
    ('tcp_fin_data_closed', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x11, ack=77, data=b'hello'), 0x30d))),
    ('tcp_short_hdr_12', eth(B_MAC, 0x0800, ip(6, tcp(40000, 9, 0x02)[:12], 0x30e))),
]

# link layer: ARP checks (arp_rcv, arp_process), ethertypes, other hosts
OTHER = bytes([192, 168, 9, 9])
link = [
    ('arp_hrd_2', pad(eth(BCAST, 0x0806, arp(hrd=2)))),
    ('arp_hrd_ieee802', pad(eth(BCAST, 0x0806, arp(hrd=6, sha=bytes.fromhex('02000000001a'), sip=bytes([10, 0, 0, 26]))))),
    ('arp_hln_4', pad(eth(BCAST, 0x0806, arp(hln=4)[:8] + A_MAC[:4] + A_IP + b'\0' * 4 + B_IP))),
    ('arp_pro_ipv6', pad(eth(BCAST, 0x0806, arp(pro=0x86dd)))),
    ('arp_op_9', pad(eth(BCAST, 0x0806, arp(op=9)))),
    ('arp_offsubnet_sender', pad(eth(BCAST, 0x0806, arp(sha=bytes.fromhex('02000000001b'), sip=OTHER)))),
    ('arp_multicast_sender', pad(eth(BCAST, 0x0806, arp(sha=bytes.fromhex('02000000001c'), sip=bytes([224, 0, 0, 5]))))),
    ('arp_bcast_sha', pad(eth(BCAST, 0x0806, arp(sha=BCAST, sip=bytes([10, 0, 0, 29]))))),
    ('arp_tip_not_ours', pad(eth(BCAST, 0x0806, arp(sha=bytes.fromhex('02000000001d'), sip=bytes([10, 0, 0, 30]), tip=bytes([10, 0, 0, 99]))))),
    ('arp_truncated', eth(BCAST, 0x0806, arp()[:20])),
    ('eth_runt_ipv4_hdr_only', eth(B_MAC, 0x0800, b'')),
    ('eth_foreign_mcast_mac', eth(bytes.fromhex('01005e000009'), 0x0800, ip(1, echo(30), 0x401))),
    ('eth_foreign_unicast_arp', pad(eth(bytes.fromhex('0200000000ee'), 0x0806, arp(sha=bytes.fromhex('02000000001e'), sip=bytes([10, 0, 0, 31]))))),
    ('eth_ethertype_0x1234', pad(eth(B_MAC, 0x1234, b'\1\2\3\4'))),
    ('eth_ipv4_ethertype_bcast_unicast_ip', eth(BCAST, 0x0800, ip(1, echo(31), 0x402))),
]

# to sockets that listen (nc -u -l on b:9, nc -l on b:5000) and answers turned on by sysctls
def tcp_bad(sport, dport, flags):
    h = bytearray(tcp(sport, dport, flags))
    h[16] ^= 0x5a
    return bytes(h)


def mask_req(seq):
    h = struct.pack('!BBHHHI', 17, 0, 0, 0x4242, seq, 0)
    return h[:2] + struct.pack('!H', csum(h)) + h[4:]


def udp_bad(data):
    h = bytearray(udp(40000, 9, data))
    h[6] ^= 0x33
    return bytes(h)


sockets = [
    ('udp_listen_ok', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'one\n'), 0x501))),
    ('udp_listen_zero_csum', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'two\n', zero_csum=True), 0x502))),
    ('udp_listen_bad_csum', eth(B_MAC, 0x0800, ip(17, udp_bad(b'bad\n'), 0x503))),
    ('udp_listen_len_trims', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'4th\njunk', ulen=12), 0x504))),
    ('udp_listen_len_past_ip', eth(B_MAC, 0x0800, ip(17, udp(40000, 9, b'long', ulen=40), 0x505))),
    ('tcp_listen_synfin', eth(B_MAC, 0x0800, ip(6, tcp(40001, 5000, 0x03), 0x506))),
    ('tcp_listen_ack', eth(B_MAC, 0x0800, ip(6, tcp(40002, 5000, 0x10, ack=99), 0x507))),
    ('tcp_listen_rst', eth(B_MAC, 0x0800, ip(6, tcp(40003, 5000, 0x04), 0x508))),
    ('tcp_listen_data_noflags', eth(B_MAC, 0x0800, ip(6, tcp(40004, 5000, 0x00, data=b'data'), 0x509))),
    ('tcp_listen_syn_bad_csum', eth(B_MAC, 0x0800, ip(6, tcp_bad(40005, 5000, 0x02), 0x50a))),
    ('tcp_listen_fin', eth(B_MAC, 0x0800, ip(6, tcp(40006, 5000, 0x01), 0x50b))),
    ('icmp_bcast_echo_answered', eth(BCAST, 0x0800, ip(1, echo(40), 0x50c, dst=bytes([10, 0, 0, 255])))),
    ('icmp_address_mask', eth(B_MAC, 0x0800, ip(1, mask_req(42), 0x50e))),
    ('ip_rr_full_echo', eth(B_MAC, 0x0800, ip(1, echo(43), 0x50f, opts=bytes([7, 7, 8, 10, 0, 0, 9]) + EOL))),
    ('ip_rr_echo_nop_pad', eth(B_MAC, 0x0800, ip(1, echo(44), 0x510, opts=NOP + rr(2) + NOP * 0 + b''))),
]

# tags and protocols a plain veth host does not serve: 802.1Q tags (a VID of its own, priority
# tag 0), IPv6 with IPv6 disabled
def vlan(dst, vid, typ, payload):
    return dst + A_MAC + struct.pack('!HHH', 0x8100, vid, typ) + payload


def ip6_echo():
    icmp6 = bytes([128, 0, 0, 0, 0x42, 0x42, 0, 1]) + b'abcdefgh'
    src = bytes.fromhex('fe800000000000000000000000000001')
    dst = bytes.fromhex('ff020000000000000000000000000001')
    ph = src + dst + struct.pack('!IxxxB', len(icmp6), 58)
    c = csum(ph + icmp6)
    icmp6 = icmp6[:2] + struct.pack('!H', c) + icmp6[4:]
    return struct.pack('!IHBB', 0x60000000, len(icmp6), 58, 255) + src + dst + icmp6


tags = [
    ('vlan_vid5_echo', vlan(B_MAC, 5, 0x0800, ip(1, echo(50), 0x601))),
    ('vlan_prio_tag_vid0_echo', vlan(B_MAC, 0, 0x0800, ip(1, echo(51), 0x602))),
    ('ipv6_disabled_echo', eth(bytes.fromhex('333300000001'), 0x86dd, ip6_echo())),
    ('ipv6_disabled_unicast', eth(B_MAC, 0x86dd, ip6_echo())),
]

# reassembly edge cases (ip_frag_queue): a partial overlap, a non-final fragment whose length is
# not a multiple of 8 (trimmed), a second final fragment with another end, a fragment past the
# end, an empty fragment
MF = 0x2000
E33 = echo(60, data=bytes(range(24)))
E34 = echo(61, data=bytes(range(100, 124)))
frags = [
    ('frag_partial_overlap_1', eth(B_MAC, 0x0800, ip(1, echo(62, data=b'\x11' * 24), 0x701, frag=MF))),
    ('frag_partial_overlap_2', eth(B_MAC, 0x0800, ip(1, b'\x22' * 16, 0x701, frag=3))),
    ('frag_odd_length_trimmed_1', eth(B_MAC, 0x0800, ip(1, E34[:24] + b'\xee' * 4, 0x702, frag=MF))),
    ('frag_odd_length_trimmed_2', eth(B_MAC, 0x0800, ip(1, E34[24:], 0x702, frag=3))),
    ('frag_other_end_1', eth(B_MAC, 0x0800, ip(1, E33[:8], 0x703, frag=MF))),
    ('frag_other_end_2', eth(B_MAC, 0x0800, ip(1, E33[24:], 0x703, frag=3))),
    ('frag_other_end_3', eth(B_MAC, 0x0800, ip(1, E33[16:24], 0x703, frag=2))),
    ('frag_past_end_1', eth(B_MAC, 0x0800, ip(1, E33[16:24], 0x704, frag=2))),
    ('frag_past_end_2', eth(B_MAC, 0x0800, ip(1, E33[24:], 0x704, frag=MF | 3))),
    ('frag_empty', eth(B_MAC, 0x0800, ip(1, b'', 0x705, frag=MF | 1))),
]

# through a router r (a 10.0.1.10 -> r 10.0.1.1 / 10.0.2.1 -> b 10.0.2.10): record route filled at
# each hop and echoed back, TTL 1 (the time exceeded echoes the options), a loose source route
RA_MAC = bytes.fromhex('020000000101')
A2_MAC = bytes.fromhex('02000000010a')
A2_IP = bytes([10, 0, 1, 10])
B2_IP = bytes([10, 0, 2, 10])
router = [
    ('fwd_rr_echo', eth(RA_MAC, 0x0800, ip(1, echo(70), 0x801, src=A2_IP, dst=B2_IP, opts=rr(9) + EOL), src=A2_MAC)),
    ('fwd_rr_ttl1', eth(RA_MAC, 0x0800, ip(1, echo(71), 0x802, src=A2_IP, dst=B2_IP, ttl=1, opts=rr(9) + EOL), src=A2_MAC)),
    ('fwd_lsrr_refused', eth(RA_MAC, 0x0800, ip(1, echo(72), 0x803, src=A2_IP, dst=bytes([10, 0, 1, 1]), opts=bytes([0x83, 7, 4]) + B2_IP + EOL), src=A2_MAC)),
    ('fwd_rr_full', eth(RA_MAC, 0x0800, ip(1, echo(73), 0x804, src=A2_IP, dst=B2_IP, opts=bytes([7, 7, 8, 10, 0, 0, 9]) + EOL), src=A2_MAC)),
]

write('bad-ipv4', ipv4)
write('bad-router', router)
write('bad-frags', frags)
write('bad-tags', tags)
write('bad-sockets', sockets)
write('bad-l4', l4)
write('bad-link', link)
