# /proc/net/tcp after a connection closed: the side that closed first holds it
# in TIME_WAIT (tr 3, the time-wait timer; no inode); the listener is gone.
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
ip netns exec b nc -l 10.0.0.2 8080 > /dev/null &
sleep 0.3
echo hi | ip netns exec a nc -N 10.0.0.2 8080
wait
sleep 0.2
ip netns exec a cat /proc/net/tcp
ip netns exec b cat /proc/net/tcp
