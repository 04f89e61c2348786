# a replays crafted frames to sockets that listen on b (nc -u -l on 10.0.0.2:9,
# nc -l on 10.0.0.2:5000): UDP with good, zero and bad checksums, a length that
# trims the datagram and one past it; TCP SYN+FIN, a bare ACK, RST, data without
# flags, a SYN with a bad checksum, a FIN to the listener; ICMP echo to the
# broadcast address with icmp_echo_ignore_broadcasts=0, an
# address mask request; echoes carrying a full record route and a NOP-padded
# one. Cases: ../frames/bad-sockets.txt (../frames/bad-frames.py).
# Record with `record.py --files ../frames`.
ip netns add bada
ip netns add badb
ip netns exec bada sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec badb sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns bada address 02:00:00:00:00:0a type veth peer name vb netns badb address 02:00:00:00:00:0b
ip -n bada addr add 10.0.0.1/24 dev va
ip -n badb addr add 10.0.0.2/24 dev vb
ip -n bada link set lo up
ip -n badb link set lo up
ip -n bada link set va up
ip -n badb link set vb up
ip netns exec badb sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
# @traffic
ip netns exec badb timeout 2 nc -u -l 10.0.0.2 9 > gotu.txt &
ip netns exec badb timeout 2 nc -l 10.0.0.2 5000 > gott.txt &
sleep 0.3
ip netns exec bada tcpreplay -i va --pps 50 bad-sockets.pcap >/dev/null 2>&1; echo "tcpreplay rc=$?"
wait
echo "udp got:"; cat gotu.txt
echo "tcp got:"; cat gott.txt
ip -n badb -s link show vb
