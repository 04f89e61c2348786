# Two ends of a veth with the same stable_secret: a veth's permanent hardware
# address is zero, so both hash the same fe80:: id, both DAD probes collide
# (enhanced DAD nonces differ) and each end makes a new stable address with
# dad_count 1 after idgen_delay (1 s), again and again until idgen_retries
# (here 1) runs out. Random DAD/MLD delays are taken out as in ipv6-linkup.
ip netns add v6ra
ip netns add v6rb
ip netns exec v6ra sysctl -qw net.ipv6.idgen_retries=1 net.ipv6.conf.default.router_solicitation_delay=0 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1 net.ipv6.conf.default.stable_secret=2001:db8::99
ip netns exec v6rb sysctl -qw net.ipv6.idgen_retries=1 net.ipv6.conf.default.router_solicitation_delay=0 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1 net.ipv6.conf.default.stable_secret=2001:db8::99
ip link add v6ra0 netns v6ra address 02:00:00:00:63:0a type veth peer name v6rb0 netns v6rb address 02:00:00:00:63:0b
ip -n v6ra link set lo up
ip -n v6rb link set lo up
ip -n v6ra link set v6ra0 up
# @traffic
ip -n v6rb link set v6rb0 up
sleep 3
ip -n v6ra -6 addr show dev v6ra0
ip -n v6rb -6 addr show dev v6rb0
