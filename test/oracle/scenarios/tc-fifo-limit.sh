# A bfifo, a pfifo and a pfifo_head_drop as the root qdisc of a veth: what each lets through, what it drops
# (the sender's ping sees ENOBUFS and tries again), and how `tc -s qdisc` counts it.
ip netns add qf1
ip netns add qf2
ip netns exec qf1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec qf2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns qf1 address 02:00:00:00:00:0a type veth peer name vb netns qf2 address 02:00:00:00:00:0b
ip -n qf1 addr add 10.0.0.1/24 dev va
ip -n qf2 addr add 10.0.0.2/24 dev vb
ip -n qf1 link set lo up
ip -n qf2 link set lo up
ip -n qf1 link set va up
ip -n qf2 link set vb up
ip -n qf1 neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev va nud permanent
ip -n qf2 neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev vb nud permanent
ip netns exec qf1 tc qdisc add dev va root handle 1: bfifo limit 100
ip netns exec qf1 tc qdisc show dev va
ip -n qf1 link show va
# @traffic
ip netns exec qf1 ping -c 2 -i 0.2 -s 20 10.0.0.2
ip netns exec qf1 ping -c 1 -W 1 -s 100 10.0.0.2
ip netns exec qf1 tc -s qdisc show dev va
ip netns exec qf1 tc qdisc replace dev va root handle 2: pfifo limit 0
ip netns exec qf1 ping -c 1 -W 1 10.0.0.2
ip netns exec qf1 tc -s qdisc show dev va
ip netns exec qf1 tc qdisc replace dev va root handle 3: pfifo_head_drop limit 1
ip netns exec qf1 ping -c 2 -i 0.2 10.0.0.2
ip netns exec qf1 tc -s -d qdisc show
ip netns exec qf1 tc -s -j qdisc show dev va
