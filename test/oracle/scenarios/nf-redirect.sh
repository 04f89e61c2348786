# REDIRECT of port 8080 to a local listener on port 9000.
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
ip netns exec b iptables -t nat -A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 9000
ip netns exec b nc -l 10.0.0.2 9000 > got.txt &
sleep 0.3
# @traffic
echo "redirected" | ip netns exec a nc -N 10.0.0.2 8080; echo "rc=$?"
wait
cat got.txt
ip netns exec b iptables -t nat -L -v -n -x
ip netns exec b iptables -t nat -S
