// tc -j (and -j -p, -j -s, -j -d, -j -r) as iproute2 6.1 prints it on Linux
// 6.18: qdisc options and xstats of tbf, htb, the fifos, ingress/clsact, and
// the u32 and bpf filters with mirred (this kernel cannot load matchall,
// basic, fw, gact, skbedit or police, so those have no recording; u32 under
// -j -p makes 6.1's tc abort on unbalanced JSON objects, so it is left out).
// Each line runs in a fresh namespace holding a veth pair d0/d1 (both up),
// recorded by tc_json.record.ts into tc_json.recorded.json.
export const TCJSON_PRELUDE =
  'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1\nip link add d0 type veth peer name d1\nip link set d0 up\nip link set d1 up';

export const TCJSON_CASES: readonly string[] = [
  // tbf
  'tc qdisc add dev d0 root handle 1: tbf rate 1mbit burst 10kb latency 50ms\ntc -j qdisc show dev d0\ntc -j -s qdisc show dev d0\ntc -j -d qdisc show dev d0\ntc -j -r qdisc show dev d0\ntc -j -p qdisc show dev d0',
  'tc qdisc add dev d0 root handle 1: tbf rate 1gbit burst 100kb latency 10ms peakrate 2gbit mtu 2000\ntc -j qdisc show dev d0\ntc -j -d -r qdisc show dev d0\ntc -j -p -s -d qdisc show dev d0',
  'tc qdisc add dev d0 root handle 1: tbf rate 1mbit burst 10k limit 1000 overhead 20 linklayer atm mpu 64\ntc -j qdisc show dev d0\ntc -j -d -r qdisc show dev d0',
  'tc qdisc add dev d0 root handle 1: tbf rate 4kbit burst 200 limit 300\ntc -j -s -d qdisc show dev d0\ntc -j -s class show dev d0\ntc -j -d class show dev d0',
  'tc qdisc add dev d0 root handle 5: tbf rate 2mbit burst 4k limit 10k\ntc qdisc add dev d0 parent 5:1 handle 6: pfifo limit 7\ntc -j qdisc show dev d0\ntc -j -s class show dev d0',
  // htb
  'tc qdisc add dev d0 root handle 1: htb default 20\ntc -j qdisc show dev d0\ntc -j -s -d qdisc show dev d0\ntc -j -p qdisc show dev d0\ntc -j -r qdisc show dev d0',
  'tc qdisc add dev d0 root handle 1: htb r2q 5 direct_qlen 20\ntc class add dev d0 parent 1: classid 1:1 htb rate 10mbit\ntc class add dev d0 parent 1:1 classid 1:10 htb rate 5mbit ceil 10mbit prio 1 quantum 3000\ntc class add dev d0 parent 1:1 classid 1:20 htb rate 1mbit overhead 10 linklayer atm\ntc -j -s qdisc show dev d0\ntc -j class show dev d0\ntc -j -s class show dev d0\ntc -j -d -r class show dev d0\ntc -j -p -s class show dev d0 classid 1:10',
  'tc qdisc add dev d0 root handle 1: htb\ntc class add dev d0 parent 1: classid 1:1 htb rate 1mbit\ntc qdisc add dev d0 parent 1:1 handle 10: bfifo limit 3000\ntc -j qdisc show dev d0\ntc -j -s qdisc show dev d0 invisible',
  // fifos and defaults
  'tc qdisc add dev d0 root handle 1: pfifo limit 5\ntc -j qdisc show dev d0\ntc -j -p -s qdisc show dev d0',
  'tc qdisc add dev d0 root handle 1: bfifo limit 3000\ntc -j -s -d qdisc show dev d0',
  'tc qdisc add dev d0 root handle 1: pfifo_fast\ntc -j qdisc show dev d0\ntc -j -p qdisc show dev d0',
  'ip link set lo up\ntc -j qdisc show dev d0\ntc -j -s qdisc show dev lo\ntc -j -p qdisc show dev d0',
  // ingress, clsact and filters
  'tc qdisc add dev d0 ingress\ntc -j qdisc show dev d0\ntc -j -s qdisc show dev d0 ingress\ntc -j -p qdisc show dev d0',
  'tc qdisc add dev d0 clsact\ntc -j qdisc show dev d0\ntc -j -p -s qdisc show dev d0',
  'tc qdisc add dev d0 ingress\ntc filter add dev d0 parent ffff: protocol ip prio 1 u32 match ip src 10.0.0.1/32 match ip dport 53 0xffff flowid 1:1\ntc -j filter show dev d0 parent ffff:\ntc -j -s filter show dev d0 parent ffff:',
  'tc qdisc add dev d0 ingress\ntc filter add dev d0 parent ffff: protocol ip prio 2 u32 match ip dst 10.0.0.0/8 action mirred egress redirect dev d1\ntc -j filter show dev d0 parent ffff:\nsleep 1.5\ntc -j -s -d filter show dev d0 parent ffff:',
  'tc qdisc add dev d0 root handle 1: htb\ntc class add dev d0 parent 1: classid 1:10 htb rate 1mbit\ntc filter add dev d0 parent 1: protocol ip prio 1 u32 match ip protocol 17 0xff match ip sport 5000 0xffff flowid 1:10\ntc -j filter show dev d0\ntc -j -s filter show dev d0',
  'tc qdisc add dev d0 clsact\ntc filter add dev d0 egress bpf bytecode "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0," action mirred egress mirror dev d1\ntc -j filter show dev d0 egress\nsleep 1.5\ntc -j -p -s filter show dev d0 egress',
  // u32 under -p (text; 6.1 aborts under -j -p), and its raw keys under -j
  'tc qdisc add dev d0 ingress\ntc filter add dev d0 parent ffff: protocol ip prio 1 u32 match ip src 10.0.0.1/32 match ip dst 10.1.0.0/16 match ip protocol 17 0xff match ip dport 53 0xffff flowid 1:1\ntc filter add dev d0 parent ffff: protocol ip prio 2 u32 match ip sport 99 0xffff flowid 1:2\ntc filter add dev d0 parent ffff: protocol ip prio 3 u32 match u32 0x00630035 0xffffffff at 20 flowid 1:3\ntc filter add dev d0 parent ffff: protocol ip prio 4 u32 match ip ihl 5 0xf flowid 1:4\ntc filter add dev d0 parent ffff: protocol ip prio 5 u32 match ip dsfield 0x10 0xff flowid 1:5\ntc filter add dev d0 parent ffff: protocol ip prio 6 u32 match ip ihl 5 0xf match ip dsfield 0x10 0xff flowid 1:6\ntc filter add dev d0 parent ffff: protocol ip prio 7 u32 match u32 0x1 0xff at 12 match u32 0x100 0xff00 at 20 flowid 1:7\ntc -p filter show dev d0 parent ffff:\ntc -j filter show dev d0 parent ffff:',
  // tc actions under -j (mirred: the one action this kernel loads)
  'tc actions add action mirred egress mirror dev d1 index 7\ntc -j actions list action mirred\ntc -j -p actions get action mirred index 7\ntc actions list action mirred',
];
