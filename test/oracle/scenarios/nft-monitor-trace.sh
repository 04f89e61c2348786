# nft monitor trace: a ping marked with meta nftrace set 1 in prerouting and dropped by a rule of the input chain.
ip netns add nfta
ip netns add nftb
for ns in nfta nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:00:0a type veth peer name vb netns nftb address 02:00:00:00:00:0b
ip -n nfta addr add 10.0.0.1/24 dev va
ip -n nftb addr add 10.0.0.2/24 dev vb
ip -n nfta link set va up
ip -n nftb link set vb up
cat > trace.nft <<'NFT'
table inet filter {
	chain prerouting {
		type filter hook prerouting priority raw; policy accept;
		ip protocol icmp meta nftrace set 1
	}

	chain input {
		type filter hook input priority filter; policy accept;
		ct state established accept
		icmp type echo-request counter drop
	}
}
NFT
ip netns exec nftb nft -f trace.nft
# @traffic
ip netns exec nftb nft monitor trace > trace.out &
sleep 0.5
ip netns exec nfta ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
sleep 0.2
kill %1
wait
cat trace.out
