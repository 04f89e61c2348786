# Half-close: the server sends a banner and its FIN at once (-N); the client
# reads it, and half a second later still sends its request, then its FIN.
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
printf 'banner\n' | ip netns exec b nc -N -l 10.0.0.2 8080 > got.txt &
sleep 0.3
(sleep 0.5; printf 'request\n') | ip netns exec a nc -N 10.0.0.2 8080; echo "rc=$?"
wait
cat got.txt
ip netns exec a ss -tan
ip netns exec b ss -tan
