ip netns add oc
ip netns exec oc sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n oc link set lo up
ip netns exec oc iptables -A OUTPUT -p tcp --dport 9998 -j REJECT --reject-with tcp-reset
ip netns exec oc iptables -A OUTPUT -p tcp --tcp-flags RST RST
ip netns exec oc iptables -A INPUT -p tcp --tcp-flags RST RST
ip netns exec oc nc -w 1 127.0.0.1 9998 </dev/null; echo "rc=$?"
ip netns exec oc iptables -L -v -n -x
ip netns exec oc nstat -as | grep -E '^Ip|^Tcp'
ip netns del oc
