# Two bridges in a row: h1 - br0 (s1) - br1 (s2) - h2, the link between them
# x1@if3 in s1 and x2@if3 in s2. NOT in the suite. What Linux did (all 3
# runs): br0's second IGMP report left through x1 and reached x2, but br1
# did not take it in, and br1's own second report never left through x2 -
# x2 only began forwarding in br1 later than the simulator has it (the
# simulator enables x2 the moment its carrier is on). The likely cause is
# linkwatch: x2's ifindex equals its peer's, so linkwatch_urgent_event() can
# say no and NETDEV_CHANGE waits for the once-a-second run. A quick probe
# (x1 enslaved after its peer was up, one bridge) showed no delay, so the
# exact condition is still open. bridge-chain.sh is the same topology with
# different ifindexes, and is exact.
ip netns add s1
ip netns add s2
ip netns add h1
ip netns add h2
for ns in s1 s2 h1 h2; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n s1 link add br0 address 02:00:00:00:00:91 type bridge
ip -n s2 link add br1 address 02:00:00:00:00:92 type bridge
ip -n s1 link set br0 up
ip -n s2 link set br1 up
ip link add x1 netns s1 address 02:00:00:00:03:01 type veth peer name x2 netns s2 address 02:00:00:00:03:02
ip -n s1 link set x1 master br0
ip -n s2 link set x2 master br1
ip -n s1 link set x1 up
ip -n s2 link set x2 up
ip link add v1 netns h1 address 02:00:00:00:00:01 type veth peer name p1 netns s1 address 02:00:00:00:01:01
ip link add v2 netns h2 address 02:00:00:00:00:02 type veth peer name p2 netns s2 address 02:00:00:00:01:02
ip -n s1 link set p1 master br0
ip -n s2 link set p2 master br1
ip -n s1 link set p1 up
ip -n s2 link set p2 up
ip -n h1 addr add 10.0.0.1/24 dev v1
ip -n h2 addr add 10.0.0.2/24 dev v2
ip -n h1 link set v1 up
ip -n h2 link set v2 up
sleep 3
# @traffic
ip netns exec h1 ping -c 2 -i 0.2 10.0.0.2
ip netns exec s1 bridge fdb show br br0 | grep -v self
ip netns exec s2 bridge fdb show br br1 | grep -v self
