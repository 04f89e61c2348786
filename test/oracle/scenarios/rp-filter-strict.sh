# Strict reverse-path filtering (rp_filter=1) on router r: a packet from a's
# secondary source 10.0.9.1 arrives on ra, but r's route back to 10.0.9.0/24
# leads out rc, so r drops it (TcpExtIPReversePathFilter). a's primary source
# passes.
ip netns add a
ip netns add r
ip netns add b
ip netns add c
for ns in a r b c; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r address 02:00:00:00:01:01
ip link add vb netns b address 02:00:00:00:02:0b type veth peer name rb netns r address 02:00:00:00:02:01
ip link add vc netns c address 02:00:00:00:03:0c type veth peer name rc netns r address 02:00:00:00:03:01
ip -n a addr add 10.0.1.10/24 dev va
ip -n a addr add 10.0.9.1/32 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n r addr add 10.0.3.1/24 dev rc
ip -n b addr add 10.0.2.10/24 dev vb
ip -n c addr add 10.0.3.10/24 dev vc
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n r link set rc up
ip -n b link set vb up
ip -n c link set vc up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
ip -n c route add default via 10.0.3.1
ip -n r route add 10.0.9.0/24 via 10.0.3.10
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.ra.rp_filter=1
# @traffic
ip netns exec a ping -c 1 10.0.2.10
ip netns exec a ping -c 2 -i 0.2 -W 1 -I 10.0.9.1 10.0.2.10; echo "rc=$?"
ip netns exec r ip route get 10.0.2.10 from 10.0.9.1 iif ra; echo "rc=$?"
ip netns exec r ip route get 10.0.2.10 from 10.0.1.10 iif ra
