# /proc/net/raw and /proc/net/udp while ping holds its raw ICMP socket and a
# UDP exchange connected both ends (OpenBSD nc -u -l connects to its first
# peer). The slot of a udp or raw record hashes with net_hash_mix, random per
# namespace on Linux.
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
ip netns exec a ping -c 2 10.0.0.2 > /dev/null &
ip netns exec b timeout 2 nc -u -l 10.0.0.2 5000 > /dev/null &
sleep 0.3
echo hello | ip netns exec a timeout 1 nc -u 10.0.0.2 5000 &
sleep 0.5
ip netns exec a cat /proc/net/raw
ip netns exec a cat /proc/net/udp
ip netns exec b cat /proc/net/udp
ip netns exec b cat /proc/net/raw
wait
