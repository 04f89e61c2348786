# a pings b with 3000 bytes over a 1500-byte veth: ip6_fragment cuts each
# datagram in three, b reassembles, answers in three fragments, a reassembles.
ip netns add a
ip netns add b
for ns in a b; do ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 net.ipv6.auto_flowlabels=0; ip -n $ns link set lo up; done
# The first veth end gets ifindex 5 so that neither end's peer has its own
# ifindex: linkwatch then takes both carrier-ups as urgent and configures both
# ends at once (with equal ifindexes the second end waits for linkwatch's 1 s
# rate limit and drops the first end's MLD reports as Ip6InNoRoutes).
ip link add va netns a index 5 address 02:00:00:00:01:0a type veth peer name vb netns b address 02:00:00:00:01:0b
ip -n a addr add 2001:db8:1::10/64 dev va nodad
ip -n b addr add 2001:db8:1::20/64 dev vb nodad
ip -n a link set va up
ip -n b link set vb up
sleep 3
# @traffic
ip netns exec a ping -6 -c 2 -i 0.2 -s 3000 2001:db8:1::20
