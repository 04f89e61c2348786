# ICMPv6 errors a router sends and the sender's tools report: a prohibit
# route (administratively prohibited), an unreachable route (no route), a
# blackhole (silence), a gateway that does not answer neighbour solicitation
# (address unreachable), hop limit 1 (time exceeded), and traceroute -6
# through the router to a closed UDP port (port unreachable), with -I and
# the !A / !N annotations. The router forwards (v6route's side); the errors
# and the tools are icmp6's.
ip netns add i6ea
ip netns add i6er
ip netns add i6eb
for n in i6ea i6er i6eb; do ip netns exec $n sysctl -qw net.ipv6.auto_flowlabels=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_dad=0; done
ip netns exec i6er sysctl -qw net.ipv6.conf.all.forwarding=1
ip link add i6ea0 netns i6ea address 02:00:00:00:1e:a0 type veth peer name i6er0 netns i6er address 02:00:00:00:1e:10
ip link add i6er1 netns i6er address 02:00:00:00:1e:11 type veth peer name i6eb0 netns i6eb address 02:00:00:00:1e:b0
ip -n i6ea addr add 2001:db8:1::2/64 dev i6ea0
ip -n i6er addr add 2001:db8:1::1/64 dev i6er0
ip -n i6er addr add 2001:db8:2::1/64 dev i6er1
ip -n i6eb addr add 2001:db8:2::2/64 dev i6eb0
for n in i6ea i6er i6eb; do ip -n $n link set lo up; done
ip -n i6ea link set i6ea0 up
ip -n i6er link set i6er0 up
ip -n i6er link set i6er1 up
ip -n i6eb link set i6eb0 up
ip -n i6ea -6 route add default via 2001:db8:1::1 dev i6ea0
ip -n i6eb -6 route add default via 2001:db8:2::1 dev i6eb0
ip -n i6er -6 route add prohibit 2001:db8:99::/64
ip -n i6er -6 route add unreachable 2001:db8:98::/64
ip -n i6er -6 route add blackhole 2001:db8:97::/64
ip -n i6er -6 route add 2001:db8:96::/64 via 2001:db8:2::9 dev i6er1
sleep 2
# @traffic
ip netns exec i6ea ping -6 -c 1 2001:db8:2::2; echo "rc=$?"
ip netns exec i6ea ping -6 -c 1 2001:db8:99::1; echo "rc=$?"
ip netns exec i6ea ping -6 -c 1 2001:db8:98::1; echo "rc=$?"
ip netns exec i6ea ping -6 -c 1 -W 1 2001:db8:97::1; echo "rc=$?"
ip netns exec i6ea ping -6 -c 1 -t 1 2001:db8:2::2; echo "rc=$?"
ip netns exec i6ea ping -6 -c 1 -W 5 2001:db8:96::1; echo "rc=$?"
ip netns exec i6ea traceroute -6 -n -q 1 2001:db8:2::2; echo "rc=$?"
ip netns exec i6ea traceroute -6 -n -q 1 -I 2001:db8:2::2; echo "rc=$?"
ip netns exec i6ea traceroute -6 -n -q 1 -m 3 2001:db8:99::1; echo "rc=$?"
ip netns exec i6ea traceroute -6 -n -q 1 -m 3 2001:db8:98::1; echo "rc=$?"
ip netns exec i6ea traceroute -n -q 1 2001:db8:2::2; echo "rc=$?"
