# vxlan between a and b over a routed underlay (router r). a's vx0 has a
# unicast remote; b's learns a's MAC and gets an all-zeros fdb append. Pings
# across the overlay, the fdb after traffic, packets too big: for vx0's MTU
# (local error with DF, inner fragments without), and for a's route to the
# underlay (mtu 1400): vxlan_xmit_one's skb_tunnel_check_pmtu lowers the inner
# route's PMTU to 1350 and a fragments the outer packet, b reassembles it
# before vxlan_rcv. Source port ranges of one port keep the outer ports fixed
# (the flow hash is keyed by a per-boot random secret). Errors of ip link add.
ip netns add vxa
ip netns add vxr
ip netns add vxb
for ns in vxa vxr vxb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns vxa address 02:00:00:00:01:0a type veth peer name ra netns vxr address 02:00:00:00:01:01
ip link add vb netns vxb address 02:00:00:00:02:0b type veth peer name rb netns vxr address 02:00:00:00:02:01
ip -n vxa addr add 10.0.1.10/24 dev va
ip -n vxr addr add 10.0.1.1/24 dev ra
ip -n vxr addr add 10.0.2.1/24 dev rb
ip -n vxb addr add 10.0.2.10/24 dev vb
ip -n vxa link set va up
ip -n vxr link set ra up
ip -n vxr link set rb up
ip -n vxb link set vb up
ip -n vxa route add default via 10.0.1.1
ip -n vxb route add default via 10.0.2.1
ip -n vxa route add 10.0.2.0/24 via 10.0.1.1 mtu 1400
ip netns exec vxr sysctl -qw net.ipv4.ip_forward=1
ip -n vxa link add vx0 address 02:00:00:00:0a:0a type vxlan id 42 dstport 4789 remote 10.0.2.10 local 10.0.1.10 dev va srcport 40000 40001
ip -n vxb link add vx0 address 02:00:00:00:0b:0b type vxlan id 42 dstport 4789 local 10.0.2.10 dev vb srcport 50000 50001 ttl 16 ageing 120
ip -n vxb link add vx1 type vxlan id 43; echo "rc=$?"
ip -n vxb link add vx2 type vxlan id 16777216 dstport 4789; echo "rc=$?"
ip -n vxb link add vx2 type vxlan dstport 4789; echo "rc=$?"
ip -n vxb link add vx2 type vxlan id 44 remote 10.0.2.1 group 239.1.1.1 dstport 4789; echo "rc=$?"
ip -n vxb link add vx2 type vxlan id 44 group 10.0.2.1 dstport 4789; echo "rc=$?"
ip -n vxb link add vx2 type vxlan id 44 group 239.1.1.1 dstport 4789; echo "rc=$?"
ip -n vxb link add vx3 type vxlan id 42 dstport 4789 local 10.0.2.10; echo "rc=$?"
ip -n vxb -d link show vx1
ip -n vxb link del vx1
ip -n vxb link del vx2
ip -n vxb -d link show vx0
ip -n vxa addr add 192.168.42.1/24 dev vx0
ip -n vxb addr add 192.168.42.2/24 dev vx0
ip -n vxa link set vx0 up
ip -n vxb link set vx0 up
bridge -n vxb fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.1.10
bridge -n vxa fdb show dev vx0
bridge -n vxb fdb show dev vx0
# @traffic
ip netns exec vxa ping -c 2 -i 0.2 192.168.42.2
bridge -n vxb fdb show dev vx0
bridge -n vxa fdb show dev vx0
ip netns exec vxa ping -c 1 -M do -s 1450 192.168.42.2; echo "rc=$?"
ip netns exec vxa ping -c 1 -s 1422 192.168.42.2
ip netns exec vxa ping -c 1 -M do -s 1422 192.168.42.2; echo "rc=$?"
ip netns exec vxa ping -c 1 -s 1500 192.168.42.2
ip -n vxa -d link show vx0
ip -n vxb -s link show vx0
