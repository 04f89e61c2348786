# The /proc/net tables of two namespaces joined by a veth: routes before
# traffic; neighbours after a ping; the TCP and UDP sockets while a connection
# is open and a UDP socket is bound; counters and packet handlers.
# /proc/net/ptype leaves out llc_rcv: the host lists it when its llc module is
# loaded (by bridge/stp); skbpath has no LLC.
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
ip -n a route add 192.168.5.0/24 via 10.0.0.2 metric 7
ip -n a route add 192.168.5.9 via 10.0.0.2
ip -n a route add blackhole 192.168.6.0/24
ip -n a route add unreachable 192.168.7.1
ip -n a route add default via 10.0.0.2
ip netns exec a cat /proc/net/route
ip netns exec b cat /proc/net/route
ip netns exec a cat /proc/net/unix /proc/net/tcp6 /proc/net/udp6 /proc/net/raw
# @traffic
ip netns exec a ping -c1 10.0.0.2 > /dev/null
ip netns exec a cat /proc/net/arp
ip netns exec b cat /proc/net/arp
ip netns exec b nc -l 10.0.0.2 8080 > /dev/null &
ip netns exec b timeout 3 nc -u -l 5000 > /dev/null &
sleep 0.3
sleep 2 | ip netns exec a nc -N 10.0.0.2 8080 &
sleep 0.5
ip netns exec a cat /proc/net/tcp
ip netns exec b cat /proc/net/tcp
ip netns exec b cat /proc/net/udp
ip netns exec a cat /proc/net/snmp
ip netns exec b cat /proc/net/snmp
ip netns exec a cat /proc/net/netstat
ip netns exec a cat /proc/net/dev
ip netns exec b cat /proc/net/dev
ip netns exec a cat /proc/net/ptype | grep -v llc_rcv
wait
