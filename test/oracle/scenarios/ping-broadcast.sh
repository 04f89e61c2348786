# ping -b to the subnet's broadcast address: iputils warns, the peer answers
# while its icmp_echo_ignore_broadcasts is 0 and stays silent at 1. The
# broadcast also loops back to the sender, whose icmp_rcv drops it (echo
# ignored for broadcasts: IcmpInErrors) unless its own sysctl is 0 too; then
# it answers itself and the peer's answer is a duplicate. Without -b, ping
# refuses the broadcast address.
ip netns add n21a
ip netns add n21b
ip netns exec n21a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec n21b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add n21va netns n21a address 02:00:00:00:21:2a type veth peer name n21vb netns n21b address 02:00:00:00:21:2b
ip -n n21a addr add 10.21.2.1/24 dev n21va
ip -n n21b addr add 10.21.2.2/24 dev n21vb
ip -n n21a link set lo up
ip -n n21b link set lo up
ip -n n21a link set n21va up
ip -n n21b link set n21vb up
# @traffic
ip netns exec n21a ping -c 1 10.21.2.255; echo "rc=$?"
ip netns exec n21b sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
ip netns exec n21a ping -b -c 2 10.21.2.255 2>&1; echo "rc=$?"
ip netns exec n21b sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=1
ip netns exec n21a ping -b -c 1 -W 1 10.21.2.255 2>&1; echo "rc=$?"
ip netns exec n21a sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
ip netns exec n21b sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
ip netns exec n21a ping -b -c 2 10.21.2.255 2>&1; echo "rc=$?"
