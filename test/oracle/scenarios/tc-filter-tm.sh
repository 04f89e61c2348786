# An action's times (struct tcf_t): tc -s prints the ages the kernel reports in clock_t
# (jiffies_to_clock_t, USER_HZ 100) divided by HZ, and leaves out an age of 0 ticks.
# 100 ms after the add, install and lastuse are 10 ticks old ("installed 0 sec used 0
# sec", no firstused: nothing hit it yet); a ping 1.1 s before the last show sets lastuse
# and firstuse ("used 1 sec firstused 1 sec").
ip netns add tcest_a
ip netns add tcest_b
ip netns add tcest_c
ip netns exec tcest_a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tcest_b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tcest_c sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add fa0 netns tcest_a address 02:00:00:00:00:0a type veth peer name fb0 netns tcest_b address 02:00:00:00:00:0b
ip link add fb1 netns tcest_b address 02:00:00:00:01:0b type veth peer name fc1 netns tcest_c address 02:00:00:00:01:0c
ip -n tcest_a addr add 10.0.0.1/24 dev fa0
ip -n tcest_b addr add 10.0.0.2/24 dev fb0
ip -n tcest_b addr add 10.0.1.2/24 dev fb1
ip -n tcest_c addr add 10.0.1.3/24 dev fc1
ip -n tcest_a link set lo up
ip -n tcest_b link set lo up
ip -n tcest_c link set lo up
ip -n tcest_a link set fa0 up
ip -n tcest_b link set fb0 up
ip -n tcest_b link set fb1 up
ip -n tcest_c link set fc1 up
ip -n tcest_a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev fa0
ip -n tcest_b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev fb0
ip netns exec tcest_b tc qdisc add dev fb0 ingress
ip netns exec tcest_b tc filter add dev fb0 parent ffff: protocol ip prio 1 u32 match ip protocol 1 0xff match ip dst 10.0.0.2/32 action mirred egress mirror dev fb1
sleep 0.1
ip netns exec tcest_b tc -s filter show dev fb0 ingress
# @traffic
ip netns exec tcest_a ping -c 1 -W 1 10.0.0.2
sleep 1.1
ip netns exec tcest_b tc -s filter show dev fb0 ingress
