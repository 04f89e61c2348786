# Duplicate address detection that fails: v6db holds 2001:db8:62::1 (nodad);
# v6da adds the same address, probes it with a neighbour solicitation from ::
# (to the solicited-node group v6db joined), v6db answers with a neighbour
# advertisement to all nodes, and v6da marks its copy dadfailed (still
# tentative). addr_gen_mode=1 leaves out the link-local addresses (and with
# them the router solicitations); router_solicitation_delay=0 and a one-jiffy
# mldv2_unsolicited_report_interval take the random delays out of DAD and MLD.
ip netns add v6da
ip netns add v6db
ip netns exec v6da sysctl -qw net.ipv6.conf.default.addr_gen_mode=1 net.ipv6.conf.default.router_solicitation_delay=0 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1
ip netns exec v6db sysctl -qw net.ipv6.conf.default.addr_gen_mode=1 net.ipv6.conf.default.router_solicitation_delay=0 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1
ip link add v6da0 netns v6da address 02:00:00:00:62:0a type veth peer name v6db0 netns v6db address 02:00:00:00:62:0b
ip -n v6da link set lo up
ip -n v6db link set lo up
ip -n v6da link set v6da0 up
ip -n v6db link set v6db0 up
ip -n v6db addr add 2001:db8:62::1/64 dev v6db0 nodad
sleep 1
# @traffic
ip -n v6da addr add 2001:db8:62::1/64 dev v6da0
ip -n v6da -6 addr show dev v6da0
sleep 2
ip -n v6da -6 addr show dev v6da0
ip -n v6da -6 addr show dadfailed
ip -n v6da -6 addr show tentative
ip -n v6da -6 route show table all
ip -n v6db -6 addr
ip -n v6da addr del 2001:db8:62::1/64 dev v6da0
ip -n v6da -6 addr show dev v6da0
