# iptables and nft rules on the same input hook, run in priority order: nft at -10 (before), iptables-nft's filter at 0, nft at 10 (after).
ip netns add nfta
ip netns add nftb
for ns in nfta nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:00:0a type veth peer name vb netns nftb address 02:00:00:00:00:0b
ip -n nfta addr add 10.0.0.1/24 dev va
ip -n nftb addr add 10.0.0.2/24 dev vb
ip -n nfta link set va up
ip -n nftb link set vb up
ip netns exec nftb iptables -A INPUT -p tcp --dport 81 -j REJECT --reject-with tcp-reset
ip netns exec nftb iptables -A INPUT -p icmp -j ACCEPT
cat > mix.nft <<'NFT'
table inet early {
	chain input {
		type filter hook input priority filter - 10; policy accept;
		tcp dport 80 counter drop
		meta l4proto icmp counter
	}
}
table inet late {
	chain input {
		type filter hook input priority filter + 10; policy accept;
		meta l4proto icmp counter drop
		tcp dport 82 counter reject with tcp reset
	}
}
NFT
ip netns exec nftb nft -f mix.nft
ip netns exec nftb nc -l 10.0.0.2 80 </dev/null >/dev/null 2>&1 &
ip netns exec nftb nc -l 10.0.0.2 82 </dev/null >/dev/null 2>&1 &
sleep 0.3
# @traffic
ip netns exec nfta ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
ip netns exec nfta nc -v -w 1 10.0.0.2 81 </dev/null; echo "rc=$?"
ip netns exec nfta nc -v -w 1 10.0.0.2 82 </dev/null; echo "rc=$?"
ip netns exec nftb iptables -L INPUT -v -n -x
ip netns exec nftb nft list ruleset
