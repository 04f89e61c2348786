# LOG lines for ICMP errors (the quoted header in brackets), fragments and marks.
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
sysctl -qw net.netfilter.nf_log_all_netns=1
ip netns exec b iptables -A OUTPUT -p icmp --icmp-type destination-unreachable -j LOG --log-prefix "nf-log2 unreach: "
ip netns exec b iptables -t mangle -A PREROUTING -p icmp -j MARK --set-mark 0x2a
ip netns exec b iptables -t raw -A PREROUTING -p icmp -j LOG --log-prefix "nf-log2 raw: "
ip netns exec b iptables -A INPUT -p icmp -j LOG --log-prefix "nf-log2 in: "
# @traffic
echo x | ip netns exec a nc -u -w 1 10.0.0.2 9; echo "rc=$?"
ip netns exec a ping -c 1 -s 2000 10.0.0.2 > /dev/null; echo "rc=$?"
dmesg -t | grep 'nf-log2 ' | tail -n 4
sysctl -qw net.netfilter.nf_log_all_netns=0
