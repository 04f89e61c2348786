# ping -6 -M do across a router whose far link has MTU 1280: the router
# answers packet too big, the sender's route learns the path MTU (an
# exception, `ip -6 route get` shows it), the next probe fails locally
# (message too long), a smaller one passes, and without -M do the sender
# fragments.
ip netns add i6ma
ip netns add i6mr
ip netns add i6mb
for n in i6ma i6mr i6mb; do ip netns exec $n sysctl -qw net.ipv6.auto_flowlabels=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_dad=0; done
ip netns exec i6mr sysctl -qw net.ipv6.conf.all.forwarding=1
ip link add i6ma0 netns i6ma address 02:00:00:00:1c:a0 type veth peer name i6mr0 netns i6mr address 02:00:00:00:1c:10
ip link add i6mr1 netns i6mr address 02:00:00:00:1c:11 type veth peer name i6mb0 netns i6mb address 02:00:00:00:1c:b0
ip -n i6ma addr add 2001:db8:1::2/64 dev i6ma0
ip -n i6mr addr add 2001:db8:1::1/64 dev i6mr0
ip -n i6mr addr add 2001:db8:2::1/64 dev i6mr1
ip -n i6mb addr add 2001:db8:2::2/64 dev i6mb0
for n in i6ma i6mr i6mb; do ip -n $n link set lo up; done
ip -n i6ma link set i6ma0 up
ip -n i6mr link set i6mr0 up
ip -n i6mr link set i6mr1 up
ip -n i6mb link set i6mb0 up
ip -n i6ma -6 route add default via 2001:db8:1::1 dev i6ma0
ip -n i6mb -6 route add default via 2001:db8:2::1 dev i6mb0
ip -n i6mr link set i6mr1 mtu 1280
ip -n i6mb link set i6mb0 mtu 1280
sleep 2
# @traffic
ip netns exec i6ma ping -6 -c 1 -M do -s 1400 2001:db8:2::2; echo "rc=$?"
ip netns exec i6ma ping -6 -c 1 -M do -s 1400 2001:db8:2::2; echo "rc=$?"
# half a second: the cached PMTU's expiry prints away from a second boundary (Linux's processes take
# some milliseconds between the error and `ip route get`, virtual time none)
sleep 0.5
ip -n i6ma -6 route get 2001:db8:2::2
ip netns exec i6ma ping -6 -c 1 -M do -s 1232 2001:db8:2::2; echo "rc=$?"
ip netns exec i6ma ping -6 -c 1 -M do -s 1233 2001:db8:2::2; echo "rc=$?"
ip netns exec i6ma ping -6 -c 1 -s 1400 2001:db8:2::2; echo "rc=$?"
