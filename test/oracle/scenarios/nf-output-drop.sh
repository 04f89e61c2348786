# A DROP in OUTPUT returns EPERM to the sender.
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
ip netns exec a iptables -A OUTPUT -p icmp -j DROP
ip netns exec a iptables -A OUTPUT -p udp --dport 7000 -j DROP
# @traffic
ip netns exec a ping -c 1 10.0.0.2; echo "rc=$?"
echo x | ip netns exec a nc -u -w 1 10.0.0.2 7000; echo "rc=$?"
ip netns exec a iptables -L OUTPUT -v -n -x
