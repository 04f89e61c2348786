# a masqueraded connection is forgotten when its device goes down (masq_device_event)
for ns in zzda zzdr zzdb; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns zzda address 02:00:00:00:01:0a type veth peer name ra netns zzdr address 02:00:00:00:01:01
ip link add vb netns zzdb address 02:00:00:00:02:0b type veth peer name rb netns zzdr address 02:00:00:00:02:01
ip -n zzda addr add 10.0.1.10/24 dev va
ip -n zzdr addr add 10.0.1.1/24 dev ra
ip -n zzdr addr add 10.0.2.1/24 dev rb
ip -n zzdb addr add 10.0.2.10/24 dev vb
for l in "zzda va" "zzdr ra" "zzdr rb" "zzdb vb"; do set -- $l; ip -n $1 link set $2 up; done
ip -n zzda route add default via 10.0.1.1
ip netns exec zzdr sysctl -qw net.ipv4.ip_forward=1
ip netns exec zzdr iptables -t nat -A POSTROUTING -o rb -j MASQUERADE
ip netns exec zzdr iptables -t nat -A POSTROUTING -o ra -j ACCEPT
sleep 1
ip netns exec zzda ping -c 1 10.0.2.10 > /dev/null; echo rc=$?
ip netns exec zzda ping -c 1 10.0.1.1 > /dev/null; echo rc=$?
ip netns exec zzdr conntrack -C
ip -n zzdr link set rb down
ip netns exec zzdr conntrack -C
sleep 0.1
ip netns exec zzdr conntrack -C
ip netns exec zzdr conntrack -L 2>/dev/null | grep -c 'dst=10.0.1.1 '
for ns in zzda zzdr zzdb; do ip netns del $ns; done
