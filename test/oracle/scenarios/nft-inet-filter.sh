# An nftables stateful firewall: an inet table, drop policy, established/related accepted, a named set of open ports, counters.
ip netns add nfta
ip netns add nftb
for ns in nfta nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:00:0a type veth peer name vb netns nftb address 02:00:00:00:00:0b
ip -n nfta addr add 10.0.0.1/24 dev va
ip -n nftb addr add 10.0.0.2/24 dev vb
ip -n nfta link set va up
ip -n nftb link set vb up
cat > fw.nft <<'NFT'
table inet filter {
	set allowed {
		type inet_service
		elements = { 22, 80 }
	}

	chain input {
		type filter hook input priority filter; policy drop;
		iif "lo" accept
		ct state established,related counter accept
		ct state invalid counter drop
		tcp dport @allowed ct state new counter accept
		counter comment "dropped by policy"
	}
}
NFT
ip netns exec nftb nft -f fw.nft; echo "rc=$?"
ip netns exec nftb nft add element inet filter allowed '{ 443 }'
ip netns exec nftb nc -l 10.0.0.2 80 </dev/null >/dev/null 2>&1 &
sleep 0.3
# @traffic
ip netns exec nfta ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
ip netns exec nftb ping -c 2 -i 0.2 10.0.0.1
ip netns exec nfta nc -v -w 1 10.0.0.2 80 </dev/null; echo "rc=$?"
sleep 0.2
echo probe | ip netns exec nfta nc -u -w 1 10.0.0.2 5353; echo "rc=$?"
ip netns exec nftb nft list ruleset
ip netns exec nftb nft list set inet filter allowed
