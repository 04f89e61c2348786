# conntrack -E on a masquerading router: NEW at confirm, UPDATE for reply/state/assured changes, DESTROY from conntrack -D
for ns in zzea zzer zzeb; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns zzea address 02:00:00:00:01:0a type veth peer name ra netns zzer address 02:00:00:00:01:01
ip link add vb netns zzeb address 02:00:00:00:02:0b type veth peer name rb netns zzer address 02:00:00:00:02:01
ip -n zzea addr add 10.0.1.10/24 dev va
ip -n zzer addr add 10.0.1.1/24 dev ra
ip -n zzer addr add 10.0.2.1/24 dev rb
ip -n zzeb addr add 10.0.2.10/24 dev vb
for l in "zzea va" "zzer ra" "zzer rb" "zzeb vb"; do set -- $l; ip -n $1 link set $2 up; done
ip -n zzea route add default via 10.0.1.1
ip netns exec zzer sysctl -qw net.ipv4.ip_forward=1
ip netns exec zzer iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
sleep 1
ip netns exec zzer conntrack -E > ev.txt 2>&1 &
sleep 0.5
ip netns exec zzea ping -c 2 -i 0.2 10.0.2.10 > /dev/null
echo probe | ip netns exec zzea nc -u -w 1 10.0.2.10 6000
ip netns exec zzeb nc -l 10.0.2.10 9000 > /dev/null &
sleep 0.3
echo hi | ip netns exec zzea nc -N 10.0.2.10 9000
ip netns exec zzer conntrack -D -p icmp > /dev/null 2>&1
sleep 0.5
kill %1
wait
grep -oE '^ *\[[A-Z]+\] [a-z]+ +[0-9]+ [0-9]+( [A-Z_]+)?' ev.txt
grep -c 'UNREPLIED' ev.txt
grep -c 'ASSURED' ev.txt
grep -c 'USERSPACE] portid=[0-9]*$' ev.txt
grep -c 'src=10.0.2.10 dst=10.0.2.1 ' ev.txt
tail -1 ev.txt
for ns in zzea zzer zzeb; do ip netns del $ns; done
