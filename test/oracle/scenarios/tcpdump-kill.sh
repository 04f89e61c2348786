# tcpdump in the background stopped by kill: its statistics, exit status 0, the ring's 1 s block timeout; job numbers as bash reuses them.
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
ip netns exec a tcpdump -n -i va -w early.pcap icmp &
sleep 0.5
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
sleep 0.2
kill %1
wait %1; echo "rc=$?"
ip netns exec a tcpdump -n -i va icmp &
sleep 0.5
ip netns exec a ping -c 2 -i 0.2 10.0.0.2 > /dev/null
sleep 1.5
kill $!
wait $!; echo "rc=$?"
ip netns exec b sleep 5 &
ip netns exec b sleep 5 &
kill %2; wait %2; echo "rc=$?"
ip netns exec b sleep 5 &
kill %3; echo "rc=$?"
kill %2 2>&1; echo "rc=$?"
kill -KILL %1; wait; echo "rc=$?"
tcpdump -n -r early.pcap 2>&1
