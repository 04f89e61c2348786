# nftables rate limiting: a ping flood of 20 echo requests, 5 let through by limit rate (burst 5), the excess dropped.
ip netns add nfta
ip netns add nftb
for ns in nfta nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:00:0a type veth peer name vb netns nftb address 02:00:00:00:00:0b
ip -n nfta addr add 10.0.0.1/24 dev va
ip -n nftb addr add 10.0.0.2/24 dev vb
ip -n nfta link set va up
ip -n nftb link set vb up
cat > limit.nft <<'NFT'
table ip filter {
	chain input {
		type filter hook input priority filter; policy accept;
		icmp type echo-request limit rate 1/second burst 5 packets counter accept
		icmp type echo-request counter drop
	}
}
NFT
ip netns exec nftb nft -f limit.nft
# @traffic
ip netns exec nfta ping -f -c 20 10.0.0.2; echo "rc=$?"
ip netns exec nftb nft list ruleset
