ip netns add nfa
ip netns add nfb
ip netns exec nfa sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec nfb sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns nfa address 02:00:00:00:00:0a type veth peer name vb netns nfb address 02:00:00:00:00:0b
ip -n nfa addr add 10.0.0.1/24 dev va
ip -n nfb addr add 10.0.0.2/24 dev vb
ip -n nfa link set lo up
ip -n nfb link set lo up
ip -n nfa link set va up
ip -n nfb link set vb up
ip netns exec nfb iptables -N icmpin
ip netns exec nfb iptables -N marks
ip netns exec nfb iptables -A INPUT -i lo -j ACCEPT
ip netns exec nfb iptables -A INPUT -p arp -j ACCEPT 2>&1; echo "rc=$?"
ip netns exec nfb iptables -A INPUT -p icmp -j icmpin
ip netns exec nfb iptables -A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset
ip netns exec nfb iptables -A INPUT -p tcp --dport 23 -j REJECT --reject-with icmp-host-prohibited
ip netns exec nfb iptables -A INPUT -p tcp --dport 24 -j REJECT --reject-with icmp-admin-prohibited
ip netns exec nfb iptables -A INPUT -j marks
ip netns exec nfb iptables -P INPUT DROP
ip netns exec nfb iptables -A icmpin -m length --length 0:99 -m limit --limit 2/sec --limit-burst 3 -j ACCEPT
ip netns exec nfb iptables -A icmpin -m length --length 100:2000 -j RETURN
ip netns exec nfb iptables -A icmpin -j DROP
ip netns exec nfb iptables -A marks -j MARK --set-mark 0x5
ip netns exec nfb iptables -A marks -m mark --mark 0x5 -j RETURN
ip netns exec nfb iptables -A OUTPUT -o vb -p icmp --icmp-type echo-reply -j ACCEPT
ip netns exec nfb iptables -A OUTPUT -d 10.0.0.1 -p icmp --icmp-type destination-unreachable -j ACCEPT
ip netns exec nfb iptables -A OUTPUT -p tcp --tcp-flags RST RST -j ACCEPT
ip netns exec nfb iptables -A OUTPUT -m addrtype --src-type LOCAL -j ACCEPT
ip netns exec nfa ping -c 6 -i 0.1 -W 1 10.0.0.2 | grep -c 'bytes from'
ip netns exec nfa ping -c 2 -i 0.1 -W 1 -s 200 10.0.0.2 | grep -c 'bytes from'
ip netns exec nfa nc -w 1 10.0.0.2 22 </dev/null; echo "rc=$?"
ip netns exec nfa nc -w 1 10.0.0.2 23 </dev/null; echo "rc=$?"
ip netns exec nfa nc -w 1 10.0.0.2 24 </dev/null; echo "rc=$?"
ip netns exec nfa nstat -asz | grep -E 'IcmpInDestUnreachs|TcpAttemptFails|IcmpInMsgs'
ip netns exec nfb iptables -L -v -n -x
ip netns exec nfb iptables-save -c | grep -v '^#'
ip netns exec nfb iptables -Z
ip netns exec nfb iptables -S -v
ip netns del nfa
ip netns del nfb
