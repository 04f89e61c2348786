ip netns add a
ip netns add b
ip netns add h
for ns in a b h; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip -n a link add br0 type bridge
ip -n b link add br1 type bridge
ip link add x1 netns a type veth peer name y1 netns b
ip link add x2 netns a type veth peer name y2 netns b
ip link add v netns h address 02:00:00:00:00:01 type veth peer name pv netns a
ip -n a link set x1 master br0
ip -n a link set x2 master br0
ip -n a link set pv master br0
ip -n b link set y1 master br1
ip -n b link set y2 master br1
for d in br0 x1 x2 pv; do ip -n a link set $d up; done
for d in br1 y1 y2; do ip -n b link set $d up; done
ip -n h addr add 10.0.0.1/24 dev v
ip -n h link set v up
# @traffic
ip netns exec h ping -c 1 -W 1 10.0.0.2
