# NAT of locally generated traffic: DNAT in nat OUTPUT and SNAT in POSTROUTING.
ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set va up
ip -n b link set vb up
ip -n a addr add 10.0.0.5/24 dev va
ip netns exec a iptables -t nat -A OUTPUT -p tcp -d 10.0.0.99 --dport 80 -j DNAT --to-destination 10.0.0.2:8000
ip netns exec a iptables -t nat -A POSTROUTING -o va -p udp -j SNAT --to-source 10.0.0.5
ip netns exec b nc -l 10.0.0.2 8000 > got.txt &
ip netns exec b nc -u -l 10.0.0.2 7000 > gotu.txt &
sleep 0.3
# @traffic
echo "dnat output" | ip netns exec a nc -N 10.0.0.99 80; echo "rc=$?"
echo "snat udp" | ip netns exec a nc -u -w 1 -p 5555 10.0.0.2 7000; echo "rc=$?"
wait
cat got.txt gotu.txt
ip netns exec a iptables -t nat -L -v -n -x
