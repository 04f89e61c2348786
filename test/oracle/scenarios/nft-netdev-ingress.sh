# A netdev ingress chain on vb drops ICMP from 10.0.0.1 before the IP layer sees it; ARP passes and is counted.
ip netns add nfta
ip netns add nftb
for ns in nfta nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:00:0a type veth peer name vb netns nftb address 02:00:00:00:00:0b
ip -n nfta addr add 10.0.0.1/24 dev va
ip -n nftb addr add 10.0.0.2/24 dev vb
ip -n nfta link set va up
ip -n nftb link set vb up
ip netns exec nftb nft add table netdev edge
ip netns exec nftb nft add chain netdev edge ingress '{ type filter hook ingress device "vb" priority -500; policy accept; }'
ip netns exec nftb nft add rule netdev edge ingress ether type arp counter
ip netns exec nftb nft add rule netdev edge ingress ip saddr 10.0.0.1 icmp type echo-request counter drop
ip netns exec nftb nft list ruleset
# @traffic
ip netns exec nfta ping -c 2 -i 0.2 -W 1 10.0.0.2; echo "rc=$?"
echo probe | ip netns exec nfta nc -u -w 1 10.0.0.2 7000; echo "rc=$?"
ip netns exec nftb nft list ruleset
ip netns exec nftb nstat -az IpInReceives
