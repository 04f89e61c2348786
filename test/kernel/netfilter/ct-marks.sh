# DNAT on OUTPUT to another host (ip_route_me_harder), NOTRACK and UNTRACKED, CONNMARK save/restore, marks in conntrack -L
for ns in zzma zzmb; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns zzma address 02:00:00:00:00:0a type veth peer name vb netns zzmb address 02:00:00:00:00:0b
ip -n zzma addr add 10.0.0.1/24 dev va
ip -n zzmb addr add 10.0.0.2/24 dev vb
ip -n zzma link set va up
ip -n zzmb link set vb up
ip -n zzma route add default via 10.0.0.2
A="ip netns exec zzma iptables"
$A -t nat -A OUTPUT -d 192.0.2.7 -p udp -j DNAT --to-destination 10.0.0.2:7000
$A -t raw -A OUTPUT -p icmp -j CT --notrack
$A -A OUTPUT -m conntrack --ctstate UNTRACKED -j ACCEPT
$A -A OUTPUT -m state --state NEW -j ACCEPT
$A -t mangle -A OUTPUT -p udp -j MARK --set-mark 0x7
$A -t mangle -A POSTROUTING -p udp -j CONNMARK --save-mark
$A -t mangle -A PREROUTING -j CONNMARK --restore-mark
$A -A INPUT -m connmark --mark 0x7 -j ACCEPT
$A -A INPUT -m mark --mark 0x7 -j ACCEPT
$A -A INPUT -m conntrack --ctstate DNAT -j ACCEPT
ip netns exec zzmb nc -u -l 10.0.0.2 7000 > /dev/null &
sleep 0.3
ip netns exec zzma ping -c 2 -i 0.2 10.0.0.2 | grep -c bytes
echo one | ip netns exec zzma nc -u -w 1 192.0.2.7 9999; echo rc=$?
$A -L OUTPUT -v -n -x
$A -L INPUT -v -n -x
$A -t nat -L OUTPUT -v -n -x
ip netns exec zzma conntrack -L -p udp 2>&1 | grep -c 'src=10.0.0.1 dst=192.0.2.7 sport=[0-9]* dport=9999 \[UNREPLIED\] src=10.0.0.2 dst=10.0.0.1 sport=7000 dport=[0-9]* mark=7 use=1'
ip netns exec zzma conntrack -L -p icmp 2>&1 | grep -c icmp
ip netns exec zzma conntrack -L -m 7 2>/dev/null | wc -l
ip netns exec zzma conntrack -L -m 8 2>/dev/null | wc -l
kill %1 2>/dev/null; wait
for ns in zzma zzmb; do ip netns del $ns; done
