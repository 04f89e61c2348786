# Taps nobody holds: `ip tuntap add` makes them persistent, `ip link` shows NO-CARRIER and packets sent to them are
# dropped before the driver (noop qdisc, tx_dropped); ip tuntap's messages for bad requests.
ip netns add a
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n a link set lo up
ip -n a tuntap add dev tap1 mode tap
ip -n a tuntap add dev tun1 mode tun user 4242 group 4242 pi
ip -n a tuntap add mode tap one_queue vnet_hdr
ip -n a tuntap add name tapmq mode tap multi_queue
ip -n a tuntap add dev tap1 mode tap; echo "rc=$?"
ip -n a tuntap add dev tun1 mode tap; echo "rc=$?"
ip -n a tuntap add dev tapx; echo "rc=$?"
ip -n a tuntap add dev tapx mode tun mode tap; echo "rc=$?"
ip -n a tuntap add dev tapx mode foo; echo "rc=$?"
ip -n a tuntap add dev tapx mode tap user nosuchuser; echo "rc=$?"
ip -n a tuntap add dev tapx mode tap bogus; echo "rc=$?"
ip -n a tuntap add dev tapxxxxxxxxxxxxxxxxxx mode tap; echo "rc=$?"
ip -n a tuntap frob; echo "rc=$?"
ip -n a tuntap del dev tapmq mode tap; echo "rc=$?"
ip -n a tuntap del dev tapmq mode tap multi_queue; echo "rc=$?"
ip -n a tuntap del dev tapnone mode tap; echo "rc=$?"
ip -n a tuntap
ip -n a link set tap1 address 02:00:00:00:02:0a
ip -n a addr add 10.9.1.1/24 dev tap1
ip -n a addr add 10.9.2.1/24 dev tun1
ip -n a link set tap1 up
ip -n a link set tun1 up
ip -n a link show
ip -n a -d link show tun1
ip -n a route show
# @traffic
ip netns exec a ping -c 2 -i 0.2 -W 1 10.9.1.2
ip netns exec a ping -c 2 -i 0.2 -W 1 10.9.2.2
ip -n a -s link show tap1
ip -n a -s link show tun1
ip -n a tuntap del dev tun1 mode tun
ip -n a tuntap list
