# One namespace with IPv6 on: global addresses on a veth (nodad), a default
# route via a link-local gateway, routes with metrics, an mtu, and the
# unreachable, prohibit and blackhole types; then ip -6 route show and get in
# their variants, replace, del and flush, and the errors ip prints.
ip netns add r6
ip netns add p6
for ns in r6 p6; do ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 net.ipv6.auto_flowlabels=0; ip -n $ns link set lo up; done
# The first veth end gets ifindex 5 so that neither end's peer has its own
# ifindex: linkwatch then takes both carrier-ups as urgent and configures both
# ends at once (with equal ifindexes the second end waits for linkwatch's 1 s
# rate limit and drops the first end's MLD reports as Ip6InNoRoutes).
ip link add v1 netns r6 index 5 address 02:00:00:00:06:01 type veth peer name p1 netns p6 address 02:00:00:00:06:02
ip -n r6 addr add 2001:db8:1::1/64 dev v1 nodad
ip -n p6 addr add 2001:db8:1::2/64 dev p1 nodad
ip -n r6 link set v1 up
ip -n p6 link set p1 up
ip -n r6 -6 route add default via fe80::2 dev v1
ip -n r6 -6 route add 2001:db8:2::/64 via 2001:db8:1::2 metric 10
ip -n r6 -6 route add 2001:db8:2::/64 via 2001:db8:1::2 metric 20 mtu 1400
ip -n r6 -6 route add 2001:db8:2:1::/64 dev v1 proto static
ip -n r6 -6 route add unreachable 2001:db8:dead::/48
ip -n r6 -6 route add prohibit 2001:db8:beef::/48
ip -n r6 -6 route add blackhole 2001:db8:b1ac::/48
sleep 3
# @traffic
ip -n r6 -6 route show
ip -n r6 -6 route show table local
ip -n r6 -6 route show table all
ip -n r6 -6 route get 2001:db8:2::5
ip -n r6 -6 route get 2001:db8:2:1::5
ip -n r6 -6 route get 2001:db8:1::2
ip -n r6 -6 route get 2001:db8:1::1
ip -n r6 -6 route get 2001:db8:9::1
ip -n r6 -6 route get fe80::2 dev v1
ip -n r6 -6 route get ::1
ip -n r6 -6 route get 2001:db8:2::5 from 2001:db8:1::1
ip -n r6 -6 route get 2001:db8:2::5 oif v1
ip -n r6 -6 route get 2001:db8:2::5 mark 7
ip -n r6 -6 route get 2001:db8:2::5 from 2001:db8:1::2 iif v1; echo "iif rc=$?"
ip -n r6 -6 route get 2001:db8:dead::1; echo "unreachable rc=$?"
ip -n r6 -6 route get 2001:db8:beef::1; echo "prohibit rc=$?"
ip -n r6 -6 route get 2001:db8:b1ac::1; echo "blackhole rc=$?"
ip -n r6 -6 route get ff02::1 dev v1
ip -n r6 -6 route replace 2001:db8:2::/64 via 2001:db8:1::3 metric 10
ip -n r6 -6 route del 2001:db8:2::/64 metric 20
ip -n r6 -6 route del 2001:db8:7::/64; echo "del rc=$?"
ip -n r6 -6 route add 2001:db8:2::/64 via 2001:db8:1::3 metric 10; echo "dup rc=$?"
ip -n r6 -6 route add 2001:db8:8::/64 via 2001:db8:9::1; echo "nogw rc=$?"
ip -n r6 -6 route add 2001:db8:8::/64 via 10.0.0.1; echo "v4gw rc=$?"
ip -n r6 route show 2001:db8:2::/64
ip -n r6 -6 route show proto static
ip -n r6 -6 route show type unreachable
ip -n r6 -6 route flush 2001:db8:2::/64
ip -n r6 -6 route
