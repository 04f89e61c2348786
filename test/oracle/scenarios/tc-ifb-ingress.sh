# Ingress shaping: b redirects what arrives on tcb0 to tcifb0, where a tbf lets one 1442-byte ping through, queues one and drops the rest of a 10 ms train.
ip netns add tcact_a
ip netns add tcact_b
ip netns exec tcact_a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tcact_b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add tca0 netns tcact_a address 02:00:00:00:00:0a type veth peer name tcb0 netns tcact_b address 02:00:00:00:00:0b
ip -n tcact_b link add tcifb0 address 02:00:00:00:02:0b type ifb
ip -n tcact_a addr add 10.0.0.1/24 dev tca0
ip -n tcact_b addr add 10.0.0.2/24 dev tcb0
ip -n tcact_a link set lo up
ip -n tcact_b link set lo up
ip -n tcact_a link set tca0 up
ip -n tcact_b link set tcb0 up
ip -n tcact_b link set tcifb0 up
ip netns exec tcact_b tc qdisc add dev tcifb0 root handle 1: tbf rate 100kbit burst 1600 limit 1600
ip netns exec tcact_b tc qdisc add dev tcb0 ingress
ip netns exec tcact_b tc filter add dev tcb0 parent ffff: protocol ip u32 match u32 0 0 action mirred egress redirect dev tcifb0
ip netns exec tcact_b tc qdisc show dev tcifb0
# @traffic
ip netns exec tcact_a ping -c 5 -i 0.01 -s 1400 -W 1 10.0.0.2 | tail -n 2
sleep 1
ip netns exec tcact_b tc -s qdisc show dev tcifb0
ip netns exec tcact_b tc -s filter show dev tcb0 ingress
ip -n tcact_b -s link show tcifb0
