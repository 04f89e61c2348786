# Two hosts with Intel e1000 NICs (82545EM, the e1000 driver) on a 1 Gb/s
# cable with 50 us of delay. skbpath-nic is skbpath's own command: Linux has
# no command that creates a NIC, and `ip link add … type e1000` fails there
# as it does here. a pings b; the trace shows both sides of the driver:
#   TX: __dev_queue_xmit → sch_direct_xmit (pfifo_fast) → e1000_xmit_frame →
#       e1000_tx_map → e1000_tx_queue, later e1000_clean_tx_irq frees it
#   RX: e1000_intr → __napi_schedule → net_rx_action → __napi_poll →
#       e1000_clean → e1000_clean_rx_irq → e1000_receive_skb → napi_gro_receive
#       → netif_receive_skb_list_internal → ip_list_rcv → …
#   skbpath trace examples/e1000-ping.sh --filter 'icmp[icmptype] == icmp-echo'
#   skbpath trace examples/e1000-ping.sh --format ftrace
ip netns add a
ip netns add b
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b speed 1000 delay 50us
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set eth0 up
ip -n b link set eth0 up
# @traffic
ip netns exec a ping -c 3 -i 0.2 10.0.0.2
ip -n b -s link show eth0
ip netns exec b ethtool -S eth0 | grep -E '^ +(rx|tx)_packets:'
