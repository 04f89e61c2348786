# pktgen floods b's e1000 at line rate (1 Gb/s of 60-byte frames). b's RX
# ring is cut to 64 descriptors and its interrupts throttled to one per
# millisecond (ethtool -G / -C), so the ring fills between two NAPI polls;
# frames then wait in the MAC's 48 KB packet buffer (rx_no_buffer_count), and
# once that is full too the MAC counts them in MPC (rx_missed_errors in
# ethtool -S and ip -s link); `skbpath drops` lists them as FULL_RING. pktgen writes go to /proc/net/pktgen as on Linux (the
# initial namespace's). Then the same flood with the default ring and rate.
#   skbpath drops examples/e1000-flood.sh | tail
ip netns add b
skbpath-nic add eth0 address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b speed 1000
ip addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip link set eth0 up
ip -n b link set eth0 up
ip netns exec b ethtool -G eth0 rx 64
ip netns exec b ethtool -C eth0 rx-usecs 1000
# @traffic
echo "add_device eth0" > /proc/net/pktgen/kpktgend_0
echo "count 5000" > /proc/net/pktgen/eth0
echo "dst 10.0.0.2" > /proc/net/pktgen/eth0
echo "dst_mac 02:00:00:00:00:0b" > /proc/net/pktgen/eth0
echo start > /proc/net/pktgen/pgctrl
grep -A1 Result: /proc/net/pktgen/eth0
sleep 0.1
ip netns exec b ethtool -S eth0 | grep -E 'rx_packets|rx_missed_errors|rx_no_buffer_count'
ip -n b -s link show eth0
ip netns exec b ethtool -G eth0 rx 256
ip netns exec b ethtool -C eth0 rx-usecs 3
echo start > /proc/net/pktgen/pgctrl
sleep 0.1
ip netns exec b ethtool -S eth0 | grep -E 'rx_packets|rx_missed_errors'
cat /proc/net/softnet_stat
