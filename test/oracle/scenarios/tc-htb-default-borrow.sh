# htb with default class 1:30 under parent 1:1; no filter matches, so every datagram goes
# to the default class. Its own rate (200bit) covers two datagrams; the next two are
# sent with tokens borrowed from 1:1 (ceil 800bit), each when the parent's bucket refills.
ip netns add tbfhtb-a
ip netns add tbfhtb-b
ip netns exec tbfhtb-a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tbfhtb-b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add bva netns tbfhtb-a address 02:00:00:00:00:0a type veth peer name bvb netns tbfhtb-b address 02:00:00:00:00:0b
ip -n tbfhtb-a addr add 10.0.0.1/24 dev bva
ip -n tbfhtb-b addr add 10.0.0.2/24 dev bvb
ip -n tbfhtb-a link set lo up
ip -n tbfhtb-b link set lo up
ip -n tbfhtb-a link set bva up
ip -n tbfhtb-b link set bvb up
ip -n tbfhtb-a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev bva
ip -n tbfhtb-b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev bvb
ip netns exec tbfhtb-a tc qdisc add dev bva root handle 1: htb default 30
ip netns exec tbfhtb-a tc class add dev bva parent 1: classid 1:1 htb rate 800bit burst 45 cburst 45
ip netns exec tbfhtb-a tc class add dev bva parent 1:1 classid 1:10 htb rate 200bit ceil 800bit burst 45 cburst 45 prio 1
ip netns exec tbfhtb-a tc class add dev bva parent 1:1 classid 1:30 htb rate 200bit ceil 800bit burst 45 cburst 45 prio 2 quantum 1500
ip netns exec tbfhtb-a tc class add dev bva parent 1:1 classid 1:10 htb rate 1kbit || echo "exit $?"
ip netns exec tbfhtb-a tc class del dev bva classid 1:1 || echo "exit $?"
ip netns exec tbfhtb-a tc -d qdisc show dev bva
ip netns exec tbfhtb-a tc -d class show dev bva
# @traffic
ip netns exec tbfhtb-b timeout 2 nc -u -l 10.0.0.2 5003 > got.txt &
sleep 0.3
(echo d1; sleep 0.1; echo d2; sleep 0.1; echo d3; sleep 0.1; echo d4) | ip netns exec tbfhtb-a nc -u -w 1 -p 4003 10.0.0.2 5003
wait
cat got.txt
ip netns exec tbfhtb-a tc -s class show dev bva
ip netns exec tbfhtb-a tc -s qdisc show dev bva
