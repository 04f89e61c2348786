# A macvlan's broadcasts from outside wait on its port's bc_queue for the
# broadcast work; the queue holds as many as the largest bcqueuelen of the
# port's macvlans. With bcqueuelen 0 every broadcast is dropped there
# (macvlan_broadcast_enqueue, counted as rx_dropped of the lower device), so
# ARP requests from outside never reach the macvlan; raised to 4, they do.
for ns in mvh mva mvx; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n mvh link add mvl0 address 02:00:00:00:26:01 type veth peer name mvx0 netns mvx address 02:00:00:00:26:64
ip -n mvh link add mv0 link mvl0 address 02:00:00:00:26:0a type macvlan mode bridge bcqueuelen 0
ip -n mvh link set mv0 netns mva
ip -n mva addr add 10.22.6.10/24 dev mv0
ip -n mvx addr add 10.22.6.100/24 dev mvx0
ip -n mvh link set mvl0 up
ip -n mva link set mv0 up
ip -n mvx link set mvx0 up
ip -n mva -d link show mv0
sleep 2
# @traffic
ip netns exec mvx ping -c 1 -W 1 10.22.6.10; echo "rc=$?"; sleep 3
ip -n mva link set mv0 type macvlan bcqueuelen 4
ip -n mva -d link show mv0
ip netns exec mvx ping -c 1 10.22.6.10; echo "rc=$?"
ip -n mvh -s link show mvl0
