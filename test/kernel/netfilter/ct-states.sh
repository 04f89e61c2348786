# conntrack states seen by FORWARD rules on a masquerading router: NEW, ESTABLISHED, RELATED (an ICMP error), SNAT
for ns in zzca zzcr zzcb; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns zzca address 02:00:00:00:01:0a type veth peer name ra netns zzcr address 02:00:00:00:01:01
ip link add vb netns zzcb address 02:00:00:00:02:0b type veth peer name rb netns zzcr address 02:00:00:00:02:01
ip -n zzca addr add 10.0.1.10/24 dev va
ip -n zzcr addr add 10.0.1.1/24 dev ra
ip -n zzcr addr add 10.0.2.1/24 dev rb
ip -n zzcb addr add 10.0.2.10/24 dev vb
for l in "zzca va" "zzcr ra" "zzcr rb" "zzcb vb"; do set -- $l; ip -n $1 link set $2 up; done
ip -n zzca route add default via 10.0.1.1
ip netns exec zzcr sysctl -qw net.ipv4.ip_forward=1
R="ip netns exec zzcr iptables"
$R -t nat -A POSTROUTING -o rb -j MASQUERADE
$R -A FORWARD -m conntrack --ctstate NEW -j ACCEPT
$R -A FORWARD -m conntrack --ctstate RELATED -j ACCEPT
$R -A FORWARD -m conntrack --ctstate ESTABLISHED -m conntrack --ctdir ORIGINAL -j ACCEPT
$R -A FORWARD -m conntrack --ctstate ESTABLISHED -m conntrack --ctdir REPLY -j ACCEPT
$R -A FORWARD -m conntrack --ctstate INVALID -j ACCEPT
$R -A POSTROUTING -t mangle -m conntrack --ctstate SNAT -j ACCEPT
$R -A POSTROUTING -t mangle -m conntrack --ctstatus ASSURED -j ACCEPT
$R -A POSTROUTING -t mangle -m conntrack --ctstatus SEEN_REPLY -j ACCEPT
sleep 1
ip netns exec zzca ping -c 3 -i 0.2 10.0.2.10 | grep -c bytes
echo probe | ip netns exec zzca nc -u -w 1 10.0.2.10 6000; echo rc=$?
ip netns exec zzcb nc -l 10.0.2.10 9000 > /dev/null &
sleep 0.3
echo hello | ip netns exec zzca nc -N 10.0.2.10 9000; echo rc=$?
wait
$R -L FORWARD -v -n -x
$R -t mangle -L POSTROUTING -v -n -x
ip netns exec zzcr conntrack -C
ip netns exec zzcr conntrack -L -p tcp 2>&1 | grep -c 'TIME_WAIT src=10.0.1.10 dst=10.0.2.10 .* src=10.0.2.10 dst=10.0.2.1 .*\[ASSURED\] mark=0 use=1'
ip netns exec zzcr conntrack -L -p udp 2>&1 | grep -c 'UNREPLIED'
ip netns exec zzcr conntrack -L -p icmp -d 10.0.2.10 2>&1 | grep -c 'type=8 code=0'
ip netns exec zzcr conntrack -D -p udp 2>/dev/null | wc -l
ip netns exec zzcr conntrack -C
ip netns exec zzcr conntrack -F
ip netns exec zzcr sysctl net.netfilter.nf_conntrack_count
for ns in zzca zzcr zzcb; do ip netns del $ns; done
