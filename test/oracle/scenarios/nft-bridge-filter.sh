# A bridge-family forward chain on br0 drops ICMP from h1's MAC; h2 reaches h3, counters in nft list ruleset.
# This kernel has no nft_meta_bridge: `ibrname` is refused with EOPNOTSUPP, the caret on the meta key.
ip netns add nbrs
ip netns add nbr1
ip netns add nbr2
ip netns add nbr3
for ns in nbrs nbr1 nbr2 nbr3; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n nbrs link add br0 address 02:00:00:00:00:99 type bridge
ip -n nbrs link set br0 up
for i in 1 2 3; do
  ip link add v$i netns nbr$i address 02:00:00:00:00:0$i type veth peer name p$i netns nbrs address 02:00:00:00:01:0$i
  ip -n nbrs link set p$i master br0
  ip -n nbrs link set p$i up
  ip -n nbr$i addr add 10.0.0.$i/24 dev v$i
  ip -n nbr$i link set v$i up
done
ip netns exec nbrs nft add table bridge filt
ip netns exec nbrs nft add chain bridge filt forward '{ type filter hook forward priority 0; policy accept; }'
ip netns exec nbrs nft add rule bridge filt forward ether type arp counter
ip netns exec nbrs nft add rule bridge filt forward ether saddr 02:00:00:00:00:01 ip protocol icmp counter drop
ip netns exec nbrs nft add rule bridge filt forward iifname p2 ip saddr 10.0.0.2 counter
ip netns exec nbrs nft add rule bridge filt forward ibrname br0 iifname p2 counter; echo "rc=$?"
ip netns exec nbrs nft list ruleset
# the bridge's own IGMP reports go out in its first seconds; let them pass
sleep 3
# @traffic
ip netns exec nbr1 ping -c 2 -i 0.2 -W 1 10.0.0.2; echo "rc=$?"
ip netns exec nbr2 ping -c 1 10.0.0.3; echo "rc=$?"
ip netns exec nbrs nft list ruleset
