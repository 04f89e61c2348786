# CT --notrack takes no conntrack reference; CT --zone tracks in a zone (conntrack -L zone=, -w)
ip netns add zzz1
ip -n zzz1 link set lo up
ip netns exec zzz1 iptables -t raw -A OUTPUT -p icmp -j CT --notrack
ip netns exec zzz1 ping -c 1 127.0.0.1 > /dev/null; echo rc=$?
ip netns exec zzz1 conntrack -C
ip netns exec zzz1 iptables -t raw -A OUTPUT -p udp -j CT --zone 7
echo x | ip netns exec zzz1 nc -u -w 1 127.0.0.1 9; echo rc=$?
ip netns exec zzz1 conntrack -L 2>&1 | grep -c 'udp      17 [0-9]* src=127.0.0.1 dst=127.0.0.1 sport=[0-9]* dport=9 \[UNREPLIED\] src=127.0.0.1 dst=127.0.0.1 sport=9 dport=[0-9]* mark=0 zone=7 use=1'
ip netns exec zzz1 conntrack -L -w 7 2>/dev/null | wc -l
ip netns exec zzz1 conntrack -L -w 0 2>/dev/null | wc -l
ip netns exec zzz1 conntrack -C
ip netns del zzz1
