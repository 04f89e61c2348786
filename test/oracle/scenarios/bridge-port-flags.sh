# Port flags: p2 does not learn (the bridge never finds h2 and floods what is
# sent to it), p3 takes no unknown unicast (flood off) but still broadcasts,
# and hairpin on p1 sends h1's frames back out of p1 when the destination is
# behind p1 itself.
ip netns add s
ip netns add h1
ip netns add h2
ip netns add h3
for ns in s h1 h2 h3; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n s link add br0 address 02:00:00:00:00:99 type bridge
ip -n s link set br0 up
for i in 1 2 3; do
  ip link add v$i netns h$i address 02:00:00:00:00:0$i type veth peer name p$i netns s address 02:00:00:00:01:0$i
  ip -n s link set p$i master br0
  ip -n s link set p$i up
  ip -n h$i addr add 10.0.0.$i/24 dev v$i
  ip -n h$i link set v$i up
done
ip netns exec s bridge link set dev p2 learning off
ip netns exec s bridge link set dev p3 flood off
ip netns exec s bridge link set dev p1 hairpin on
ip -n h1 neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v1 nud permanent
sleep 3
# @traffic
ip netns exec h1 ping -c 2 -i 0.2 10.0.0.2
ip netns exec h1 ping -c 1 -W 1 10.0.0.9
ip netns exec s bridge fdb show br br0 | grep -v self
ip netns exec s bridge -d link
