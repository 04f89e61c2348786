# TCP over a lossy link: netem on a's veth loses 5% of what a sends and delays
# the rest by 10ms; a sends 109 kB to b, and TCP retransmits what was lost
# (TcpRetransSegs), so b still gets every byte. Linux's own netem model runs
# on the scenario's seeded generator: the same seed loses the same packets.
#   skbpath drops examples/netem-tcp-loss.sh
# Files: writes data.bin and got.bin in its working directory: the folder
# `skbpath run` runs in (README, "Running an example from anywhere"); in the
# web view and the library, memory.
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
ip netns exec a tc qdisc add dev va root netem loss 5% delay 10ms
ip netns exec a tc qdisc show dev va
seq 1 20000 > data.bin
# @traffic
ip netns exec b nc -l 10.0.0.2 5000 > got.bin &
sleep 0.3
ip netns exec a nc -N 10.0.0.2 5000 < data.bin
wait
wc -c data.bin got.bin
tail -n 1 got.bin
ip netns exec a tc -s qdisc show dev va
ip netns exec a nstat -az TcpOutSegs TcpRetransSegs
