ip netns add zs
ip netns add zh
ip netns exec zs sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec zh sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n zs link add br0 address 02:00:00:00:00:99 type bridge
ip -n zs link set br0 up
ip link add v1 netns zh address 02:00:00:00:00:01 type veth peer name p1 netns zs address 02:00:00:00:01:01
ip -n zs link set p1 master br0
ip -n zs link set p1 up
ip -n zh link set v1 up
sleep 2
ip -n zs link set br0 down
ip -n zs link show br0
ip netns exec zs bridge link
ip -n zs link set br0 up
sleep 2
ip -n zs -s link show br0
ip -n zh -s link show v1
ip -n zs link set p1 netns zh
ip netns exec zs bridge link
ip -n zs link show br0
ip netns del zs
ip -n zh link show
ip netns del zh
