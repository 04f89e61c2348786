// tc's htb (iproute2 6.1 q_htb.c on Linux 6.18 sch_htb.c): each line runs in a
// fresh namespace holding a veth pair d0/d1 (both up), recorded by
// tc_tbf.record.ts into tc_htb.recorded.json. `tc -s class` of an idle class
// shows tokens/ctokens = its buffer/cbuffer in ticks, as the kernel computed them.
export const HTB_PRELUDE =
  'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1\nip link add d0 type veth peer name d1\nip link set d0 up\nip link set d1 up';

const Q = 'tc qdisc add dev d0 root handle 1: htb';

export const HTB_CASES: readonly string[] = [
  `${Q}\ntc qdisc show dev d0\ntc -d qdisc show dev d0\ntc -s qdisc show dev d0\ntc class show dev d0`,
  'tc qdisc add dev d0 root handle 1: htb default 10 r2q 5 direct_qlen 7 debug 0123\ntc -d qdisc show dev d0\ntc -s -d qdisc show dev d0',
  'tc qdisc add dev d0 root handle 1: htb default 1ff\ntc qdisc show dev d0',
  'tc qdisc add dev d0 root handle 1: htb r2q 0\ntc qdisc show dev d0',
  `${Q} default 30\ntc class add dev d0 parent 1: classid 1:1 htb rate 10mbit\ntc class add dev d0 parent 1:1 classid 1:10 htb rate 2mbit ceil 10mbit prio 1\ntc class add dev d0 parent 1:1 classid 1:30 htb rate 1mbit ceil 5mbit burst 15k cburst 3k prio 7 quantum 3000\ntc class show dev d0\ntc -d class show dev d0\ntc -s class show dev d0\ntc -s -d class show dev d0\ntc qdisc show dev d0\ntc qdisc show dev d0 invisible\ntc -r class show dev d0`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 800bit burst 45 cburst 45\ntc class add dev d0 parent 1:1 classid 1:10 htb rate 200bit ceil 800bit\ntc class add dev d0 parent 1: classid 1:7 htb rate 1kbit\ntc -s class show dev d0`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:40 htb rate 10gbit ceil 20gbit\ntc class add dev d0 parent 1: classid 1:41 htb rate 30gbit ceil 20gbit\ntc -d class show dev d0\ntc -r class show dev d0\ntc -s class show dev d0`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 1mbit prio 9 overhead 8 mpu 64 linklayer atm quantum 100 mtu 9000\ntc -d class show dev d0\ntc class show dev d0\ntc -s class show dev d0`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 1mbit burst 10k/8 cburst 4k/4 ceil 2mbit\ntc -d -r class show dev d0`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 5%\ntc class add dev d0 parent 1: classid 1:2 htb rate 1kbps ceil 20%\ntc class show dev d0`,
  `${Q}\nfor i in 1 2 3 4 5 6 7 8 9 a b c d e f 10 11 12 20 21 100 ffff; do tc class add dev d0 parent 1: classid 1:$i htb rate 1mbit; done\ntc class show dev d0`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 1mbit\ntc class change dev d0 parent 1: classid 1:1 htb rate 2mbit ceil 3mbit prio 3\ntc class show dev d0\ntc class replace dev d0 parent 1: classid 1:1 htb rate 4mbit\ntc class show dev d0\ntc class del dev d0 classid 1:1\ntc class show dev d0`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 1mbit\ntc class add dev d0 parent 1:1 classid 1:10 htb rate 1mbit\ntc class del dev d0 classid 1:10\ntc -d class show dev d0\ntc qdisc show dev d0 invisible`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 1mbit\ntc qdisc add dev d0 parent 1:1 handle 10: tbf rate 1mbit burst 5k limit 10k\ntc qdisc show dev d0\ntc class show dev d0\ntc -s class show dev d0 classid 1:1`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 1mbit\ntc class show dev d0 classid 1:1\ntc class show dev d0 parent 1:\ntc class show dev d0 root`,
  // errors
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb ceil 1kbit`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit foo`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit rate 2kbit`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit ceil 1kbit ceil 2kbit`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit prio x`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit burst 1x`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit cburst 1x`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit mpu 70000`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit quantum -1`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 0`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb rate 1kbit linklayer x`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb help`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:10 htb`,
  `${Q}\ntc class add dev d0 parent 1: classid 2:30 htb rate 1kbit`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:0 htb rate 1kbit`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 1kbit\ntc class add dev d0 parent 1: classid 1:1 htb rate 1kbit`,
  `${Q}\ntc class add dev d0 parent 1: classid 1:1 htb rate 1kbit\ntc class add dev d0 parent 1:1 classid 1:2 htb rate 1kbit\ntc class del dev d0 classid 1:1`,
  `${Q}\ntc class del dev d0 classid 1:99`,
  `${Q}\ntc class change dev d0 parent 1: classid 1:5 htb rate 1kbit`,
  `${Q}\nfor i in 1 2 3 4 5 6 7 8; do tc class add dev d0 parent 1:$((i - 1)) classid 1:$i htb rate 1mbit || echo "exit $?"; done\ntc class show dev d0`,
  'tc qdisc add dev d0 root handle 1: htb foo',
  'tc qdisc add dev d0 root handle 1: htb r2q x',
  'tc qdisc add dev d0 root handle 1: htb default x',
  'tc qdisc add dev d0 root handle 1: htb direct_qlen -4',
  'tc qdisc add dev d0 root handle 1: htb offload',
  'tc qdisc add dev d0 root handle 1: htb\ntc qdisc change dev d0 root handle 1: htb default 20',
  'tc class add dev d0 parent 1: classid 1:1 htb rate 1kbit',
];
