# ping -R: record route through a router and back (setsockopt IP_OPTIONS, filled by each hop, echoed by the reply).
ip netns add a
ip netns add r
ip netns add b
for ns in a r b; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r address 02:00:00:00:01:01
ip link add vb netns b address 02:00:00:00:02:0b type veth peer name rb netns r address 02:00:00:00:02:01
ip -n a addr add 10.0.1.10/24 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n b addr add 10.0.2.10/24 dev vb
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n a route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n b route add default via 10.0.2.1
# @traffic
ip netns exec a ping -c 2 -i 0.2 -R 10.0.2.10
ip netns exec a ping -c 1 -R 10.0.1.1
