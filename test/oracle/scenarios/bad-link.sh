# a replays crafted link-layer frames to b: ARP with a bad hardware type,
# IEEE802 hardware type, hlen 4, protocol IPv6, opcode 9, off-subnet, multicast
# and broadcast-MAC senders, a target not ours, a truncated ARP; an IPv4 runt,
# a foreign multicast MAC, ARP to a foreign MAC, ethertype 0x1234, a unicast IP
# in a broadcast frame. Cases: ../frames/bad-link.txt (../frames/bad-frames.py).
# Record with `record.py --files ../frames`.
ip netns add bada
ip netns add badb
ip netns exec bada sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec badb sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns bada address 02:00:00:00:00:0a type veth peer name vb netns badb address 02:00:00:00:00:0b
ip -n bada addr add 10.0.0.1/24 dev va
ip -n badb addr add 10.0.0.2/24 dev vb
ip -n bada link set lo up
ip -n badb link set lo up
ip -n bada link set va up
ip -n badb link set vb up
# @traffic
ip netns exec bada tcpreplay -i va --pps 50 bad-link.pcap >/dev/null 2>&1; echo "tcpreplay rc=$?"
sleep 1
ip -n badb neigh show | sort
ip -n badb -s link show vb
