# iptables-save -c round trip through iptables-restore, counters included.
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
ip netns exec b iptables -N WEB
ip netns exec b iptables -A WEB -p tcp --dport 80 -j ACCEPT
ip netns exec b iptables -A WEB -j RETURN
ip netns exec b iptables -A INPUT -p tcp -j WEB
ip netns exec b iptables -A INPUT -p icmp --icmp-type echo-request -m comment --comment "pings" -j ACCEPT
ip netns exec b iptables -A INPUT -p udp -m multiport --dports 53,123 -j ACCEPT
ip netns exec b iptables -t nat -A PREROUTING -p tcp --dport 8080 -j REDIRECT --to-ports 80
ip netns exec b iptables -P FORWARD DROP
# @traffic
ip netns exec a ping -c 3 -i 0.2 10.0.0.2 > /dev/null; echo "rc=$?"
ip netns exec b iptables-save -c > saved.rules
ip netns exec b iptables -F
ip netns exec b iptables -X WEB
ip netns exec b iptables -t nat -F
ip netns exec b iptables-save -c | grep -v '^#'
ip netns exec b iptables-restore -c < saved.rules
ip netns exec b iptables-save -c | grep -v '^#'
ip netns exec b iptables -L INPUT -v -n -x --line-numbers
