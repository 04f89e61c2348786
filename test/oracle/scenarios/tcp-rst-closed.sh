# Data to a closed socket: the server quits at once (-q 0, stdin /dev/null),
# the client's late data gets a RST (TCPAbortOnData) and nc sees the reset.
ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set va up
ip -n b link set vb up
# @traffic
ip netns exec b nc -l -q 0 10.0.0.2 8080 < /dev/null &
sleep 0.3
(sleep 0.5; printf 'late\n'; sleep 0.5) | ip netns exec a nc 10.0.0.2 8080; echo "rc=$?"
wait
ip netns exec a ss -tan
ip netns exec b ss -tan
