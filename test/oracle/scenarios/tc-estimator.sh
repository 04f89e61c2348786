# Rate estimators (gen_estimator). a's tbf and b's htb class get their estimator at the
# start of traffic (`change … estimator 1sec 4sec`: interval 1 s, ewma_log 2), which
# restarts the estimator's timer; 20 echo requests 10 ms apart end well inside its first second, so
# its first tick sees all 20 packets (a quarter of 20 × 98 bytes × 1 s⁻¹, scaled by 2^8) and
# each later tick takes a quarter off: `tc -s` prints the same numbers every run.
ip netns add tcest-a
ip netns add tcest-b
ip netns exec tcest-a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tcest-b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add ea netns tcest-a address 02:00:00:00:00:0a type veth peer name eb netns tcest-b address 02:00:00:00:00:0b
ip -n tcest-a addr add 10.0.0.1/24 dev ea
ip -n tcest-b addr add 10.0.0.2/24 dev eb
ip -n tcest-a link set lo up
ip -n tcest-b link set lo up
ip -n tcest-a link set ea up
ip -n tcest-b link set eb up
ip -n tcest-a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev ea
ip -n tcest-b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev eb
ip netns exec tcest-a tc qdisc add dev ea root handle 1: estimator 250ms 1sec tbf rate 10mbit burst 20k latency 50ms
ip netns exec tcest-a tc qdisc add dev ea parent 1:1 handle 10: estimator 100sec 1sec pfifo || echo "exit $?"
ip netns exec tcest-b tc qdisc add dev eb root handle 1: htb default 10
ip netns exec tcest-b tc class add dev eb parent 1: classid 1:10 estimator 250ms 1sec htb rate 10mbit
ip netns exec tcest-a tc -s qdisc show dev ea
ip netns exec tcest-b tc -s class show dev eb
# @traffic
ip netns exec tcest-a tc qdisc change dev ea root handle 1: estimator 1sec 4sec tbf rate 10mbit burst 20k latency 50ms
ip netns exec tcest-b tc class change dev eb parent 1: classid 1:10 estimator 1sec 4sec htb rate 10mbit
ip netns exec tcest-a ping -q -c 20 -i 0.01 10.0.0.2
sleep 1.1
ip netns exec tcest-a tc -s qdisc show dev ea
ip netns exec tcest-b tc -s class show dev eb
sleep 1
ip netns exec tcest-a tc -s qdisc show dev ea
ip netns exec tcest-b tc -s class show dev eb
