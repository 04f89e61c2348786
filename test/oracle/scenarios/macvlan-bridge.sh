# macvlan in bridge mode: the lower device mvl0 is one end of a veth in the
# "host" namespace mvh (its other end mvx0 in mvx, an outside host); two
# macvlans on mvl0 are moved into mva and mvb. Macvlans reach each other directly (macvlan_queue_xmit's bridge
# mode) and the outside through mvl0; the host's own address on mvl0 cannot
# reach them (its frames leave by mvl0, the rx_handler only sees what
# mvl0 receives), nor they it. A second macvlan with mv0's address is
# refused when it comes up (macvlan_open: EADDRINUSE).
for ns in mvh mva mvb mvx; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n mvh link add mvl0 address 02:00:00:00:22:01 type veth peer name mvx0 netns mvx address 02:00:00:00:22:64
ip -n mvh link add mv0 link mvl0 address 02:00:00:00:22:0a type macvlan mode bridge
ip -n mvh link add mv1 link mvl0 address 02:00:00:00:22:0b type macvlan mode bridge
ip -n mvh link add mv3 link mvl0 type macvlan mode sideways; echo "rc=$?"
ip -n mvh link add mv3 link mvl0 type macvlan nopromisc; echo "rc=$?"
ip -n mvh link add mv3 link mvl0 type macvlan bcqueuelen -1; echo "rc=$?"
ip -n mvh link add mv3 link nosuch type macvlan; echo "rc=$?"
ip -n mvh link add mv3 type macvlan; echo "rc=$?"
ip -n mvh link add mv3 link lo type macvlan; echo "rc=$?"
ip -n mvh link add mv3 link mvl0 type macvlan mode passthru; echo "rc=$?"
ip -n mvh link add mv3 link mvl0 type macvlan mode bridge macaddr add 02:00:00:00:22:99; echo "rc=$?"
ip -n mvh link show
ip -n mvh link set mv0 netns mva
ip -n mvh link set mv1 netns mvb
ip -n mvh addr add 10.22.1.1/24 dev mvl0
ip -n mva addr add 10.22.1.10/24 dev mv0
ip -n mvb addr add 10.22.1.11/24 dev mv1
ip -n mvx addr add 10.22.1.100/24 dev mvx0
ip -n mvh link set mvl0 up
ip -n mva link set mv0 up
ip -n mvb link set mv1 up
ip -n mvx link set mvx0 up
ip -n mva -d link show mv0
ip -n mvh -d link show
ip -n mvh link add mv3 link mvl0 address 02:00:00:00:22:0a type macvlan; echo "rc=$?"
ip -n mvh link set mv3 up; echo "rc=$?"
ip -n mvh link del mv3
sleep 2
# @traffic
ip netns exec mva ping -c 2 -i 0.2 10.22.1.11; echo "rc=$?"
ip netns exec mvb ping -c 1 10.22.1.100; echo "rc=$?"
ip netns exec mvx ping -c 1 10.22.1.10; echo "rc=$?"
sleep 6
ip netns exec mvh ping -c 1 -W 1 10.22.1.10; echo "rc=$?"; sleep 3
ip netns exec mva ping -c 1 -W 1 10.22.1.1; echo "rc=$?"; sleep 3
ip -n mva neigh show | sort
ip -n mvh neigh show | sort
ip -n mvh -d link show mvl0
