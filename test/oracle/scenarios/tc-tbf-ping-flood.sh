# tbf shapes a ping flood on a's veth: the bucket (burst 200 bytes) lets two echo requests
# through at once, its bfifo (limit 300 bytes) holds three more until tokens come back at
# 4kbit, and the rest are refused: ping retries once after ENOBUFS, then prints E for each.
ip netns add tbfhtb-a
ip netns add tbfhtb-b
ip netns exec tbfhtb-a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec tbfhtb-b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add tva netns tbfhtb-a address 02:00:00:00:00:0a type veth peer name tvb netns tbfhtb-b address 02:00:00:00:00:0b
ip -n tbfhtb-a addr add 10.0.0.1/24 dev tva
ip -n tbfhtb-b addr add 10.0.0.2/24 dev tvb
ip -n tbfhtb-a link set lo up
ip -n tbfhtb-b link set lo up
ip -n tbfhtb-a link set tva up
ip -n tbfhtb-b link set tvb up
ip -n tbfhtb-a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev tva
ip -n tbfhtb-b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev tvb
ip netns exec tbfhtb-a tc qdisc add dev tva root tbf rate 4kbit burst 200 || echo "exit $?"
ip netns exec tbfhtb-a tc qdisc add dev tva root tbf rate 4kbit burst 200 limit 300 latency 50ms || echo "exit $?"
ip netns exec tbfhtb-a tc qdisc add dev tva root tbf burst 200 limit 300 peakrate 8kbit || echo "exit $?"
ip netns exec tbfhtb-a tc qdisc add dev tva root handle 1: tbf rate 4kbit burst 200 limit 300
ip netns exec tbfhtb-a tc qdisc show dev tva
# @traffic
ip netns exec tbfhtb-a ping -f -c 10 -W 0.02 10.0.0.2
sleep 1
ip netns exec tbfhtb-a tc -s qdisc show dev tva
ip netns exec tbfhtb-a tc -s -d qdisc show dev tva
