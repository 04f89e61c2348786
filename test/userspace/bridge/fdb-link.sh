ip netns add s
ip netns exec s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n s link add br0 address 02:00:00:00:00:99 type bridge
ip -n s link add p1 address 02:00:00:00:01:01 type veth peer name q1 address 02:00:00:00:02:01
ip -n s link set p1 master br0
echo == fdb-down; ip netns exec s bridge fdb show | cat -A
echo == link-down; ip netns exec s bridge link | cat -A
ip -n s link set br0 up; ip -n s link set p1 up
echo == link-nocarrier; ip netns exec s bridge link | cat -A
ip -n s link set q1 up
echo == link-up; ip netns exec s bridge link show dev p1 | cat -A
echo == fdb-up; ip netns exec s bridge fdb show | cat -A
ip netns exec s bridge fdb add 02:00:00:00:00:05 dev p1 master static; echo rc $?
ip netns exec s bridge fdb add 02:00:00:00:00:06 dev p1 master; echo rc $?
ip netns exec s bridge fdb show br br0 dev p1 | cat -A
ip netns exec s bridge fdb del 02:00:00:00:00:05 dev p1 master; echo rc $?
ip netns exec s bridge fdb del 02:00:00:00:00:05 dev p1 master; echo rc $?
ip netns exec s bridge fdb show dev nosuch; echo rc $?
ip netns exec s bridge link show dev nosuch; echo rc $?
ip netns exec s bridge fdb show br p1; echo rc $?
ip netns exec s bridge foo; echo rc $?
ip netns exec s bridge fdb foo; echo rc $?
ip netns exec s bridge link show dev q1; echo rc $?
ip netns exec s bridge; echo rc $?
ip -n s link set p1 down
ip netns exec s bridge link | cat -A
ip -n s link set p1 up
ip netns del s
