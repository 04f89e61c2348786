ip netns add zs
ip netns exec zs sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n zs link add br0 address 02:00:00:00:00:99 type bridge
ip -n zs link add p1 address 02:00:00:00:01:01 type veth peer name q1 address 02:00:00:00:02:01
ip -n zs link set p1 master br0
ip -n zs link set br0 up
ip -n zs link set p1 up
ip -n zs link set q1 up
ip netns exec zs bridge link set dev p1 hairpin on learning off flood off cost 7 priority 5; echo rc $?
ip netns exec zs bridge link show
ip netns exec zs bridge -d link show
ip netns exec zs bridge link set dev p1 state 1; echo rc $?
ip netns exec zs bridge link
ip netns exec zs bridge link set dev p1 state 3; echo rc $?
ip netns exec zs bridge link
ip netns exec zs bridge link set dev p1 state 9; echo rc $?
ip netns exec zs bridge link set dev q1 hairpin on; echo rc $?
ip netns exec zs bridge link set dev p1 hairpin maybe; echo rc $?
ip netns exec zs bridge link set dev p1 bogus; echo rc $?
ip netns exec zs bridge link set dev nosuch hairpin on; echo rc $?
ip netns exec zs bridge link set hairpin on; echo rc $?
ip -n zs -d link show p1 | tail -1 | cut -c1-200
ip netns exec zs bridge link set dev p1 state disabled; echo rc $?
ip netns exec zs bridge link
ip netns del zs
