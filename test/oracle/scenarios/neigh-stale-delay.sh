# Neighbour states as `ip neigh` sets them and traffic moves them: a packet
# through a `nud stale` entry makes it DELAY; delay_first_probe_time (5 s)
# later the unconfirmed entry goes PROBE, a unicast ARP request is answered
# and it is REACHABLE. The peer's broadcast request (same address) leaves it
# DELAY. A permanent entry is created exempt from GC; change and replace are
# administrative updates (each entry is shown on its own: the hash order of a
# whole-table dump differs between runs).
ip netns add n21a
ip netns add n21b
ip netns exec n21a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec n21b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add n21va netns n21a address 02:00:00:00:21:0a type veth peer name n21vb netns n21b address 02:00:00:00:21:0b
ip -n n21a addr add 10.21.0.1/24 dev n21va
ip -n n21b addr add 10.21.0.2/24 dev n21vb
ip -n n21a link set lo up
ip -n n21b link set lo up
ip -n n21a link set n21va up
ip -n n21b link set n21vb up
# @traffic
ip -n n21a neigh add 10.21.0.2 lladdr 02:00:00:00:21:0b dev n21va nud stale
ip -n n21a neigh add 10.21.0.9 lladdr 02:00:00:00:21:99 dev n21va nud permanent
ip -n n21a neigh show 10.21.0.2
ip -n n21a neigh show 10.21.0.9
ip netns exec n21a ping -c 1 10.21.0.2
ip -n n21a neigh show 10.21.0.2
ip -n n21b neigh show
sleep 6
ip -n n21a neigh show 10.21.0.2
ip -n n21a neigh change 10.21.0.2 lladdr 02:00:00:00:21:0b dev n21va nud stale
ip -n n21a neigh show 10.21.0.2
ip -n n21a neigh change 10.21.0.9 lladdr 02:00:00:00:21:98 dev n21va nud reachable
ip -n n21a neigh replace 10.21.0.9 lladdr 02:00:00:00:21:97 dev n21va nud stale
ip -n n21a neigh show 10.21.0.9
ip -n n21a neigh add 10.21.0.9 lladdr 02:00:00:00:21:96 dev n21va; echo "rc=$?"
