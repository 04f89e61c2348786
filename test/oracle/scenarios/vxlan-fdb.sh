# vxlan's forwarding database by hand: a's vx0 learns nothing and floods
# through two all-zeros entries (bridge fdb append) to b and c, each behind
# router r; c drops the echo requests meant for b (PACKET_OTHERHOST). A
# unicast entry (bridge fdb add) then sends straight to b; a remote is
# deleted again. A VNI nobody listens to is dropped on arrival
# (VXLAN_VNI_NOT_FOUND), a device without remote or fdb drops what it
# sends (NO_TX_TARGET). c learns with ageing 1 and forgets at the next
# 10-second sweep. `ip -d link` of the options, and the fdb errors. The
# underlay's neighbours are permanent and the pings pinned to CPU 0 (each CPU
# has its own dst_cache of a remote's route, not trusted in the jiffy the
# remote was made: hence the sleep after `fdb add`), so runs repeat.
ip netns add vfa
ip netns add vfb
ip netns add vfc
ip netns add vfr
for ns in vfa vfb vfc vfr; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns vfa address 02:00:00:00:01:0a type veth peer name ra netns vfr address 02:00:00:00:01:01
ip link add vb netns vfb address 02:00:00:00:02:0b type veth peer name rb netns vfr address 02:00:00:00:02:01
ip link add vc netns vfc address 02:00:00:00:03:0c type veth peer name rc netns vfr address 02:00:00:00:03:01
ip -n vfa addr add 10.0.1.10/24 dev va
ip -n vfb addr add 10.0.2.10/24 dev vb
ip -n vfc addr add 10.0.3.10/24 dev vc
ip -n vfr addr add 10.0.1.1/24 dev ra
ip -n vfr addr add 10.0.2.1/24 dev rb
ip -n vfr addr add 10.0.3.1/24 dev rc
for l in ra rb rc; do ip -n vfr link set $l up; done
ip -n vfa link set va up
ip -n vfb link set vb up
ip -n vfc link set vc up
ip -n vfa route add default via 10.0.1.1
ip -n vfb route add default via 10.0.2.1
ip -n vfc route add default via 10.0.3.1
ip netns exec vfr sysctl -qw net.ipv4.ip_forward=1
ip -n vfa neigh add 10.0.1.1 lladdr 02:00:00:00:01:01 dev va nud permanent
ip -n vfb neigh add 10.0.2.1 lladdr 02:00:00:00:02:01 dev vb nud permanent
ip -n vfc neigh add 10.0.3.1 lladdr 02:00:00:00:03:01 dev vc nud permanent
ip -n vfr neigh add 10.0.1.10 lladdr 02:00:00:00:01:0a dev ra nud permanent
ip -n vfr neigh add 10.0.2.10 lladdr 02:00:00:00:02:0b dev rb nud permanent
ip -n vfr neigh add 10.0.3.10 lladdr 02:00:00:00:03:0c dev rc nud permanent
ip -n vfa link add vx0 address 02:00:00:00:0a:0a type vxlan id 100 dstport 4789 nolearning srcport 40000 40001
ip -n vfb link add vx0 address 02:00:00:00:0b:0b type vxlan id 100 dstport 4789 remote 10.0.1.10 srcport 40000 40001
ip -n vfc link add vx0 address 02:00:00:00:0c:0c type vxlan id 100 dstport 4789 remote 10.0.1.10 srcport 40000 40001 ageing 1
ip -n vfa link add vx1 address 02:00:00:00:1a:1a type vxlan id 101 dstport 4789 remote 10.0.3.10 srcport 40000 40001
ip -n vfb link add vx2 address 02:00:00:00:2b:2b type vxlan id 102 dstport 4789 srcport 40000 40001
ip -n vfa addr add 192.168.100.1/24 dev vx0
ip -n vfb addr add 192.168.100.2/24 dev vx0
ip -n vfc addr add 192.168.100.3/24 dev vx0
ip -n vfa addr add 192.168.101.1/24 dev vx1
ip -n vfb addr add 192.168.102.2/24 dev vx2
for ns in vfa vfb vfc; do ip -n $ns link set vx0 up; done
ip -n vfa link set vx1 up
ip -n vfb link set vx2 up
ip -n vfa neigh add 192.168.101.3 lladdr 02:00:00:00:0c:0c dev vx1
ip -n vfb neigh add 192.168.102.3 lladdr 02:00:00:00:0c:0c dev vx2
bridge -n vfa fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.2.10
bridge -n vfa fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.3.10
bridge -n vfa fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.3.10; echo "rc=$?"
bridge -n vfa fdb add 00:00:00:00:00:00 dev vx0 dst 10.0.3.10; echo "rc=$?"
bridge -n vfa fdb add 02:00:00:00:00:99 dev vx0; echo "rc=$?"
bridge -n vfa fdb add 02:00:00:00:00:99 dev vx0 dst 10.0.9.9 port 4790 vni 7 via va
bridge -n vfa fdb show dev vx0
bridge -n vfa fdb del 02:00:00:00:00:99 dev vx0
bridge -n vfa fdb del 02:00:00:00:00:99 dev vx0; echo "rc=$?"
ip -n vfr link add vxt type vxlan id 7 dstport 4789 nolearning tos inherit ttl inherit df set maxaddress 10 noudpcsum ageing 0 proxy l2miss l3miss rsc
ip -n vfr link add vxu type vxlan id 8 dstport 4790 tos 0x10 ttl 5 df inherit srcport 1000 2000 remote 10.0.2.10 local 10.0.2.1
ip -n vfr -d link show vxt
ip -n vfr -d link show vxu
ip -n vfr link del vxt
ip -n vfr link del vxu
# @traffic
ip netns exec vfa taskset -c 0 ping -c 2 -i 0.2 192.168.100.2
bridge -n vfa fdb show dev vx0
bridge -n vfb fdb show dev vx0
bridge -n vfc fdb show dev vx0
bridge -n vfa fdb add 02:00:00:00:0b:0b dev vx0 dst 10.0.2.10
sleep 0.1
ip netns exec vfa taskset -c 0 ping -c 1 192.168.100.2
bridge -n vfa fdb del 00:00:00:00:00:00 dev vx0 dst 10.0.3.10
bridge -n vfa fdb show dev vx0
ip netns exec vfa taskset -c 0 ping -c 1 -W 1 192.168.101.3; echo "rc=$?"
ip netns exec vfb taskset -c 0 ping -c 1 -W 1 192.168.102.3; echo "rc=$?"
sleep 12
bridge -n vfc fdb show dev vx0
ip -n vfb -s link show vx2
