# a reaches b through router r whose link to b has MTU 1280. A 1400-byte
# ping -6 from a gets packet too big from r (IPv6 routers never fragment),
# a caches the path MTU (ip -6 route get shows it with its expiry) and its
# next ping goes out in fragments that fit.
ip netns add a
ip netns add r
ip netns add b
for ns in a r b; do ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 net.ipv6.auto_flowlabels=0; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r address 02:00:00:00:01:01
ip link add vb netns b address 02:00:00:00:02:0b type veth peer name rb netns r address 02:00:00:00:02:01
ip -n r link set rb mtu 1280
ip -n b link set vb mtu 1280
ip -n a addr add 2001:db8:1::10/64 dev va nodad
ip -n r addr add 2001:db8:1::1/64 dev ra nodad
ip -n r addr add 2001:db8:2::1/64 dev rb nodad
ip -n b addr add 2001:db8:2::10/64 dev vb nodad
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n a -6 route add default via 2001:db8:1::1
ip -n b -6 route add default via 2001:db8:2::1
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
sleep 3
# @traffic
ip -n a -6 route get 2001:db8:2::10
ip netns exec a ping -6 -c 1 -s 1400 -W 1 2001:db8:2::10; echo "rc=$?"
# half a second: the cached PMTU's expiry prints away from a second boundary (Linux's processes take
# some milliseconds between the error and `ip route get`, virtual time none)
sleep 0.5
ip -n a -6 route get 2001:db8:2::10
ip netns exec a ping -6 -c 1 -s 1400 2001:db8:2::10; echo "rc=$?"
ip -n a -6 route show cache
