# a replays VXLAN datagrams to b's vx0 (VNI 42, UDP 4789): two good ones (the
# inner echo replies reach ping_rcv, their sender is learnt) and one per drop
# of vxlan_rcv: I flag clear, reserved bits, an unknown VNI, a cut header,
# the device's own MAC, a multicast source, a static entry's MAC from another
# remote, an inner IPv4 header cut short; and a bad outer UDP checksum. Cases:
# ../frames/vxlan-bad.txt (../frames/vxlan-frames.py). Record with
# `record.py --files ../frames`.
ip netns add vxbx
ip netns add vxbb
for ns in vxbx vxbb; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns vxbx address 02:00:00:00:00:0a type veth peer name vb netns vxbb address 02:00:00:00:00:0b
ip -n vxbx addr add 10.0.0.1/24 dev va
ip -n vxbb addr add 10.0.0.2/24 dev vb
ip -n vxbx link set va up
ip -n vxbb link set vb up
ip -n vxbb neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev vb nud permanent
ip -n vxbb link add vx0 address 02:00:00:00:bb:bb type vxlan id 42 dstport 4789 local 10.0.0.2 dev vb
ip -n vxbb addr add 192.168.7.2/24 dev vx0
ip -n vxbb link set vx0 up
bridge -n vxbb fdb add 02:00:00:00:aa:aa dev vx0 dst 10.0.0.9
# @traffic
ip netns exec vxbx tcpreplay -i va --pps 50 vxlan-bad.pcap >/dev/null 2>&1; echo "tcpreplay rc=$?"
sleep 1
bridge -n vxbb fdb show dev vx0
ip -n vxbb -s link show vx0
