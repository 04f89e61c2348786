# Policy routing on router r: traffic from a's second address takes table 100
# (towards c), the rest the main table (towards b), and a prohibit rule
# refuses one prefix (ICMP "packet filtered").
ip netns add a
ip netns add r
ip netns add b
ip netns add c
for ns in a r b c; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r address 02:00:00:00:01:01
ip link add vb netns b address 02:00:00:00:02:0b type veth peer name rb netns r address 02:00:00:00:02:01
ip link add vc netns c address 02:00:00:00:03:0c type veth peer name rc netns r address 02:00:00:00:03:01
ip -n a addr add 10.0.1.10/24 dev va
ip -n a addr add 10.0.1.11/24 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n r addr add 10.0.3.1/24 dev rc
ip -n b addr add 10.0.2.10/24 dev vb
ip -n b addr add 192.0.2.1/32 dev vb
ip -n c addr add 10.0.3.10/24 dev vc
ip -n c addr add 192.0.2.1/32 dev vc
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n r link set rc up
ip -n b link set vb up
ip -n c link set vc up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
ip -n c route add default via 10.0.3.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n r route add 192.0.2.1 via 10.0.2.10
ip -n r route add 192.0.2.1 via 10.0.3.10 table 100
ip -n r rule add from 10.0.1.11 table 100
ip -n r rule add to 198.51.100.0/24 prohibit
ip -n r rule
ip -n r route show table all
# @traffic
ip netns exec a ping -c 1 -I 10.0.1.10 192.0.2.1
ip netns exec a ping -c 1 -I 10.0.1.11 192.0.2.1
ip netns exec a ping -c 1 198.51.100.1; echo "rc=$?"
ip -n r route get 192.0.2.1 from 10.0.1.11 iif ra
ip -n r route get 192.0.2.1 from 10.0.1.10 iif ra
