# UDP both ways: the listener connects to its first caller and answers it;
# a second datagram from another port is not for the connected socket.
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
(sleep 0.5; printf 'answer\n') | ip netns exec b timeout 1 nc -u -l 10.0.0.2 5000 > got.txt &
sleep 0.2
(printf 'question\n'; sleep 1) | ip netns exec a timeout 1.5 nc -u 10.0.0.2 5000; echo "rc=$?"
printf 'other\n' | ip netns exec a nc -u -w 1 -p 6000 10.0.0.2 5000; echo "rc=$?"
wait
cat got.txt
