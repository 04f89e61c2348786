# b keeps only the first fragment of a's fragmented ping: with
# ipfrag_high_thresh at 1 byte, the first fragment's queue already exceeds the
# limit, so b drops every later fragment (IpReasmFails). After ipfrag_time
# (2 s) the queue expires and b sends "fragment reassembly time exceeded",
# quoting the first fragment. a counts it (IcmpInTimeExcds) but does not pass
# a reassembly timeout on to sockets, so ping reports nothing.
ip netns add a
ip netns add b
for ns in a b; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec b sysctl -qw net.ipv4.ipfrag_time=2
ip netns exec b sysctl -qw net.ipv4.ipfrag_low_thresh=0
ip netns exec b sysctl -qw net.ipv4.ipfrag_high_thresh=1
# @traffic
ip netns exec a ping -c 1 -W 3 -s 3000 10.0.0.2; echo "rc=$?"
