# fragments through a masquerading router: conntrack reassembles them (ipv4_conntrack_defrag), NAT rewrites the datagram, it leaves in fragments no bigger than it came in
for ns in zzfa zzfr zzfb; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns zzfa address 02:00:00:00:01:0a type veth peer name ra netns zzfr address 02:00:00:00:01:01
ip link add vb netns zzfb address 02:00:00:00:02:0b type veth peer name rb netns zzfr address 02:00:00:00:02:01
ip -n zzfa addr add 10.0.1.10/24 dev va
ip -n zzfr addr add 10.0.1.1/24 dev ra
ip -n zzfr addr add 10.0.2.1/24 dev rb
ip -n zzfb addr add 10.0.2.10/24 dev vb
for l in "zzfa va" "zzfr ra" "zzfr rb" "zzfb vb"; do set -- $l; ip -n $1 link set $2 up; done
ip -n zzfr link set rb mtu 1400
ip -n zzfb link set vb mtu 1400
ip -n zzfa route add default via 10.0.1.1
ip netns exec zzfr sysctl -qw net.ipv4.ip_forward=1
ip netns exec zzfr iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
sleep 1
ip netns exec zzfb tcpdump -t -nn -v -c 6 -i vb icmp > cap.txt 2>/dev/null &
sleep 0.3
ip netns exec zzfa ping -c 2 -i 0.2 -s 2500 10.0.2.10 | grep -c 'bytes from 10.0.2.10'
wait
grep -o 'offset [0-9]*, flags \[[^]]*\], proto ICMP (1), length [0-9]*' cap.txt
grep -o '10.0.2.1 > 10.0.2.10: ICMP echo request' cap.txt | wc -l
ip netns exec zzfr nstat -asz | grep -E 'Reasm|Frag|IpForw|IpInRec|IpOutTr'
ip netns exec zzfb nstat -asz | grep -E 'Reasm|Frag'
ip netns exec zzfa nstat -asz | grep -E 'Reasm|Frag'
ip netns exec zzfr conntrack -L 2>&1 | grep -c 'icmp     1 [0-9]* src=10.0.1.10 dst=10.0.2.10 type=8 code=0 id=[0-9]* src=10.0.2.10 dst=10.0.2.1 type=0'
for ns in zzfa zzfr zzfb; do ip netns del $ns; done
