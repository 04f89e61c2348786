// 802.1Q VLAN devices (net/8021q of 6.18 and iproute2 6.1's ip/iplink_vlan.c).
// 8021q is not built into the recording machine's kernel: there is no
// recording; the expectations are what the source computes (vlan_fill_info and
// vlan_print_opt, vlan_dev_hard_start_xmit with veth's NETIF_F_HW_VLAN_CTAG_TX,
// vlan_do_receive from __netif_receive_skb_core, check_vlan_id, the extack texts).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const PAIR = `ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a link add link va name va.10 type vlan id 10
ip -n b link add link vb name vb.10 type vlan id 10
ip -n a addr add 10.10.0.1/24 dev va.10
ip -n b addr add 10.10.0.2/24 dev vb.10
ip -n a link set va up
ip -n b link set vb up
ip -n a link set va.10 up
ip -n b link set vb.10 up
`;

function run(script: string, artifacts = false) {
  return runScenario(script, new MemVfs(), { artifacts });
}

describe('ip link … type vlan', () => {
  it('prints the vlan line of ip -d link (vlan_fill_info → vlan_print_opt), QoS maps included', () => {
    const r =
      run(`${PAIR}ip -n b link add link vb name vb.20 type vlan protocol 802.1ad id 20 reorder_hdr off gvrp on egress-qos-map 0:3 5:1 ingress-qos-map 1:2
ip -n a -d link show va.10
ip -n b -d link show vb.20
ip -n a link show va.10
`);
    expect(r.transcript).toBe(
      '3: va.10@va: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 0 maxmtu 65535 \n' +
        '    vlan protocol 802.1Q id 10 <REORDER_HDR> addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n' +
        '4: vb.20@vb: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:0b brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 0 maxmtu 65535 \n' +
        '    vlan protocol 802.1ad id 20 <GVRP> \n' +
        '      ingress-qos-map { 1:2 } \n' +
        '      egress-qos-map { 0:3 5:1 } addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 \n' +
        '3: va.10@va: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff\n',
    );
  });

  it('refuses what vlan_parse_opt and vlan_validate/vlan_newlink refuse, with their messages', () => {
    const r = run(`${PAIR}ip -n a link add link va name x type vlan id 10; echo "rc=$?"
ip -n a link add link va name x type vlan id 4095; echo "rc=$?"
ip -n a link add link va name x type vlan; echo "rc=$?"
ip -n a link add name x type vlan id 3; echo "rc=$?"
ip -n a link add link lo name x type vlan id 3; echo "rc=$?"
ip -n a link add link nosuch name x type vlan id 3; echo "rc=$?"
ip -n a link add link va name x type vlan id 3 reorder_hdr maybe; echo "rc=$?"
ip -n a link add link va name x type vlan id 70000; echo "rc=$?"
ip -n a link add link va name x type vlan protocol 802.1x id 3; echo "rc=$?"
ip -n a link add link va name x type vlan id 3 mvrp; echo "rc=$?"
`);
    expect(r.transcript).toBe(
      'Error: 8021q: VLAN device already exists.\nrc=2\n' +
        'Error: 8021q: Invalid VLAN id.\nrc=2\n' +
        'Error: 8021q: VLAN properties not specified.\nrc=2\n' +
        'Error: 8021q: link not specified.\nrc=2\n' +
        'Error: 8021q: VLANs not supported on lo.\nrc=2\n' +
        'Cannot find device "nosuch"\nrc=1\n' +
        'Error: argument of "reorder_hdr" must be "on" or "off", not "maybe"\nrc=1\n' +
        'Error: argument "70000" is wrong: id is invalid\nrc=255\n' +
        'Error: argument "802.1x" is wrong: protocol is invalid\nrc=255\n' +
        'Command line is not complete. Try option "help"\nrc=255\n',
    );
  });
});

describe('tagged traffic', () => {
  it('tags on transmit and takes the tag on receive; tcpdump on the real device sees 802.1Q frames', () => {
    const r = run(`${PAIR}ip netns exec b tcpdump -nn -e -i vb -c 4 2>/dev/null &
