# IPv6 left on at link up, between two namespaces over veth: each end gets its
# EUI-64 link-local address (tentative until DAD is done), joins its
# solicited-node group with MLDv2 reports (from :: while the address is
# tentative, from the link-local once DAD completes), probes it with a DAD
# neighbour solicitation from :: and then solicits routers. Linux draws the
# DAD and MLD delays at random: router_solicitation_delay=0 makes the DAD
# probe go at once and mldv2_unsolicited_report_interval=1 (one jiffy) makes
# the report retransmissions come two jiffies apart, so runs are the same.
# The second router solicitation (4 s +-10% later) is past the capture.
# v6la0 is up (no carrier) before traffic, so it is captured; the carrier
# comes when v6lb0 goes up, and both ends configure themselves.
ip netns add v6la
ip netns add v6lb
ip netns exec v6la sysctl -qw net.ipv6.conf.default.router_solicitation_delay=0 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1
ip netns exec v6lb sysctl -qw net.ipv6.conf.default.router_solicitation_delay=0 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1
ip link add v6la0 netns v6la address 02:00:00:00:61:0a type veth peer name v6lb0 netns v6lb address 02:00:00:00:61:0b
ip -n v6la link set lo up
ip -n v6lb link set lo up
ip -n v6la link set v6la0 up
# @traffic
ip -n v6lb link set v6lb0 up
ip -n v6la -6 addr show dev v6la0
sleep 2
ip -n v6la -6 addr
ip -n v6lb -6 addr show dev v6lb0
ip -n v6la -6 route show table all
ip netns exec v6la sysctl net.ipv6.conf.v6la0.mtu net.ipv6.conf.lo.accept_dad net.ipv6.conf.v6la0.accept_dad net.ipv6.conf.v6la0.mldv2_unsolicited_report_interval
