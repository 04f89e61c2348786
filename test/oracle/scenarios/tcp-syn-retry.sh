# A SYN nobody answers: 10.0.0.3 resolves to a MAC no one has, so vb drops the
# frames as for another host; the SYN goes again after 1 s four times, then backs off.
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
ip -n a neigh add 10.0.0.3 lladdr 02:00:00:00:00:99 dev va
# @traffic
ip netns exec a nc -v -w 8 10.0.0.3 80 </dev/null; echo "rc=$?"
ip netns exec a nstat -asz TcpExtTCPSynRetrans TcpRetransSegs TcpExtTCPTimeouts