sleep 0.5
ip netns exec a ping -c 2 -i 0.2 10.10.0.2 > /dev/null; echo "rc=$?"
wait
ip -n a -s link show va.10
ip -n b -s link show vb
`);
    const lines = r.transcript.replace(/^\d\d:\d\d:\d\d\.\d+ /gm, '').replace(/id \d+, seq/g, 'id ID, seq');
    expect(lines).toBe(
      'rc=0\n' +
        '02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff, ethertype 802.1Q (0x8100), length 46: vlan 10, p 0, ethertype ARP (0x0806), Request who-has 10.10.0.2 tell 10.10.0.1, length 28\n' +
        '02:00:00:00:00:0b > 02:00:00:00:00:0a, ethertype 802.1Q (0x8100), length 46: vlan 10, p 0, ethertype ARP (0x0806), Reply 10.10.0.2 is-at 02:00:00:00:00:0b, length 28\n' +
        '02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype 802.1Q (0x8100), length 102: vlan 10, p 0, ethertype IPv4 (0x0800), 10.10.0.1 > 10.10.0.2: ICMP echo request, id ID, seq 1, length 64\n' +
        '02:00:00:00:00:0b > 02:00:00:00:00:0a, ethertype 802.1Q (0x8100), length 102: vlan 10, p 0, ethertype IPv4 (0x0800), 10.10.0.2 > 10.10.0.1: ICMP echo reply, id ID, seq 1, length 64\n' +
        // vlan_dev_hard_start_xmit counts what it hands the real device (Ethernet header, no tag)
        '3: va.10@va: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff\n' +
        '    RX:  bytes packets errors dropped  missed   mcast           \n' +
        '           196       3      0       0       0       0 \n' +
        '    TX:  bytes packets errors dropped carrier collsns           \n' +
        '           238       3      0       0       0       0 \n' +
        // veth counts the frames as sent: the tag is metadata (NETIF_F_HW_VLAN_CTAG_TX)
        '2: vb@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:0b brd ff:ff:ff:ff:ff:ff link-netns a\n' +
        '    RX:  bytes packets errors dropped  missed   mcast           \n' +
        '           238       3      0       0       0       0 \n' +
        '    TX:  bytes packets errors dropped carrier collsns           \n' +
        '           238       3      0       0       0       0 \n',
    );
  });

  it('keeps the tag as metadata on veth: the tracepoints count no tag bytes and fire once per skb', () => {
    const r = run(
      `${PAIR}# @traffic
ip netns exec a ping -c 1 10.10.0.2 > /dev/null
`,
      true,
    );
    const trace = String(r.artifacts.get('trace.txt')).split('\n');
    const dev = trace
      .filter((l) => /^(net_dev_queue|net_dev_xmit|netif_rx|netif_receive_skb):/.test(l))
      .map((l) => l.replace(/skbaddr=\S+ /, ''));
    expect(dev.slice(0, 6)).toEqual([
      'net_dev_queue: dev=va.10 len=42',
      'net_dev_queue: dev=va len=42',
      'netif_rx: dev=vb len=28',
      'net_dev_xmit: dev=va len=42 rc=0',
      'net_dev_xmit: dev=va.10 len=42 rc=0',
      'netif_receive_skb: dev=vb len=28',
    ]);
    expect(dev.filter((l) => l.includes('dev=vb.10'))).toEqual([
      'net_dev_queue: dev=vb.10 len=42',
      'net_dev_xmit: dev=vb.10 len=42 rc=0',
      'net_dev_queue: dev=vb.10 len=98',
      'net_dev_xmit: dev=vb.10 len=98 rc=0',
    ]);
  });

  it('marks a frame of a VID with no VLAN device PACKET_OTHERHOST (check_vlan_id): ip_rcv drops it', () => {
    const r = run(
      `${PAIR}ip -n a link add link va name va.20 type vlan id 20
ip -n a addr add 10.20.0.1/24 dev va.20
ip -n a link set va.20 up
ip -n a neigh add 10.20.0.2 lladdr 02:00:00:00:00:0b dev va.20
# @traffic
ip netns exec a ping -c 1 -W 1 10.20.0.2 > /dev/null; echo "rc=$?"
ip -n b -s link show vb | tail -4
`,
      true,
    );
    const trace = String(r.artifacts.get('trace.txt'));
    expect(trace).toMatch(/kfree_skb: skbaddr=\S+ rx_sk=\S+ protocol=2048 location=ip_rcv_core reason: OTHERHOST/);
    expect(r.transcript).toContain('rc=1\n');
  });

  it('follows the real device down and up (vlan_device_event)', () => {
    const r = run(`${PAIR}ip -n a link set va down
ip -n a link show va.10
ip -n a link set va up
ip -n a link show va.10
ip -n a link del va
ip -n a link show
`);
    expect(r.transcript).toBe(
      '3: va.10@va: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noqueue state DOWN mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff\n' +
        '3: va.10@va: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff\n' +
        '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n' +
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n',
    );
  });
});
