# A tap held open by a process: socat (Debian's socat 1.7.4, its TUN address) attaches to the persistent tap0 that
# `ip tuntap add` made in each of two namespaces and carries its frames in UDP over a veth; carrier comes with the
# reader (tun_attach) and goes when it is killed (tun_detach).
ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set va up
ip -n b link set vb up
ip -n a tuntap add dev tap0 mode tap
ip -n b tuntap add dev tap0 mode tap
ip -n a link set tap0 address 02:00:00:00:01:0a
ip -n b link set tap0 address 02:00:00:00:01:0b
ip -n a addr add 10.9.0.1/24 dev tap0
ip -n b addr add 10.9.0.2/24 dev tap0
ip -n a link set tap0 up
ip -n b link set tap0 up
ip -n a link show tap0
ip -n a tuntap show
# @traffic
ip netns exec a socat UDP-DATAGRAM:10.0.0.2:40000,bind=10.0.0.1:40000 TUN,tun-type=tap,tun-name=tap0,iff-no-pi &
ip netns exec b socat UDP-DATAGRAM:10.0.0.1:40000,bind=10.0.0.2:40000 TUN,tun-type=tap,tun-name=tap0,iff-no-pi &
sleep 1
ip -n a link show tap0
ip -n b link show tap0
ip netns exec a ping -c 3 -i 0.2 10.9.0.2
kill %1 %2
wait
ip -n a link show tap0
ip -n a tuntap show
