# Load balancing with numgen: r DNATs pings to its address round-robin (numgen inc mod 3) over three addresses of b.
ip netns add nfta
ip netns add nftr
ip netns add nftb
for ns in nfta nftr nftb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns nfta address 02:00:00:00:01:0a type veth peer name ra netns nftr address 02:00:00:00:01:01
ip link add vb netns nftb address 02:00:00:00:02:0b type veth peer name rb netns nftr address 02:00:00:00:02:01
ip -n nfta addr add 10.0.1.10/24 dev va
ip -n nftr addr add 10.0.1.1/24 dev ra
ip -n nftr addr add 10.0.2.1/24 dev rb
ip -n nftb addr add 10.0.2.10/24 dev vb
ip -n nftb addr add 10.0.2.11/24 dev vb
ip -n nftb addr add 10.0.2.12/24 dev vb
ip -n nfta link set va up
ip -n nftr link set ra up
ip -n nftr link set rb up
ip -n nftb link set vb up
ip -n nfta route add default via 10.0.1.1
ip -n nftb route add default via 10.0.2.1
ip netns exec nftr sysctl -qw net.ipv4.ip_forward=1
cat > lb.nft <<'NFT'
table ip lb {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "ra" ip daddr 10.0.1.1 icmp type echo-request counter dnat to numgen inc mod 3 map { 0 : 10.0.2.10, 1 : 10.0.2.11, 2 : 10.0.2.12 }
	}
}
NFT
ip netns exec nftr nft -f lb.nft
# @traffic
for i in 1 2 3 4 5 6; do ip netns exec nfta ping -c 1 10.0.1.1 > /dev/null; echo "ping $i rc=$?"; done
ip netns exec nftb nstat -az IcmpInEchos
ip netns exec nftr nft list ruleset
