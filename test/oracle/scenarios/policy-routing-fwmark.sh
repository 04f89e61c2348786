# Policy routing on router n21r: a mangle MARK steers a's pings into table
# 101 (towards c), a source rule takes a's second address to table 102, rules
# with goto, suppress_prefixlength, not, iif/oif, ipproto/dport, tos and
# unreachable/prohibit are listed and looked up with `ip route get`; the
# rules are then deleted one by one and flushed, and traffic follows main.
ip netns add n21a
ip netns add n21r
ip netns add n21b
ip netns add n21c
for ns in n21a n21r n21b n21c; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add n21va netns n21a address 02:00:00:00:21:6a type veth peer name n21ra netns n21r address 02:00:00:00:21:61
ip link add n21vb netns n21b address 02:00:00:00:21:7b type veth peer name n21rb netns n21r address 02:00:00:00:21:71
ip link add n21vc netns n21c address 02:00:00:00:21:8c type veth peer name n21rc netns n21r address 02:00:00:00:21:81
ip -n n21a addr add 10.21.5.10/24 dev n21va
ip -n n21a addr add 10.21.5.11/24 dev n21va
ip -n n21r addr add 10.21.5.1/24 dev n21ra
ip -n n21r addr add 10.21.6.1/24 dev n21rb
ip -n n21r addr add 10.21.7.1/24 dev n21rc
ip -n n21b addr add 10.21.6.10/24 dev n21vb
ip -n n21b addr add 192.0.2.1/32 dev n21vb
ip -n n21c addr add 10.21.7.10/24 dev n21vc
ip -n n21c addr add 192.0.2.1/32 dev n21vc
ip -n n21a link set n21va up
ip -n n21r link set n21ra up
ip -n n21r link set n21rb up
ip -n n21r link set n21rc up
ip -n n21b link set n21vb up
ip -n n21c link set n21vc up
ip -n n21a route add default via 10.21.5.1
ip -n n21b route add default via 10.21.6.1
ip -n n21c route add default via 10.21.7.1
ip netns exec n21r sysctl -qw net.ipv4.ip_forward=1
ip -n n21r route add 192.0.2.0/24 via 10.21.6.10
ip -n n21r route add 192.0.2.0/24 via 10.21.7.10 table 101
ip -n n21r route add 192.0.2.0/24 via 10.21.7.10 table 102
ip -n n21r route add default via 10.21.6.10 table 103
ip -n n21r route add unreachable 198.51.100.0/24 table 104
ip -n n21r route add blackhole 203.0.113.0/24 table 105
ip -n n21r rule add fwmark 0x1/0xff lookup 101 pref 100
ip -n n21r rule add from 10.21.5.11 table 102 pref 200
ip -n n21r rule add iif n21ra ipproto udp dport 5000-5010 table 103 pref 300
ip -n n21r rule add not from 10.21.5.0/24 lookup 105 pref 400
ip -n n21r rule add to 203.0.113.64/26 unreachable pref 450
ip -n n21r rule add to 203.0.113.128/26 prohibit pref 460
ip -n n21r rule add to 198.51.100.0/24 goto 600 pref 500
ip -n n21r rule add table 104 pref 600
ip -n n21r rule add table main suppress_prefixlength 0 pref 700
ip -n n21r rule add tos 0x10 oif n21rb unreachable pref 800
ip -n n21r rule add from all lookup default pref 900 uidrange 1000-2000
ip netns exec n21r iptables -t mangle -A PREROUTING -i n21ra -s 10.21.5.10 -p icmp -j MARK --set-mark 0x1
ip -n n21r rule show
ip -n n21r rule show table 101
ip -n n21r route show table all
ip -n n21r route show table 101
ip -n n21r route get 192.0.2.1 mark 1
ip -n n21r route get 192.0.2.1 from 10.21.5.11 iif n21ra
ip -n n21r route get 192.0.2.1 from 10.21.5.12 iif n21ra
ip -n n21r route get 192.0.2.1 from 10.21.5.12 iif n21ra ipproto udp dport 5005
ip -n n21r route get 198.51.100.1; echo "rc=$?"
ip -n n21r route get 203.0.113.1 from 10.21.6.10 iif n21rb; echo "rc=$?"
ip -n n21r route get 203.0.113.70 from 10.21.5.12 iif n21ra; echo "rc=$?"
ip -n n21r route get 203.0.113.130 from 10.21.5.12 iif n21ra; echo "rc=$?"
ip -n n21r route get 203.0.113.1 from 10.21.5.12 iif n21ra; echo "rc=$?"
# @traffic
ip netns exec n21a ping -c 1 -I 10.21.5.10 192.0.2.1
ip netns exec n21a ping -c 1 -I 10.21.5.11 192.0.2.1
ip netns exec n21a ping -c 1 -W 1 198.51.100.7; echo "rc=$?"
ip -n n21r rule del fwmark 0x1/0xff lookup 101 pref 100
ip -n n21r rule del pref 200
ip -n n21r rule show
ip netns exec n21a ping -c 1 -I 10.21.5.10 192.0.2.1
ip netns exec n21a ping -c 1 -I 10.21.5.11 192.0.2.1
ip -n n21r rule flush
ip -n n21r rule show
ip netns exec n21r iptables -t mangle -L PREROUTING -v -n
