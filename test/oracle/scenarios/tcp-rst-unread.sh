# Close with unread data: a second connection waits in the accept queue of a
# busy nc with its data never read; when nc closes the listener the queued
# connection is reset.
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
ip netns exec b nc -l 10.0.0.2 8080 > got.txt &
sleep 0.3
(printf 'first\n'; sleep 1) | ip netns exec a nc -N 10.0.0.2 8080 &
sleep 0.3
(printf 'second\n'; sleep 2) | ip netns exec a nc 10.0.0.2 8080; echo "rc=$?"
wait
cat got.txt
ip netns exec b ss -tan
