# Router r forwards between a (two addresses) and b under IPv6 rules: a's
# second address is steered by source to table 100 (a route to b's subnet by
# rb), rules with unreachable, prohibit and blackhole actions answer a's
# pings with ICMPv6 no route / administratively prohibited (or nothing), and
# an unreachable route in a rule's table answers with address unreachable.
ip netns add a
ip netns add r
ip netns add b
for ns in a r b; do ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 net.ipv6.auto_flowlabels=0; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:71:0a type veth peer name ra netns r address 02:00:00:00:71:01
ip link add vb netns b address 02:00:00:00:72:0b type veth peer name rb netns r address 02:00:00:00:72:01
ip -n a addr add 2001:db8:1::10/64 dev va nodad
ip -n a addr add 2001:db8:1::20/64 dev va nodad
ip -n r addr add 2001:db8:1::1/64 dev ra nodad
ip -n r addr add 2001:db8:2::1/64 dev rb nodad
ip -n b addr add 2001:db8:2::10/64 dev vb nodad
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n a -6 route add default via 2001:db8:1::1
ip -n b -6 route add default via 2001:db8:2::1
ip netns exec r sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n r -6 route add 2001:db8:2::/64 dev rb table 100
ip -n r -6 route add unreachable 2001:db8:77::/64 table 100
ip -n r -6 rule add from 2001:db8:1::20 lookup 100 pref 100
ip -n r -6 rule add to 2001:db8:dead::/48 unreachable pref 200
ip -n r -6 rule add to 2001:db8:beef::/48 prohibit pref 210
ip -n r -6 rule add to 2001:db8:b1ac::/48 blackhole pref 220
ip -n r -6 rule add iif ra to 2001:db8:2::10 ipproto ipv6-icmp prohibit pref 300
sleep 3
# @traffic
ip netns exec a ping -6 -c 2 -i 0.2 -I 2001:db8:1::20 2001:db8:2::10
ip netns exec a ping -6 -c 1 -W 1 -I 2001:db8:1::10 2001:db8:2::10; echo "iif rule rc=$?"
for d in 2001:db8:dead::1 2001:db8:beef::1 2001:db8:b1ac::1; do
  ip netns exec a ping -6 -c 1 -W 1 $d; echo "$d rc=$?"
done
ip netns exec a ping -6 -c 1 -W 1 -I 2001:db8:1::20 2001:db8:77::1; echo "table unreachable rc=$?"
ip -n r -6 route get 2001:db8:2::10 from 2001:db8:1::20 iif ra
ip -n r -6 route get 2001:db8:2::10 from 2001:db8:1::10 iif ra; echo "rc=$?"
ip -n r -6 route get 2001:db8:2::10 from 2001:db8:1::10 iif ra ipproto udp
ip -n r -6 rule del pref 300
ip netns exec a ping -6 -c 1 -I 2001:db8:1::10 2001:db8:2::10
ip -n r -6 rule show
ip -n r -6 route show table 100
