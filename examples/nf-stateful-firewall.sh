# A stateful firewall: DROP policy, ESTABLISHED,RELATED accepted, only new connections to port 80.
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
ip netns exec b iptables -P INPUT DROP
ip netns exec b iptables -A INPUT -i lo -j ACCEPT
ip netns exec b iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
ip netns exec b iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
ip netns exec b iptables -A INPUT -p tcp --dport 80 -m state --state NEW -j ACCEPT
ip netns exec b nc -l 10.0.0.2 80 </dev/null >/dev/null 2>&1 &
sleep 0.3
# @traffic
ip netns exec a ping -c 1 -W 1 10.0.0.2; echo "rc=$?"
ip netns exec b ping -c 2 -i 0.2 10.0.0.1
ip netns exec a nc -v -w 1 10.0.0.2 80 </dev/null; echo "rc=$?"
sleep 0.2
ip netns exec a nc -v -w 1 10.0.0.2 22 </dev/null; echo "rc=$?"
ip netns exec b iptables -L INPUT -v -n -x
