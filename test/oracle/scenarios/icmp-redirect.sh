# a, r and c share subnet 10.0.1.0/24 (bridge br0 in namespace s). a's route to
# 10.0.5.0/24 goes via r, but r's own route there goes via c on the same
# subnet: r forwards the packet back out the interface it came in on and
# sends a an ICMP redirect (send_redirects is on by default). a takes the
# redirect only once it has a valid neighbour entry for the new gateway c: the
# first redirect just starts ARP for c, the second creates the exception.
ip netns add s
ip netns add a
ip netns add r
ip netns add c
for ns in s a r c; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n s link add br0 address 02:00:00:00:00:99 type bridge
ip -n s link set br0 up
ip link add va netns a address 02:00:00:00:01:0a type veth peer name pa netns s address 02:00:00:00:00:0a
ip link add vr netns r address 02:00:00:00:01:01 type veth peer name pr netns s address 02:00:00:00:00:01
ip link add vc netns c address 02:00:00:00:01:0c type veth peer name pc netns s address 02:00:00:00:00:0c
for p in pa pr pc; do ip -n s link set $p master br0; ip -n s link set $p up; done
ip -n a addr add 10.0.1.10/24 dev va
ip -n r addr add 10.0.1.1/24 dev vr
ip -n c addr add 10.0.1.3/24 dev vc
ip -n c addr add 10.0.5.1/24 dev lo
ip -n a link set va up
ip -n r link set vr up
ip -n c link set vc up
ip -n a route add 10.0.5.0/24 via 10.0.1.1
ip -n r route add 10.0.5.0/24 via 10.0.1.3
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec a sysctl net.ipv4.conf.va.accept_redirects net.ipv4.conf.va.secure_redirects net.ipv4.conf.va.shared_media
ip netns exec r sysctl net.ipv4.conf.vr.send_redirects
# the bridge's own IGMP reports go out in its first seconds; let them pass
sleep 3
# @traffic
ip netns exec a ip route get 10.0.5.1
ip netns exec a ping -c 3 -i 0.3 10.0.5.1
ip netns exec a ip route get 10.0.5.1
ip netns exec a ip route show cache
ip -n a neigh show 10.0.1.3 dev va
