# LOG writes what it sees to the kernel log (dmesg) once init_net's nf_log_all_netns lets namespaces log.
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
ip netns exec b iptables -A INPUT -p icmp -j LOG --log-prefix "nf-log icmp: "
ip netns exec b iptables -A INPUT -p tcp --syn -j LOG --log-prefix "nf-log syn: " --log-level debug --log-tcp-options --log-tcp-sequence
ip netns exec b iptables -A INPUT -p udp -j LOG --log-prefix "nf-log udp: " --log-macdecode
ip netns exec a iptables -A OUTPUT -p icmp -j LOG --log-prefix "nf-log out: " --log-uid --log-level info
# @traffic
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
ip netns exec a nc -w 1 -z 10.0.0.2 80; echo "rc=$?"
echo x | ip netns exec a nc -u -w 1 10.0.0.2 9
dmesg -t | grep 'nf-log ' | tail -n 4
ip netns exec b dmesg -x | grep 'nf-log ' | tail -n 4 | cut -c1-15
sysctl -qw net.netfilter.nf_log_all_netns=0
ip netns exec b iptables -L INPUT -v -n -x
ip netns exec b iptables -L INPUT
ip netns exec a iptables -S OUTPUT
