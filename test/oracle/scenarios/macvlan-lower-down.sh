# A macvlan's carrier and MTU follow its lower device (macvlan_device_event:
# netif_stacked_transfer_operstate, NETDEV_CHANGEMTU). mv0 (moved to mva)
# and mv2 (left beside the lower device mvl0 in mvh) lose carrier when mvl0
# goes down: NO-CARRIER, and LOWERLAYERDOWN where the lower device is in the
# same namespace. Deleting a lower device deletes its macvlans, wherever they are.
for ns in mvh mva mvx; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n mvh link add mvl0 address 02:00:00:00:24:01 type veth peer name mvx0 netns mvx address 02:00:00:00:24:64
ip -n mvh link add mv0 link mvl0 address 02:00:00:00:24:0a type macvlan mode bridge
ip -n mvh link add mv2 link mvl0 address 02:00:00:00:24:0c type macvlan mode private
ip -n mvh link set mv0 netns mva
ip -n mva addr add 10.22.3.10/24 dev mv0
ip -n mvh addr add 10.22.3.2/24 dev mv2
ip -n mvx addr add 10.22.3.100/24 dev mvx0
ip -n mvh link set mvl0 up
ip -n mvh link set mv2 up
ip -n mva link set mv0 up
ip -n mvx link set mvx0 up
ip -n mvh link show
ip -n mva link show
ip -n mvh link add mvt0 type veth peer name mvt1
ip -n mvh link add mv5 link mvt0 type macvlan
ip -n mvh link add mv6 link mvt0 type macvlan
ip -n mvh link set mv6 netns mva
ip -n mvh link del mvt0
ip -n mvh -br link show
ip -n mva -br link show
sleep 2
# @traffic
ip netns exec mvx ping -c 1 10.22.3.2; echo "rc=$?"
ip netns exec mva ping -c 1 10.22.3.100; echo "rc=$?"
ip -n mvh link set mvl0 down
sleep 1
ip -n mvh link show
ip -n mva link show
ip -n mvh route show
ip netns exec mva ping -c 1 -W 1 10.22.3.100; echo "rc=$?"; sleep 3
ip -n mvh link set mvl0 up
sleep 1
ip -n mvh link show
ip -n mva link show
ip netns exec mva ping -c 1 10.22.3.100; echo "rc=$?"
ip -n mvh link set mvl0 mtu 1400
ip -n mva link set mv0 mtu 1500; echo "rc=$?"
ip -n mvh link set mv2 mtu 1300
ip -n mvh link show
ip -n mva link show
