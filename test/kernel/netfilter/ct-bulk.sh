# a 300 KB TCP transfer through a masquerading router that drops INVALID: window tracking keeps every segment valid
for ns in zzba zzbr zzbb; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns zzba address 02:00:00:00:01:0a type veth peer name ra netns zzbr address 02:00:00:00:01:01
ip link add vb netns zzbb address 02:00:00:00:02:0b type veth peer name rb netns zzbr address 02:00:00:00:02:01
ip -n zzba addr add 10.0.1.10/24 dev va
ip -n zzbr addr add 10.0.1.1/24 dev ra
ip -n zzbr addr add 10.0.2.1/24 dev rb
ip -n zzbb addr add 10.0.2.10/24 dev vb
for l in "zzba va" "zzbr ra" "zzbr rb" "zzbb vb"; do set -- $l; ip -n $1 link set $2 up; done
ip -n zzba route add default via 10.0.1.1
ip netns exec zzbr sysctl -qw net.ipv4.ip_forward=1
R="ip netns exec zzbr iptables"
$R -t nat -A POSTROUTING -o rb -j MASQUERADE
$R -A FORWARD -m conntrack --ctstate INVALID -j DROP
$R -A FORWARD -m conntrack --ctstate ESTABLISHED -j ACCEPT
$R -A FORWARD -m conntrack --ctstate NEW -j ACCEPT
sleep 1
ip netns exec zzbb nc -l 10.0.2.10 9000 > got.txt &
sleep 0.3
seq 1 50000 | ip netns exec zzba nc -N 10.0.2.10 9000; echo rc=$?
wait
wc -c < got.txt
$R -L FORWARD -v -n | grep -c '^ *0 *0 DROP'
ip netns exec zzbr conntrack -L -p tcp 2>&1 | grep -c 'TIME_WAIT .*\[ASSURED\]'
for ns in zzba zzbr zzbb; do ip netns del $ns; done
