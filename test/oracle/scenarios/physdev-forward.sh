# iptables' physdev match on a bridge (br_netfilter, bridge-nf-call-iptables
# 1): in FORWARD the packet is seen with -i/-o the bridge and its ports as
# --physdev-in/--physdev-out; a rule drops what goes from port n21pa to port
# n21pc. Packets for the bridge's own address meet INPUT with --physdev-in
# set and --physdev-is-bridged not. --physdev-out is refused in OUTPUT.
ip netns add n21s
ip netns add n21a
ip netns add n21b
ip netns add n21c
for ns in n21s n21a n21b n21c; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n n21s link add n21br address 02:00:00:00:21:99 type bridge
ip -n n21s link set n21br up
ip -n n21s addr add 10.21.4.254/24 dev n21br
ip link add n21va netns n21a address 02:00:00:00:21:4a type veth peer name n21pa netns n21s address 02:00:00:00:21:5a
ip link add n21vb netns n21b address 02:00:00:00:21:4b type veth peer name n21pb netns n21s address 02:00:00:00:21:5b
ip link add n21vc netns n21c address 02:00:00:00:21:4c type veth peer name n21pc netns n21s address 02:00:00:00:21:5c
for p in n21pa n21pb n21pc; do ip -n n21s link set $p master n21br; ip -n n21s link set $p up; done
ip -n n21a addr add 10.21.4.1/24 dev n21va
ip -n n21b addr add 10.21.4.2/24 dev n21vb
ip -n n21c addr add 10.21.4.3/24 dev n21vc
ip -n n21a link set n21va up
ip -n n21b link set n21vb up
ip -n n21c link set n21vc up
ip netns exec n21s iptables -A FORWARD -m physdev --physdev-in n21pa --physdev-out n21pc -j DROP
ip netns exec n21s iptables -A FORWARD -i n21br -o n21br -m physdev --physdev-is-bridged --physdev-out n21pb -j ACCEPT
ip netns exec n21s iptables -A FORWARD -m physdev ! --physdev-out n21pb+ --physdev-is-out
ip netns exec n21s iptables -A INPUT -m physdev --physdev-in n21pb --physdev-is-in ! --physdev-is-bridged
ip netns exec n21s iptables -A INPUT -m physdev ! --physdev-is-in
ip netns exec n21s iptables -t mangle -A POSTROUTING -m physdev --physdev-is-bridged --physdev-out n21p+
ip netns exec n21s iptables -A OUTPUT -m physdev --physdev-out n21pa; echo "rc=$?"
ip netns exec n21s iptables -A OUTPUT -m physdev --physdev-is-out ! --physdev-is-bridged; echo "rc=$?"
ip netns exec n21s iptables -A OUTPUT -m physdev --physdev-out n21pa --physdev-is-bridged; echo "rc=$?"
ip netns exec n21s iptables -A FORWARD -m physdev; echo "rc=$?"
ip netns exec n21s iptables -A FORWARD -m physdev --physdev-in a --physdev-in b; echo "rc=$?"
ip netns exec n21s iptables -A FORWARD -m physdev --physdev-in 0123456789abcdefg; echo "rc=$?"
ip netns exec n21s iptables -S
sleep 2
# @traffic
ip netns exec n21a ping -c 2 -i 0.2 10.21.4.2; echo "rc=$?"
ip netns exec n21a ping -c 1 -W 1 10.21.4.3; echo "rc=$?"
ip netns exec n21b ping -c 1 10.21.4.254; echo "rc=$?"
ip netns exec n21s iptables -L -v -n
ip netns exec n21s iptables -L FORWARD
ip netns exec n21s iptables -t mangle -L POSTROUTING -v -n
ip netns exec n21s iptables-save -t filter | grep -v '^#'
