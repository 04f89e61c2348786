# TCP over lo inside one namespace: a request and a reply, -q to close.
ip netns add a
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n a link set lo up
# @traffic
printf 'pong\n' | ip netns exec a nc -N -l 127.0.0.1 7000 > got.txt &
sleep 0.3
printf 'ping\n' | ip netns exec a nc -N 127.0.0.1 7000; echo "rc=$?"
wait
cat got.txt
ip netns exec a ss -tan
