# /sys/class/net/DEV attributes and /proc/sys/net files read with cat and
# written with echo, as tutorials do: values of a veth down, up without
# carrier and up; what show() refuses (EINVAL) and what stores refuse.
ip netns add a
ip netns add b
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec b sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip netns exec a bash -c 'D=/sys/class/net/va; for f in address broadcast addr_len mtu operstate carrier carrier_changes carrier_up_count carrier_down_count ifindex iflink type flags tx_queue_len speed duplex dormant dev_id dev_port link_mode netdev_group ifalias statistics/rx_packets statistics/tx_bytes statistics/rx_nohandler; do echo "$f=$(cat $D/$f)"; done'
ip -n a link set va up
ip netns exec a bash -c 'D=/sys/class/net/va; for f in operstate carrier speed duplex flags carrier_changes; do echo "$f=$(cat $D/$f)"; done'
ip -n b link set vb up
ip -n a link set lo up
sleep 1
ip netns exec a bash -c 'D=/sys/class/net/va; for f in operstate carrier speed duplex flags carrier_changes carrier_up_count; do echo "$f=$(cat $D/$f)"; done'
ip netns exec b bash -c 'D=/sys/class/net/lo; for f in address broadcast mtu operstate carrier type flags tx_queue_len speed ifindex iflink; do echo "$f=$(cat $D/$f)"; done'
ip netns exec b bash -c 'D=/sys/class/net/vb; echo 70000 > $D/mtu; echo rc=$?; echo abc > $D/mtu; echo rc=$?; echo " 1300" > $D/mtu; echo rc=$?; echo 0x500 > $D/mtu; echo rc=$?; cat $D/mtu; echo 500 > $D/tx_queue_len; cat $D/tx_queue_len; echo -1 > $D/tx_queue_len; echo rc=$?; echo 1 > $D/carrier; echo rc=$?; echo 1 > $D/statistics/rx_bytes; echo rc=$?; echo 1 > $D/address; echo rc=$?; echo 1 > $D/newfile; echo rc=$?; echo hello > $D/ifalias; cat $D/ifalias'
ip netns exec b bash -c 'D=/sys/class/net/vb; echo 0x1002 > $D/flags; echo rc=$?; cat $D/flags $D/operstate; cat $D/carrier; echo rc=$?; echo 0x1003 > $D/flags; cat $D/flags'
ip -n b link show vb
ip netns exec a cat /sys/class/net/nope/mtu
ip netns exec a cat /sys/class/net/va
ip netns exec a cat /sys/class/net/va/statistics/nope
ip netns exec a bash -c 'echo 1 > /proc/net/tcp; echo rc=$?; echo 1 > /proc/net/snmp; echo rc=$?; echo 1 > /proc/net/softnet_stat; echo rc=$?; echo 1 > /proc/net/nope; echo rc=$?'
ip netns exec a bash -c 'echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/va/forwarding; echo 2 > /proc/sys/net/ipv4/conf/all/rp_filter; cat /proc/sys/net/ipv4/conf/all/rp_filter; echo 1 > /proc/sys/net/ipv4/nope; echo rc=$?; cat /proc/sys/net/ipv4; echo rc=$?'
ip netns exec a bash -c 'for v in x 300 0 127 " 5" "5 6" "" 5x -1 0x10; do echo "$v" > /proc/sys/net/ipv4/tcp_syn_retries; echo "[$v] rc=$? $(cat /proc/sys/net/ipv4/tcp_syn_retries)"; done'
ip netns exec a bash -c 'for v in x -1 " 1"; do echo "$v" > /proc/sys/net/ipv4/ip_forward; echo "[$v] rc=$? $(cat /proc/sys/net/ipv4/ip_forward)"; done'
ip netns exec a sysctl net.ipv4.ip_forward net.ipv4.tcp_syn_retries
ip netns exec a cat /proc/net/snmp6
# @traffic
ip netns exec a ping -c1 10.0.0.2 > /dev/null
ip netns exec a bash -c 'D=/sys/class/net/va/statistics; for f in rx_packets tx_packets rx_bytes tx_bytes; do echo "$f=$(cat $D/$f)"; done'
