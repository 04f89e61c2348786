# htb on a's veth with two leaf classes; u32 filters send UDP to port 5001 into 1:10
# (800bit) and to port 5002 into 1:20 (400bit). Each flow sends three datagrams 100 ms
# apart: the bucket (burst 44 bytes, one datagram) lets two through, the third waits.
ip netns add tbfhtb-a
ip netns add tbfhtb-b
ip netns exec tbfhtb-a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tbfhtb-b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add hva netns tbfhtb-a address 02:00:00:00:00:0a type veth peer name hvb netns tbfhtb-b address 02:00:00:00:00:0b
ip -n tbfhtb-a addr add 10.0.0.1/24 dev hva
ip -n tbfhtb-b addr add 10.0.0.2/24 dev hvb
ip -n tbfhtb-a link set lo up
ip -n tbfhtb-b link set lo up
ip -n tbfhtb-a link set hva up
ip -n tbfhtb-b link set hvb up
ip -n tbfhtb-a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev hva
ip -n tbfhtb-b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev hvb
ip netns exec tbfhtb-a tc qdisc add dev hva root handle 1: htb
ip netns exec tbfhtb-a tc class add dev hva parent 1: classid 1:10 htb rate 800bit burst 44
ip netns exec tbfhtb-a tc class add dev hva parent 1: classid 1:20 htb rate 400bit burst 44
ip netns exec tbfhtb-a tc class add dev hva parent 1: classid 1:30 htb ceil 1kbit || echo "exit $?"
ip netns exec tbfhtb-a tc class add dev hva parent 1: classid 2:30 htb rate 1kbit || echo "exit $?"
ip netns exec tbfhtb-a tc filter add dev hva parent 1: protocol ip prio 1 u32 match ip dport 5001 0xffff flowid 1:10
ip netns exec tbfhtb-a tc filter add dev hva parent 1: protocol ip prio 1 u32 match ip dport 5002 0xffff flowid 1:20
ip netns exec tbfhtb-a tc qdisc show dev hva
ip netns exec tbfhtb-a tc class show dev hva
ip netns exec tbfhtb-a tc filter show dev hva
# @traffic
ip netns exec tbfhtb-b timeout 2 nc -u -l 10.0.0.2 5001 > a.txt &
ip netns exec tbfhtb-b timeout 2 nc -u -l 10.0.0.2 5002 > b.txt &
sleep 0.3
(echo a1; sleep 0.1; echo a2; sleep 0.1; echo a3) | ip netns exec tbfhtb-a nc -u -w 1 -p 4001 10.0.0.2 5001 &
sleep 0.05
(echo b1; sleep 0.1; echo b2; sleep 0.1; echo b3) | ip netns exec tbfhtb-a nc -u -w 1 -p 4002 10.0.0.2 5002 &
wait
cat a.txt b.txt
ip netns exec tbfhtb-a tc -s class show dev hva
ip netns exec tbfhtb-a tc -s qdisc show dev hva
