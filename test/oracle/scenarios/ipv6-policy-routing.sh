# IPv6 policy routing on host h, joined to p by two links (two paths to p's
# 2001:db8:99::1): main goes by h1, a source rule takes 2001:db8:2::10 to
# table 100 and a fwmark rule takes mark 7 to table 200 (both by h2); rules
# with prohibit and unreachable answer route lookups with their errors. The
# source rule is then deleted and that traffic follows main again.
ip netns add h
ip netns add p
for ns in h p; do ip netns exec $ns sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 net.ipv6.auto_flowlabels=0; ip -n $ns link set lo up; done
ip link add h1 netns h address 02:00:00:00:61:01 type veth peer name p1 netns p address 02:00:00:00:61:02
ip link add h2 netns h address 02:00:00:00:62:01 type veth peer name p2 netns p address 02:00:00:00:62:02
ip -n h addr add 2001:db8:1::10/64 dev h1 nodad
ip -n h addr add 2001:db8:2::10/64 dev h2 nodad
ip -n p addr add 2001:db8:1::1/64 dev p1 nodad
ip -n p addr add 2001:db8:2::1/64 dev p2 nodad
ip -n p addr add 2001:db8:99::1/128 dev lo
ip -n h link set h1 up
ip -n h link set h2 up
ip -n p link set p1 up
ip -n p link set p2 up
ip -n h -6 route add default via 2001:db8:1::1 dev h1
ip -n h -6 route add default via 2001:db8:2::1 dev h2 table 100
ip -n h -6 route add 2001:db8:99::/64 via 2001:db8:2::1 dev h2 table 200
ip -n h -6 route add unreachable 2001:db8:96::/64 table 200
ip -n h -6 rule add from 2001:db8:2::10 lookup 100 pref 100
ip -n h -6 rule add fwmark 0x7 lookup 200 pref 200
ip -n h -6 rule add to 2001:db8:98::/64 prohibit pref 300
ip -n h -6 rule add to 2001:db8:97::/64 unreachable pref 310
sleep 3
# @traffic
ip netns exec h ping -6 -c 2 -i 0.2 2001:db8:99::1
ip netns exec h ping -6 -c 2 -i 0.2 -I 2001:db8:2::10 2001:db8:99::1
ip netns exec h ping -6 -c 2 -i 0.2 -m 7 2001:db8:99::1
ip netns exec h ping -6 -c 1 -W 1 2001:db8:98::1; echo "prohibit rc=$?"
ip netns exec h ping -6 -c 1 -W 1 2001:db8:97::1; echo "unreachable rc=$?"
ip netns exec h ping -6 -c 1 -W 1 -m 7 2001:db8:96::1; echo "table unreachable rc=$?"
ip -n h -6 route get 2001:db8:99::1
ip -n h -6 route get 2001:db8:99::1 from 2001:db8:2::10
ip -n h -6 route get 2001:db8:99::1 mark 7
ip -n h -6 route get 2001:db8:99::1 from 2001:db8:2::10 iif h1
ip -n h -6 route get 2001:db8:98::1; echo "rc=$?"
ip -n h -6 route get 2001:db8:97::1; echo "rc=$?"
ip -n h -6 rule show
ip -n h -6 route show table all
ip -n h -6 rule del from 2001:db8:2::10 lookup 100
ip netns exec h ping -6 -c 1 -I 2001:db8:2::10 2001:db8:99::1
ip -n h -6 rule
ip -n h -6 route show table 100
ip -n h -6 route get 2001:db8:99::1 from 2001:db8:2::10
