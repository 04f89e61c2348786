# a replays IPv4 options through router r to b: a record route that r and b fill
# and the echo reply brings back through r, the same with TTL 1 (r's time
# exceeded echoes the option), a loose source route to r (refused,
# accept_source_route=0), a full record route. Cases: ../frames/bad-router.txt
# (../frames/bad-frames.py). Record with `record.py --files ../frames`.
ip netns add badax
ip netns add badrx
ip netns add badbx
for ns in badax badrx badbx; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns badax address 02:00:00:00:01:0a type veth peer name ra netns badrx address 02:00:00:00:01:01
ip link add vb netns badbx address 02:00:00:00:02:0b type veth peer name rb netns badrx address 02:00:00:00:02:01
ip -n badax addr add 10.0.1.10/24 dev va
ip -n badrx addr add 10.0.1.1/24 dev ra
ip -n badrx addr add 10.0.2.1/24 dev rb
ip -n badbx addr add 10.0.2.10/24 dev vb
ip -n badax link set va up
ip -n badrx link set ra up
ip -n badrx link set rb up
ip -n badbx link set vb up
ip -n badax route add default via 10.0.1.1
ip -n badbx route add default via 10.0.2.1
ip netns exec badrx sysctl -qw net.ipv4.ip_forward=1
# @traffic
ip netns exec badax tcpreplay -i va --pps 50 bad-router.pcap >/dev/null 2>&1; echo "tcpreplay rc=$?"
sleep 1
ip -n badrx -s link show ra
