# iputils arping between two namespaces: probes (broadcast, then unicast to
# the answer), -b, -f, -q, -w, -s, the device guessed from the route, a
# silent target, duplicate address detection (-D: exit 1 for an address in
# use, 0 for a free one), and gratuitous requests (-U) and replies (-A) as
# the peer's arp_accept takes them: 0 creates no entry, 1 creates one, 2 only
# for a sender in one of the receiving interface's subnets.
ip netns add n21a
ip netns add n21b
ip netns exec n21a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec n21b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add n21va netns n21a address 02:00:00:00:21:1a type veth peer name n21vb netns n21b address 02:00:00:00:21:1b
ip -n n21a addr add 10.21.1.1/24 dev n21va
ip -n n21a addr add 10.21.1.5/24 dev n21va
ip -n n21a addr add 10.21.1.6/24 dev n21va
ip -n n21a addr add 192.168.21.1/24 dev n21va
ip -n n21b addr add 10.21.1.2/24 dev n21vb
ip -n n21a link set lo up
ip -n n21b link set lo up
ip -n n21a link set n21va up
ip -n n21b link set n21vb up
# @traffic
ip netns exec n21a arping -c 2 -I n21va 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -c 1 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -b -c 2 -I n21va 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -f -I n21va 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -q -c 1 -I n21va 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -w 1 -i 2 -I n21va 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -c 1 -I n21va 10.21.1.9; echo "rc=$?"
ip netns exec n21a arping -D -c 1 -I n21va 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -D -c 1 -I n21va 10.21.1.7; echo "rc=$?"
ip netns exec n21a arping -U -c 1 -I n21va 10.21.1.5; echo "rc=$?"
ip -n n21b neigh show 10.21.1.5
ip netns exec n21b sysctl -qw net.ipv4.conf.n21vb.arp_accept=1
ip netns exec n21a arping -U -c 1 -I n21va 10.21.1.5; echo "rc=$?"
ip -n n21b neigh show 10.21.1.5
ip netns exec n21b sysctl -qw net.ipv4.conf.n21vb.arp_accept=2
ip netns exec n21a arping -A -c 1 -I n21va 10.21.1.6; echo "rc=$?"
ip netns exec n21a arping -U -c 1 -I n21va 192.168.21.1; echo "rc=$?"
ip -n n21b neigh show 10.21.1.6
ip -n n21b neigh show 192.168.21.1
ip netns exec n21a arping -c 1 -s 10.21.1.6 -I n21va 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -c 1 -I lo 10.21.1.2; echo "rc=$?"
ip netns exec n21a arping -c 1 -I n21vx 10.21.1.2; echo "rc=$?"
ip -n n21b neigh show 10.21.1.1
ip netns exec n21a ping -c 1 10.21.1.2
