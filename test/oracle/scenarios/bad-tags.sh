# a replays frames a plain veth host does not serve to b: an 802.1Q tag with a
# VID b has no device for, a priority tag (VID 0) on an echo request, and IPv6
# (multicast and unicast) with IPv6 disabled. Cases: ../frames/bad-tags.txt
# (../frames/bad-frames.py). Record with `record.py --files ../frames`.
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
ip netns exec bada tcpreplay -i va --pps 50 bad-tags.pcap >/dev/null 2>&1; echo "tcpreplay rc=$?"
sleep 1
ip -n badb -s link show vb
