# Router r answers TTL-1 pings from a with ICMP time exceeded, under its two
# limits. First icmp_msgs_per_sec=0: the global limit lets no error out
# (IcmpOutRateLimitGlobal). Then the default 1000/s: the per-destination limit
# (icmp_ratelimit 1000 ms, burst of 6) lets the first 6 of 12 out
# (IcmpOutRateLimitHost for the other 6).
ip netns add a
ip netns add r
ip netns add b
for ns in a r b; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r address 02:00:00:00:01:01
ip link add vb netns b address 02:00:00:00:02:0b type veth peer name rb netns r address 02:00:00:00:02:01
ip -n a addr add 10.0.1.10/24 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n b addr add 10.0.2.10/24 dev vb
ip -n a link set va up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set vb up
ip -n a route add default via 10.0.1.1
ip -n b route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec r sysctl net.ipv4.icmp_ratelimit net.ipv4.icmp_ratemask net.ipv4.icmp_msgs_burst
ip netns exec r sysctl -w net.ipv4.icmp_msgs_per_sec=0
# @traffic
ip netns exec a ping -c 3 -i 0.05 -W 1 -t 1 10.0.2.10; echo "rc=$?"
ip netns exec r sysctl -w net.ipv4.icmp_msgs_per_sec=1000
ip netns exec a ping -c 12 -i 0.05 -W 1 -t 1 10.0.2.10; echo "rc=$?"
