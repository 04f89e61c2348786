ip netns add ma
ip netns add mb
ip netns exec ma sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec mb sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns ma address 02:00:00:00:00:0a type veth peer name vb netns mb address 02:00:00:00:00:0b
ip -n ma addr add 10.0.0.1/24 dev va
ip -n mb addr add 10.0.0.2/24 dev vb
ip -n ma link set lo up
ip -n mb link set lo up
ip -n ma link set va up
ip -n mb link set vb up
ip netns exec mb iptables -t mangle -A PREROUTING -p icmp -m length --length 0:100 -j MARK --set-mark 0x10/0x10
ip netns exec mb iptables -t mangle -A PREROUTING -p icmp -m ttl --ttl-lt 64 -j MARK --or-mark 0x1
ip netns exec mb iptables -t raw -A PREROUTING -p udp --dport 7 -j DROP
ip netns exec mb iptables -A INPUT -m mark --mark 0x10/0x10 -j ACCEPT
ip netns exec mb iptables -A INPUT -p icmp -j DROP
ip netns exec ma ping -c 2 -i 0.2 -W 1 10.0.0.2 | grep -c 'bytes from'
ip netns exec ma ping -c 2 -i 0.2 -W 1 -s 100 10.0.0.2 | grep -c 'bytes from'
ip netns exec ma ping -c 1 -W 1 -t 5 10.0.0.2 | grep -c 'bytes from'
echo x | ip netns exec ma nc -u -w 1 10.0.0.2 7; echo "rc=$?"
ip netns exec mb iptables -R INPUT 2 -p icmp -j ACCEPT
ip netns exec mb iptables -I INPUT 1 -s 10.0.0.1 -c 5 500
ip netns exec mb iptables -L INPUT -v -n --line-numbers
ip netns exec mb iptables-save -c | grep -v '^#'
ip netns exec mb nstat -as | grep -E '^Ip|^Icmp|^Udp'
ip netns del ma
ip netns del mb
