# ping -6 inside one namespace: ::1 (with and without -6, and as ping6), the
# namespace's own global address (through lo), a destination with no route
# (connect: Network is unreachable), and local reject routes (prohibit,
# unreachable, blackhole) as the sender sees them, with the counters.
ip netns add i6lo
ip netns exec i6lo sysctl -qw net.ipv6.auto_flowlabels=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.accept_ra=0
ip -n i6lo addr add 2001:db8:17::1/64 dev lo
ip -n i6lo link set lo up
ip -n i6lo -6 route add prohibit 2001:db8:99::/64
ip -n i6lo -6 route add unreachable 2001:db8:98::/64
ip -n i6lo -6 route add blackhole 2001:db8:97::/64
sleep 2
# @traffic
ip netns exec i6lo ping -6 -c 2 -i 0.2 ::1; echo "rc=$?"
ip netns exec i6lo ping -c 1 ::1; echo "rc=$?"
ip netns exec i6lo ping6 -c 1 -s 2000 ::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 2001:db8:17::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 -I lo ::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 2001:db8:55::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 2001:db8:99::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 2001:db8:98::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 2001:db8:97::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 -I 2001:db8:17::9 ::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 -I nosuchdev ::1; echo "rc=$?"
ip netns exec i6lo ping -4 -6 ::1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 127.0.0.1; echo "rc=$?"
ip netns exec i6lo ping -6 -c 1 ::1%lo; echo "rc=$?"
