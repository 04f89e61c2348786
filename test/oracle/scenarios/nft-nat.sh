# An nftables NAT router: masquerade out of rb, and DNAT of ports 8080/8081 through a map; conntrack lists the flows.
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
ip -n nfta link set va up
ip -n nftr link set ra up
ip -n nftr link set rb up
ip -n nftb link set vb up
ip -n nfta route add default via 10.0.1.1
ip netns exec nftr sysctl -qw net.ipv4.ip_forward=1
ip netns exec nftr nft add table ip nat
ip netns exec nftr nft add chain ip nat prerouting '{ type nat hook prerouting priority dstnat; policy accept; }'
ip netns exec nftr nft add chain ip nat postrouting '{ type nat hook postrouting priority srcnat; policy accept; }'
ip netns exec nftr nft add map ip nat backends '{ type inet_service : ipv4_addr; }'
ip netns exec nftr nft add element ip nat backends '{ 8080 : 10.0.2.10, 8081 : 10.0.2.11 }'
ip netns exec nftr nft add rule ip nat prerouting iifname "ra" dnat to tcp dport map @backends
ip netns exec nftr nft add rule ip nat postrouting oifname "rb" counter masquerade
ip netns exec nftr nft list ruleset
# @traffic
ip netns exec nftb nc -l 10.0.2.10 8080 > got1.txt &
ip netns exec nftb nc -l 10.0.2.11 8081 > got2.txt &
sleep 0.3
echo "to b:8080" | ip netns exec nfta nc -N 10.0.1.1 8080; echo "rc=$?"
echo "to b:8081" | ip netns exec nfta nc -N 10.0.1.1 8081; echo "rc=$?"
wait
cat got1.txt got2.txt
ip netns exec nfta ping -c 1 10.0.2.10 > /dev/null; echo "rc=$?"
ip netns exec nftr conntrack -L -p tcp --orig-port-dst 8080
ip netns exec nftr conntrack -L -p tcp --orig-port-dst 8081
ip netns exec nftr conntrack -L -p icmp
ip netns exec nftr nft list ruleset
