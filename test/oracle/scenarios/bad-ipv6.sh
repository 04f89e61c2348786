# a replays malformed IPv6 frames to b, each case between good echo requests:
# a bad version, a payload length past the end, a short header, loopback and
# multicast sources, multicast scope 0, hop-by-hop options cut short, with bad
# padding, with unknown options of each action, hop-by-hop not first, routing
# header type 0 (with and without segments left), destination options cut
# short, an unknown and "no" next header, fragments (good, overlapping, not a
# multiple of 8, a first fragment without its upper-layer header, past 65535).
# Cases: ../frames/bad-ipv6.txt (../frames/bad-ipv6.py).
# Record with `record.py --files ../frames`.
ip netns add bada6
ip netns add badb6
for ns in bada6 badb6; do ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 net.ipv6.auto_flowlabels=0 net.ipv6.icmp.ratelimit=0; ip -n $ns link set lo up; done
# The first veth end gets ifindex 5 so that neither end's peer has its own
# ifindex: linkwatch then takes both carrier-ups as urgent and configures both
# ends at once (with equal ifindexes the second end waits for linkwatch's 1 s
# rate limit and drops the first end's MLD reports as Ip6InNoRoutes).
ip link add va netns bada6 index 5 address 02:00:00:00:00:0a type veth peer name vb netns badb6 address 02:00:00:00:00:0b
ip -n bada6 addr add 2001:db8::a/64 dev va nodad
ip -n badb6 addr add 2001:db8::b/64 dev vb nodad
ip -n bada6 link set va up
ip -n badb6 link set vb up
sleep 3
# @traffic
ip netns exec bada6 tcpreplay -i va --pps 20 bad-ipv6.pcap >/dev/null 2>&1; echo "tcpreplay rc=$?"
sleep 1
ip -n badb6 -s link show vb
