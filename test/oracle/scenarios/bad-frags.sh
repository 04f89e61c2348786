# a replays fragments that ip_frag_queue refuses or mends to b: a partial
# overlap, a non-final fragment of odd length (trimmed, then reassembled and
# answered), a second final fragment with another end, a fragment past the end,
# an empty fragment. Cases: ../frames/bad-frags.txt (../frames/bad-frames.py).
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
ip netns exec bada tcpreplay -i va --pps 50 bad-frags.pcap >/dev/null 2>&1; echo "tcpreplay rc=$?"
sleep 1
ip -n badb -s link show vb
