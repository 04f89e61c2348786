# Replies from an address of a loopback subnet: 127.0.0.9 is local through the local table route 127.0.0.0/8.
ip netns add a
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n a link set lo up
# @traffic
ip netns exec a ping -c 2 -i 0.2 127.0.0.9
ip netns exec a ping -c 1 -I 127.0.0.5 127.0.0.1
