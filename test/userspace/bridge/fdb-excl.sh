ip netns add zx
ip netns exec zx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n zx link add br0 address 02:00:00:00:00:99 type bridge
ip -n zx link add p1 address 02:00:00:00:01:01 type veth peer name q1 address 02:00:00:00:00:55
ip -n zx link set p1 master br0
ip -n zx link set br0 up
ip -n zx link set p1 up
ip -n zx link set q1 up
ip netns exec zx bridge fdb add 02:00:00:00:00:77 dev p1 master; echo rc $?
ip netns exec zx bridge fdb add 02:00:00:00:00:77 dev p1 master; echo rc $?
ip netns exec zx bridge fdb replace 02:00:00:00:00:77 dev p1 master; echo rc $?
ip netns exec zx ping -c1 -W0.2 -I q1 10.9.9.9 > /dev/null 2>&1
sleep 0.3
ip netns exec zx bridge fdb show br br0 | grep -e :55 -e :77
ip netns exec zx bridge fdb add 02:00:00:00:00:55 dev p1 master; echo rc $?
ip netns exec zx bridge fdb show br br0 | grep -e :55
ip netns del zx
