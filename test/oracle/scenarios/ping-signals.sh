# ping stopped by signals: SIGINT prints the statistics (iputils' handler), SIGTERM kills it; replies from a loopback subnet address (__ip_dev_find's local-table fallback).
ip netns add a
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n a link set lo up
# @traffic
ip netns exec a ping -c 1 127.0.0.9
ip netns exec a ping -i 0.5 127.0.0.1 > out1.txt &
sleep 1.25
kill -INT %1
wait %1; echo "rc=$?"
cat out1.txt
ip netns exec a ping -i 0.5 127.0.0.9 > out2.txt &
sleep 0.75
kill %1
wait %1; echo "rc=$?"
cat out2.txt
