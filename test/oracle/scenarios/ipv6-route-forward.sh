# a and b on two IPv6 subnets, joined by router r with forwarding on; a's
# default route is r's link-local address. A ping with hop limit 1 gets time
# exceeded from r; pings into
# unreachable, prohibit and blackhole routes on r, and no route at all, answer
# (or not) with their ICMPv6 errors; with all.forwarding=0 r refuses.
ip netns add a
ip netns add r
ip netns add b
for ns in a r b; do ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 net.ipv6.auto_flowlabels=0; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r address 02:00:00:00:01:01
ip link add vb netns b address 02:00:00:00:02:0b type veth peer name rb netns r address 02:00:00:00:02:01
ip -n a addr add 2001:db8:1::10/64 dev va nodad
ip -n r addr add 2001:db8:1::1/64 dev ra nodad
ip -n r addr add 2001:db8:2::1/64 dev rb nodad
ip -n b addr add 2001:db8:2::10/64 dev vb nodad
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n a -6 route add default via fe80::ff:fe00:101 dev va
ip -n b -6 route add default via 2001:db8:2::1
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n r -6 route add unreachable 2001:db8:dead::/48
ip -n r -6 route add prohibit 2001:db8:beef::/48
ip -n r -6 route add blackhole 2001:db8:b1ac::/48
sleep 3
# @traffic
ip netns exec a ping -6 -c 2 -i 0.2 2001:db8:2::10
ip netns exec a ping -6 -c 1 -t 1 2001:db8:2::10; echo "rc=$?"
for d in 2001:db8:dead::1 2001:db8:beef::1 2001:db8:b1ac::1 2001:db8:99::1; do
  ip netns exec a ping -6 -c 1 -W 1 $d; echo "$d rc=$?"
done
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=0
ip netns exec a ping -6 -c 1 -W 1 2001:db8:2::10; echo "off rc=$?"
ip -n r -6 route
ip -n a -6 route get 2001:db8:2::10
ip -n r -6 route get 2001:db8:2::10 from 2001:db8:1::10 iif ra; echo "iif rc=$?"
