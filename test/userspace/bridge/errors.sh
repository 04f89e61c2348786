ip netns add zs
ip netns exec zs sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n zs link add p1 address 02:00:00:00:01:01 type veth peer name q1 address 02:00:00:00:02:01
ip -n zs link set p1 master q1; echo rc $?
ip -n zs link set p1 master nosuch; echo rc $?
ip -n zs link add type bridge; echo rc $?
ip -n zs link add address 02:00:00:00:00:97 type bridge; echo rc $?
ip -n zs link show type bridge | grep -v link/ether
ip -n zs link add br0 address 02:00:00:00:00:99 type bridge
ip -n zs link add br0 type bridge; echo rc $?
ip -n zs link add br1 type bridge ageing_time; echo rc $?
ip -n zs link add br1 type bridge bogus 1; echo rc $?
ip -n zs link add br1 address 01:00:00:00:00:01 type bridge; echo rc $?
ip -n zs link set p1 master br0
ip -n zs link set p1 master br0; echo rc $?
ip -n zs link set q1 master br0
ip -n zs link show master br0
ip -n zs link show master p1; echo rc $?
ip -n zs link set br0 type bridge ageing_time 500 forward_delay 300
ip -n zs -d link show br0 | grep -o "forward_delay [0-9]* hello_time [0-9]* max_age [0-9]* ageing_time [0-9]*"
ip -n zs link set p1 nomaster
ip -n zs link set p1 nomaster; echo rc $?
ip -n zs link show p1
ip -n zs link del br0
ip -n zs link show q1
ip netns del zs
