# @cpus 4
# RPS on a machine with 4 CPUs (`# @cpus 4`, or `skbpath run --cpus 4`).
# e1000 has one RX queue and no RSS, so its interrupt and NAPI poll run on
# one CPU (CPU 0 here). RPS (Receive Packet Steering) spreads the work after
# the driver: b's rx-0 gets rps_cpus e (CPUs 1-3); each flow's hash
# (skb_get_hash) picks a CPU from that map (get_rps_cpu), the skb joins
# that CPU's backlog (enqueue_to_backlog), CPU 0's net_rx_action sends the
# IPI when it ends, and the remote CPU's NET_RX softirq takes it up
# (process_backlog → __netif_receive_skb → ip_rcv …). The CPU column of
# `skbpath trace` shows the switch; /proc/net/softnet_stat counts per CPU
# (column 1 processed, column 10 received_rps, column 13 the CPU's index).
#   skbpath trace examples/e1000-rps.sh --netns b --filter udp
#   skbpath trace examples/e1000-rps.sh --format ftrace | grep netif_receive_skb
ip netns add a
ip netns add b
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b speed 1000 delay 50us
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set eth0 up
ip -n b link set eth0 up
ip netns exec b sh -c 'echo e > /sys/class/net/eth0/queues/rx-0/rps_cpus'
ip netns exec b cat /sys/class/net/eth0/queues/rx-0/rps_cpus
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
# @traffic
for port in 5001 5002 5003 5004; do
  echo "flow from port $port" | ip netns exec a nc -u -w 1 -p $port 10.0.0.2 7000
done
cat /proc/net/softnet_stat
