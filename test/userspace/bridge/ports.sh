ip netns add s; ip netns add h1; ip netns add h2
for ns in s h1 h2; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n s link add br0 address 02:00:00:00:00:99 type bridge ageing_time 1000 stp_state 0 forward_delay 200
ip -n s link set br0 up
for i in 1 2; do
  ip link add v$i netns h$i address 02:00:00:00:00:0$i type veth peer name p$i netns s address 02:00:00:00:01:0$i
  ip -n s link set p$i master br0
  ip -n s link set p$i up
  ip -n h$i addr add 10.0.0.$i/24 dev v$i
  ip -n h$i link set v$i up
done
sleep 1
ip netns exec h1 ping -c 1 10.0.0.2 >/dev/null
echo == fdb; ip netns exec s bridge fdb show
echo == fdb br; ip netns exec s bridge fdb show br br0
echo == fdb dev; ip netns exec s bridge fdb show dev p1
echo == link; ip netns exec s bridge link show
echo == link2; ip netns exec s bridge link
echo == master; ip -n s link show master br0
echo == type; ip -n s link show type bridge_slave
echo == nomaster; ip -n s link set p2 nomaster; echo $?; ip -n s link show p2
echo == fdb2; ip netns exec s bridge fdb show
echo == bad; ip -n s link set lo master br0; echo $?; ip -n s link set br0 master br0; echo $?
ip -n s link add br1 type bridge; ip -n s link set br1 master br0; echo $?
ip -n s link set p1 master br1; echo $?
ip -n s link show
ip -n s link del br0; echo $?
ip -n s link show
for ns in s h1 h2; do ip netns del $ns; done
