# The qdisc each kind of device gets (noop while down, noqueue on veth, lo and a bridge: IFF_NO_QUEUE),
# what `ip link` reports as it changes, and the limits pfifo and bfifo take from txqueuelen and the MTU.
ip netns add qd1
ip netns add qd2
ip netns exec qd1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec qd2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns qd1 address 02:00:00:00:00:0a type veth peer name vb netns qd2 address 02:00:00:00:00:0b
ip -n qd1 link add br0 address 02:00:00:00:00:10 type bridge
ip netns exec qd1 tc qdisc show
ip -n qd1 link show
ip -n qd1 link set lo up
ip -n qd1 link set va up
ip -n qd1 link set br0 up
ip -n qd2 link set vb up
ip netns exec qd1 tc qdisc show
ip netns exec qd1 tc -s qdisc show dev br0
ip -n qd1 link show
ip -n qd1 link set va txqueuelen 50
ip netns exec qd1 tc qdisc add dev va root handle 1: pfifo
ip netns exec qd1 tc qdisc show dev va
ip -n qd1 link set va mtu 9000
ip netns exec qd1 tc qdisc replace dev va root handle 2: bfifo
ip netns exec qd1 tc qdisc show dev va
ip -n qd1 link show va
ip -n qd1 link set va down
ip netns exec qd1 tc qdisc show dev va
ip -n qd1 link show va
ip netns exec qd1 tc qdisc del dev va root
ip netns exec qd1 tc qdisc show dev va
ip -n qd1 link show va
ip -n qd1 link set va up
ip netns exec qd1 tc qdisc show dev va
ip -n qd1 addr add 10.0.0.1/24 dev va
ip -n qd2 addr add 10.0.0.2/24 dev vb
ip -n qd1 link del br0
# @traffic
ip netns exec qd1 ping -c 1 10.0.0.2
ip netns exec qd1 tc -s qdisc show dev va
ip netns exec qd2 tc -s qdisc show
