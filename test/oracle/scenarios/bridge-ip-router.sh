# The bridge device has an address and routes for the hosts on its ports:
# h1 (on br0) reaches h2 (on a routed veth) through s.
ip netns add s
ip netns add h1
ip netns add h2
for ns in s h1 h2; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip netns exec s sysctl -qw net.ipv4.ip_forward=1
ip -n s link add br0 address 02:00:00:00:00:99 type bridge
ip -n s link set br0 up
ip -n s addr add 10.0.0.254/24 dev br0
ip link add v1 netns h1 address 02:00:00:00:00:01 type veth peer name p1 netns s address 02:00:00:00:01:01
ip -n s link set p1 master br0
ip -n s link set p1 up
ip -n h1 addr add 10.0.0.1/24 dev v1
ip -n h1 link set v1 up
ip -n h1 route add default via 10.0.0.254
ip link add v2 netns h2 address 02:00:00:00:00:02 type veth peer name r2 netns s address 02:00:00:00:02:02
ip -n s addr add 10.0.1.254/24 dev r2
ip -n s link set r2 up
ip -n h2 addr add 10.0.1.2/24 dev v2
ip -n h2 link set v2 up
ip -n h2 route add default via 10.0.1.254
sleep 3
# @traffic
ip netns exec h1 ping -c 2 -i 0.2 10.0.1.2
ip netns exec h1 ping -c 1 10.0.0.254
ip netns exec s bridge fdb show br br0
ip -n s neigh show dev br0
