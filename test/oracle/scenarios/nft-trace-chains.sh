# nft monitor trace through jumps, returns, a mark and policies, in ip and netdev tables: UDP, a TCP SYN and ARP.
ip netns add nfta
ip netns add nftb
for ns in nfta nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:00:0a type veth peer name vb netns nftb address 02:00:00:00:00:0b
ip -n nfta addr add 10.0.0.1/24 dev va
ip -n nftb addr add 10.0.0.2/24 dev vb
ip -n nfta link set va up
ip -n nftb link set vb up
cat > trace.nft <<'NFT'
table ip t {
	chain pre {
		type filter hook prerouting priority raw; policy accept;
		meta l4proto udp meta nftrace set 1 meta mark set 0x5
		tcp flags syn meta nftrace set 1
	}

	chain other {
		udp dport 81 return
		udp dport 82 drop
	}

	chain in {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		udp dport 80 jump other
		udp dport { 81, 82 } jump other
		udp dport 53 accept
		tcp dport 5000 accept
	}
}
table netdev n {
	chain ing {
		type filter hook ingress device "vb" priority filter; policy accept;
		arp operation request meta nftrace set 1
		arp operation request counter
	}
}
NFT
ip netns exec nftb nft -f trace.nft
ip netns exec nftb nc -l 10.0.0.2 5000 </dev/null >/dev/null 2>&1 &
sleep 0.3
# @traffic
ip netns exec nftb nft monitor trace > trace.out &
mon=$!
sleep 0.5
for port in 80 81 82 53; do echo x | ip netns exec nfta nc -u -w 1 10.0.0.2 $port; echo "rc=$?"; done
ip netns exec nfta nc -z -w 1 10.0.0.2 5000; echo "rc=$?"
sleep 0.2
kill $mon
wait $mon
cat trace.out
ip netns exec nftb nft list ruleset
