# r1 and r2 route 10.0.9.0/24 at each other. a's ping (TTL 16, so the real
# capture keeps every frame of the loop) to 10.0.9.1 bounces
# between them until its TTL runs out; the router that gets it with TTL 1 sends
# time exceeded. Neither router sends a redirect although each forwards out
# the interface the packet came in on: a's address is not on that link.
ip netns add a
ip netns add r1
ip netns add r2
for ns in a r1 r2; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r1 address 02:00:00:00:01:01
ip link add x1 netns r1 address 02:00:00:00:12:01 type veth peer name x2 netns r2 address 02:00:00:00:12:02
ip -n a addr add 10.0.1.10/24 dev va
ip -n r1 addr add 10.0.1.1/24 dev ra
ip -n r1 addr add 10.0.12.1/24 dev x1
ip -n r2 addr add 10.0.12.2/24 dev x2
ip -n a link set va up
ip -n r1 link set ra up
ip -n r1 link set x1 up
ip -n r2 link set x2 up
ip -n a route add default via 10.0.1.1
ip -n r1 route add 10.0.9.0/24 via 10.0.12.2
ip -n r2 route add 10.0.9.0/24 via 10.0.12.1
ip -n r2 route add 10.0.1.0/24 via 10.0.12.1
ip netns exec r1 sysctl -qw net.ipv4.ip_forward=1
ip netns exec r2 sysctl -qw net.ipv4.ip_forward=1
# @traffic
ip netns exec a ping -c 1 -W 2 -t 16 10.0.9.1; echo "rc=$?"
ip netns exec a ip route get 10.0.9.1
