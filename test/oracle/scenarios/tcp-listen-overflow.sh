# Listen backlog: nc listens with a backlog of 1 and serves one client; two
# more connections fill the accept queue; the next SYNs are dropped
# (ListenOverflows, ListenDrops) until the client gives up.
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
# @traffic
ip netns exec b nc -l 10.0.0.2 8080 > /dev/null &
sleep 0.3
(printf 'one\n'; sleep 2) | ip netns exec a nc -N 10.0.0.2 8080 &
sleep 0.2
(printf 'two\n'; sleep 3) | ip netns exec a nc 10.0.0.2 8080 &
sleep 0.2
(printf 'three\n'; sleep 3) | ip netns exec a nc 10.0.0.2 8080 &
sleep 0.2
ip netns exec b ss -tn
ip netns exec a nc -v -w 1 10.0.0.2 8080 </dev/null; echo "rc=$?"
wait
ip netns exec b nstat -asz TcpExtListenOverflows TcpExtListenDrops
