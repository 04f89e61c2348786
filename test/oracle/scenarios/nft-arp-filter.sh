# An arp-family input chain in nartb drops ARP requests for 10.0.0.2: narta's ping fails, its neighbour ends FAILED.
ip netns add narta
ip netns add nartb
for ns in narta nartb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns narta address 02:00:00:00:00:0a type veth peer name vb netns nartb address 02:00:00:00:00:0b
ip -n narta addr add 10.0.0.1/24 dev va
ip -n nartb addr add 10.0.0.2/24 dev vb
ip -n nartb addr add 10.0.0.3/24 dev vb
ip -n narta link set va up
ip -n nartb link set vb up
# nartb never probes narta back (its reprobe would race the end of the capture)
ip -n nartb neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev vb nud permanent
ip netns exec nartb nft add table arp af
ip netns exec nartb nft add chain arp af input '{ type filter hook input priority 0; policy accept; }'
ip netns exec nartb nft add chain arp af output '{ type filter hook output priority 0; policy accept; }'
ip netns exec nartb nft add rule arp af input arp operation request arp daddr ip 10.0.0.2 counter drop
ip netns exec nartb nft add rule arp af input arp saddr ip 10.0.0.1 counter
ip netns exec nartb nft add rule arp af output arp operation reply counter
ip netns exec nartb nft list ruleset
# @traffic
ip netns exec narta ping -c 1 -W 1 10.0.0.3; echo "rc=$?"
ip netns exec narta ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
# the neighbour's three probes run out: FAILED
sleep 3
ip -n narta neigh show dev va
ip netns exec nartb nft list ruleset
