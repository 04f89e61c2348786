# nftables reject: a TCP reset on port 80, ICMP administratively prohibited (icmpx) on port 81, port unreachable for UDP.
ip netns add nfta
ip netns add nftb
for ns in nfta nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:00:0a type veth peer name vb netns nftb address 02:00:00:00:00:0b
ip -n nfta addr add 10.0.0.1/24 dev va
ip -n nftb addr add 10.0.0.2/24 dev vb
ip -n nfta link set va up
ip -n nftb link set vb up
ip netns exec nftb nft add table inet filter
ip netns exec nftb nft add chain inet filter input '{ type filter hook input priority 0; }'
ip netns exec nftb nft add rule inet filter input tcp dport 80 counter reject with tcp reset
ip netns exec nftb nft add rule inet filter input tcp dport 81 counter reject with icmpx type admin-prohibited
ip netns exec nftb nft add rule inet filter input udp dport 5353 counter reject
ip netns exec nftb nc -l 10.0.0.2 80 </dev/null >/dev/null 2>&1 &
ip netns exec nftb nc -l 10.0.0.2 81 </dev/null >/dev/null 2>&1 &
sleep 0.3
# @traffic
ip netns exec nfta nc -v -w 1 10.0.0.2 80 </dev/null; echo "rc=$?"
ip netns exec nfta nc -v -w 1 10.0.0.2 81 </dev/null; echo "rc=$?"
echo probe | ip netns exec nfta nc -u -w 1 10.0.0.2 5353; echo "rc=$?"
ip netns exec nftb nft list ruleset
