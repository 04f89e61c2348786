# clsact on b's tcb0: a classic BPF program in direct-action mode drops ICMP echo requests at ingress and UDP at egress.
ip netns add tcact_a
ip netns add tcact_b
ip netns add tcact_c
ip netns exec tcact_a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tcact_b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tcact_c sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add tca0 netns tcact_a address 02:00:00:00:00:0a type veth peer name tcb0 netns tcact_b address 02:00:00:00:00:0b
ip link add tcb1 netns tcact_b address 02:00:00:00:01:0b type veth peer name tcc1 netns tcact_c address 02:00:00:00:01:0c
ip -n tcact_a addr add 10.0.0.1/24 dev tca0
ip -n tcact_b addr add 10.0.0.2/24 dev tcb0
ip -n tcact_b addr add 10.0.1.2/24 dev tcb1
ip -n tcact_c addr add 10.0.1.3/24 dev tcc1
ip -n tcact_a link set lo up
ip -n tcact_b link set lo up
ip -n tcact_c link set lo up
ip -n tcact_a link set tca0 up
ip -n tcact_b link set tcb0 up
ip -n tcact_b link set tcb1 up
ip -n tcact_c link set tcc1 up
ip netns exec tcact_b tc qdisc add dev tcb0 clsact
ip netns exec tcact_b tc filter add dev tcb0 ingress bpf da bytecode '6,40 0 0 12,21 0 3 2048,48 0 0 34,21 0 1 8,6 0 0 2,6 0 0 4294967295'
ip netns exec tcact_b tc filter add dev tcb0 egress bpf da bytecode '6,40 0 0 12,21 0 3 2048,48 0 0 23,21 0 1 17,6 0 0 2,6 0 0 4294967295'
ip netns exec tcact_b tc qdisc show dev tcb0
ip netns exec tcact_b tc filter show dev tcb0 ingress
ip netns exec tcact_b tc filter show dev tcb0 egress
# @traffic
ip netns exec tcact_a ping -c 2 -i 0.2 -W 1 10.0.0.2; echo "rc=$?"
echo hello | ip netns exec tcact_b nc -u -w 1 10.0.0.1 9999; echo "rc=$?"
ip netns exec tcact_b tc -s filter show dev tcb0 ingress
ip netns exec tcact_b tc -s qdisc show dev tcb0
