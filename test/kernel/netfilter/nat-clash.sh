# two clients behind a masquerading router send UDP from the same port to the same server: the first keeps its port,
# the second gets another from the same class (1024-65535, 1-511) or from --to-ports
for ns in zzc1 zzc2 zzcr2 zzcb; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add v1 netns zzc1 address 02:00:00:00:01:0a type veth peer name r1 netns zzcr2 address 02:00:00:00:01:01
ip link add v2 netns zzc2 address 02:00:00:00:03:0a type veth peer name r2 netns zzcr2 address 02:00:00:00:03:01
ip link add vb netns zzcb address 02:00:00:00:02:0b type veth peer name rb netns zzcr2 address 02:00:00:00:02:01
ip -n zzc1 addr add 10.0.1.10/24 dev v1
ip -n zzc2 addr add 10.0.3.10/24 dev v2
ip -n zzcr2 addr add 10.0.1.1/24 dev r1
ip -n zzcr2 addr add 10.0.3.1/24 dev r2
ip -n zzcr2 addr add 10.0.2.1/24 dev rb
ip -n zzcb addr add 10.0.2.10/24 dev vb
for l in "zzc1 v1" "zzc2 v2" "zzcr2 r1" "zzcr2 r2" "zzcr2 rb" "zzcb vb"; do set -- $l; ip -n $1 link set $2 up; done
ip -n zzc1 route add default via 10.0.1.1
ip -n zzc2 route add default via 10.0.3.1
ip netns exec zzcr2 sysctl -qw net.ipv4.ip_forward=1
ip netns exec zzcr2 iptables -t nat -A POSTROUTING -o rb -p udp --dport 7000 -j MASQUERADE --to-ports 3000-3001
ip netns exec zzcr2 iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
sleep 2
echo one | ip netns exec zzc1 nc -u -q 0 -p 5000 10.0.2.10 6000
echo two | ip netns exec zzc2 nc -u -q 0 -p 5000 10.0.2.10 6000
echo three | ip netns exec zzc1 nc -u -q 0 -p 400 10.0.2.10 6000
echo four | ip netns exec zzc2 nc -u -q 0 -p 400 10.0.2.10 6000
echo five | ip netns exec zzc1 nc -u -q 0 -p 5001 10.0.2.10 7000
echo six | ip netns exec zzc2 nc -u -q 0 -p 5001 10.0.2.10 7000
sleep 0.2
C="ip netns exec zzcr2 conntrack -L -p udp"
$C -s 10.0.1.10 --sport 5000 2>/dev/null | grep -c 'dst=10.0.2.1 sport=6000 dport=5000 '
$C -s 10.0.3.10 --sport 5000 2>/dev/null | grep -c 'dst=10.0.2.1 sport=6000 dport=5000 '
$C -s 10.0.3.10 --sport 5000 2>/dev/null | grep -cE 'dst=10.0.2.1 sport=6000 dport=([2-9][0-9]{3}|1[0-9]{3}|[1-6][0-9]{4}) '
$C -s 10.0.1.10 --sport 400 2>/dev/null | grep -c 'dport=400 mark'
$C -s 10.0.3.10 --sport 400 2>/dev/null | grep -cE 'dport=([1-9]|[1-9][0-9]|[1-4][0-9][0-9]|50[0-9]|51[01]) mark'
$C --dport 7000 2>/dev/null | grep -cE 'sport=7000 dport=300[01] '
$C --dport 7000 2>/dev/null | grep -c 'sport=7000 dport=3000 '
ip netns exec zzcr2 iptables -t nat -L POSTROUTING -n -v -x
for ns in zzc1 zzc2 zzcr2 zzcb; do ip netns del $ns; done
