# ping -6 between two namespaces over a veth: a global address, the
# link-local one through -I and through a %dev scope id, the header line with
# -I naming the source, sizes, -q, a silent address (no neighbour), and the
# counters.  DAD and router solicitations are off so that setup traffic ends
# before the traffic part (MLD reports still go out at link up).
ip netns add i6pa
ip netns add i6pb
for n in i6pa i6pb; do ip netns exec $n sysctl -qw net.ipv6.auto_flowlabels=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.accept_ra=0; done
# The first veth end gets ifindex 5 so that neither end's peer has its own
# ifindex: linkwatch then takes both carrier-ups as urgent and configures both
# ends at once (with equal ifindexes the second end waits for linkwatch's 1 s
# rate limit and drops the first end's MLD reports as Ip6InNoRoutes).
ip link add i6va netns i6pa index 5 address 02:00:00:00:16:0a type veth peer name i6vb netns i6pb address 02:00:00:00:16:0b
ip -n i6pa addr add 2001:db8:16::1/64 dev i6va
ip -n i6pb addr add 2001:db8:16::2/64 dev i6vb
ip -n i6pa link set lo up
ip -n i6pb link set lo up
ip -n i6pa link set i6va up
ip -n i6pb link set i6vb up
sleep 2
# @traffic
ip netns exec i6pa ping -6 -c 2 -i 0.2 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pa ping -c 1 -s 100 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pa ping -6 -c 1 -I i6va fe80::ff:fe00:160b; echo "rc=$?"
ip netns exec i6pa ping -6 -c 1 fe80::ff:fe00:160b%i6va; echo "rc=$?"
ip netns exec i6pa ping -6 -c 1 -I 2001:db8:16::1 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pa ping -6 -c 1 -I i6va 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pa ping -6 -c 2 -q -i 0.2 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pa ping -6 -c 1 -t 1 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pa ping -6 -f -c 20 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pa ping -6 -c 1 -s 1452 -M do 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pa ping -6 -c 1 -s 1453 -M do 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pb sysctl -qw net.ipv6.icmp.echo_ignore_all=1
ip netns exec i6pa ping -6 -c 1 -W 1 2001:db8:16::2; echo "rc=$?"
ip netns exec i6pb sysctl -qw net.ipv6.icmp.echo_ignore_all=0
ip netns exec i6pa ping -6 -c 1 fe80::ff:fe00:160b; echo "rc=$?"
ip netns exec i6pa ping6 -c 1 -W 1 2001:db8:16::9; echo "rc=$?"
# one neighbour at a time: a dump lists them in hash order, which differs
# between boots
ip -n i6pa -6 neigh show 2001:db8:16::2
ip -n i6pa -6 neigh show fe80::ff:fe00:160b
ip -n i6pa -6 neigh show 2001:db8:16::9
