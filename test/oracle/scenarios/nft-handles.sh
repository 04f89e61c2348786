# Rule handles: nft -a list ruleset, then insert, replace and delete rules by handle.
ip netns add nfta
ip netns add nftb
for ns in nfta nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:00:0a type veth peer name vb netns nftb address 02:00:00:00:00:0b
ip -n nfta addr add 10.0.0.1/24 dev va
ip -n nftb addr add 10.0.0.2/24 dev vb
ip -n nfta link set va up
ip -n nftb link set vb up
ip netns exec nftb nft add table inet filter
ip netns exec nftb nft add chain inet filter input '{ type filter hook input priority 0; policy accept; }'
ip netns exec nftb nft add rule inet filter input icmp type echo-request counter drop
ip netns exec nftb nft add rule inet filter input tcp dport 22 counter accept
ip netns exec nftb nft add rule inet filter input udp dport 53 counter accept
ip netns exec nftb nft -a list ruleset
# @traffic
ip netns exec nfta ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
ip netns exec nftb nft delete rule inet filter input handle 2
ip netns exec nftb nft -a list ruleset
ip netns exec nfta ping -c 1 10.0.0.2; echo "rc=$?"
ip netns exec nftb nft insert rule inet filter input position 3 tcp dport 80 counter accept
ip netns exec nftb nft replace rule inet filter input handle 4 udp dport 5353 counter accept
ip netns exec nftb nft add rule inet filter input position 3 ip saddr 10.0.0.1 counter
ip netns exec nftb nft -a list ruleset
ip netns exec nftb nft delete rule inet filter input handle 2; echo "rc=$?"
ip netns exec nftb nft delete rule inet filter input handle 99; echo "rc=$?"
ip netns exec nftb nft -a list chain inet filter input
ip netns exec nftb nft delete table inet filter
ip netns exec nftb nft list ruleset; echo "rc=$?"
