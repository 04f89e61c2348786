ip netns add zs
ip -n zs link add br0 address 02:00:00:00:00:99 type bridge
ip -n zs link add p1 address 02:00:00:00:01:01 type veth peer name q1 address 02:00:00:00:02:01
ip -n zs link add p2 address 02:00:00:00:01:02 type veth peer name q2 address 02:00:00:00:02:02
ip -n zs link set p1 mtu 1400
ip -n zs link show br0 | head -1
ip -n zs link set p1 master br0
ip -n zs link show br0 | head -1
ip -n zs link set p2 master br0
ip -n zs link show br0 | head -1
ip -n zs link set p1 mtu 9000
ip -n zs link show br0 | head -1
ip -n zs link set p2 mtu 1300
ip -n zs link show br0 | head -1
ip -n zs link set br0 mtu 1200
ip -n zs link show br0 | head -1
ip -n zs link set p2 mtu 1500
ip -n zs link show br0 | head -1
ip -n zs link set br0 mtu 9500; echo rc $?
ip -n zs link set p1 nomaster
ip -n zs link show br0 | head -1
ip netns del zs
