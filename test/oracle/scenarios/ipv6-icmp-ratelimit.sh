# icmpv6_send's rate limits on a router answering echo requests to an
# unreachable route: the per-destination inet_peer bucket
# (net.ipv6.icmp.ratelimit 1000 ms: a burst of six, then one a second),
# ratelimit 0 (no limit), a ratemask that leaves destination unreachable out,
# and the Icmp6OutRateLimitHost counter. The intervals keep every bucket check
# far from its threshold (real ping -i 0.1 sends every ~106 ms).
ip netns add i6qa
ip netns add i6qr
ip netns add i6qb
for n in i6qa i6qr i6qb; do ip netns exec $n sysctl -qw net.ipv6.auto_flowlabels=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.accept_ra=0 net.ipv6.conf.all.accept_dad=0; done
ip netns exec i6qr sysctl -qw net.ipv6.conf.all.forwarding=1
ip link add i6qa0 netns i6qa address 02:00:00:00:1f:a0 type veth peer name i6qr0 netns i6qr address 02:00:00:00:1f:10
ip link add i6qr1 netns i6qr address 02:00:00:00:1f:11 type veth peer name i6qb0 netns i6qb address 02:00:00:00:1f:b0
# delay_first_probe_time=60: no neighbour probe during traffic (its solicited NA carries no
# link-layer address, and Linux's neigh_update trace then prints stale ring-buffer bytes)
ip netns exec i6qa sysctl -qw net.ipv6.neigh.i6qa0.delay_first_probe_time=60
ip netns exec i6qr sysctl -qw net.ipv6.neigh.i6qr0.delay_first_probe_time=60
ip -n i6qa addr add 2001:db8:1::2/64 dev i6qa0
ip -n i6qr addr add 2001:db8:1::1/64 dev i6qr0
ip -n i6qr addr add 2001:db8:2::1/64 dev i6qr1
ip -n i6qb addr add 2001:db8:2::2/64 dev i6qb0
for n in i6qa i6qr i6qb; do ip -n $n link set lo up; done
ip -n i6qa link set i6qa0 up
ip -n i6qr link set i6qr0 up
ip -n i6qr link set i6qr1 up
ip -n i6qb link set i6qb0 up
ip -n i6qa -6 route add default via 2001:db8:1::1 dev i6qa0
ip -n i6qb -6 route add default via 2001:db8:2::1 dev i6qb0
ip -n i6qr -6 route add unreachable 2001:db8:98::/64
sleep 2
# @traffic
ip netns exec i6qr sysctl -qw net.ipv6.icmp.ratelimit=1000
ip netns exec i6qa ping -6 -c 9 -i 0.1 2001:db8:98::1; echo "rc=$?"
ip netns exec i6qr sysctl -qw net.ipv6.icmp.ratelimit=0
ip netns exec i6qa ping -6 -c 5 -i 0.05 2001:db8:98::2; echo "rc=$?"
ip netns exec i6qr sysctl -qw net.ipv6.icmp.ratelimit=1000 net.ipv6.icmp.ratemask=0,3-127
ip netns exec i6qa ping -6 -c 5 -i 0.05 2001:db8:98::3; echo "rc=$?"
ip netns exec i6qr sysctl -qw net.ipv6.icmp.ratemask=0-1,3-127
ip netns exec i6qr sysctl net.ipv6.icmp.ratelimit net.ipv6.icmp.ratemask
