# Two hosts with Intel e1000 NICs on a 1 Gb/s cable (skbpath-nic is skbpath's
# own command: Linux has no way to create a NIC). a sends 229 kB over TCP; the
# NIC cuts a's TSO super-packets into MSS frames on the wire, b's NAPI poll
# (e1000_clean) hands them to GRO, which merges them back and sends them up
# in batches of gro_normal_batch (8) through ip_list_rcv.
#   skbpath trace examples/e1000-tcp-gro.sh --netns b --func 'e1000|gro|list|ip_rcv'
# Files: writes data.bin and got.bin in its working directory: the folder
# `skbpath run` runs in (README, "Running an example from anywhere"); in the
# web view and the library, memory.
ip netns add a
ip netns add b
skbpath-nic add eth0 netns a address 02:00:00:00:00:0a peer eth0 netns b address 02:00:00:00:00:0b speed 1000 delay 20us
ip -n a addr add 10.0.0.1/24 dev eth0
ip -n b addr add 10.0.0.2/24 dev eth0
ip -n a link set eth0 up
ip -n b link set eth0 up
seq 1 40000 > data.bin
# @traffic
ip netns exec b nc -l -p 5000 > got.bin &
sleep 0.1
ip netns exec a nc -N 10.0.0.2 5000 < data.bin
wait
wc -c got.bin
ip netns exec b ethtool -S eth0 | grep -E '^ +(rx|tx)_(packets|bytes):'
ip netns exec a ethtool -S eth0 | grep tx_tcp_seg_good
cat /proc/net/softnet_stat
