# Router r holds a blackhole, an unreachable and a prohibit route. Pings from r
# itself fail in sendmsg/connect; pings from a that r would forward into them
# are dropped silently (blackhole) or answered with ICMP host unreachable
# (unreachable) or communication administratively prohibited (prohibit).
ip netns add a
ip netns add r
for ns in a r; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r address 02:00:00:00:01:01
ip -n a addr add 10.0.1.10/24 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n a link set va up
ip -n r link set ra up
ip -n a route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n r route add blackhole 192.0.2.0/24
ip -n r route add unreachable 198.51.100.0/24
ip -n r route add prohibit 203.0.113.0/24
# @traffic
ip -n r route show
for d in 192.0.2.1 198.51.100.1 203.0.113.1; do
  ip -n r route get $d; echo "get rc=$?"
  ip -n r route get $d from 10.0.1.10 iif ra; echo "get iif rc=$?"
  ip netns exec r ping -c 1 -W 1 $d; echo "local rc=$?"
  ip netns exec a ping -c 1 -W 1 $d; echo "forwarded rc=$?"
done
