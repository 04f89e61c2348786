# ip -6 neigh: the states of nd_tbl entries. v6na pings v6nb (NS to the
# solicited-node group, NA back: REACHABLE, and v6nb learns v6na from the NS:
# STALE, then DELAY and PROBE as its entry is used), then pings an address
# nobody has: INCOMPLETE while three NS go unanswered, then FAILED, the queued
# echo request freed and ping told "Address unreachable". ip -6 neigh add,
# change, del and flush as the user types them. No link-local addresses
# (addr_gen_mode=1), nodad global ones, and a one-jiffy MLD interval keep the
# capture the same from run to run; auto_flowlabels=0 leaves the flow labels
# (a hash with a secret of the boot) out of the echo packets.
ip netns add v6na
ip netns add v6nb
ip netns exec v6na sysctl -qw net.ipv6.auto_flowlabels=0 net.ipv6.conf.default.addr_gen_mode=1 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1
ip netns exec v6nb sysctl -qw net.ipv6.auto_flowlabels=0 net.ipv6.conf.default.addr_gen_mode=1 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1
ip link add v6na0 netns v6na address 02:00:00:00:63:0a type veth peer name v6nb0 netns v6nb address 02:00:00:00:63:0b
ip -n v6na link set lo up
ip -n v6nb link set lo up
ip -n v6na link set v6na0 up
ip -n v6nb link set v6nb0 up
ip -n v6na addr add 2001:db8:63::1/64 dev v6na0 nodad
ip -n v6nb addr add 2001:db8:63::2/64 dev v6nb0 nodad
sleep 1
# @traffic
ip netns exec v6na ping -6 -c 1 2001:db8:63::2 | grep -c "bytes from"
ip -n v6na -6 neigh
ip -n v6nb -6 neigh
ip netns exec v6na ping -6 -c 1 -W 5 2001:db8:63::9; echo "rc=$?"
ip -n v6na -6 neigh show 2001:db8:63::9
ip -n v6na -6 neigh show nud failed
ip -n v6na -6 neigh show 2001:db8:63::2
ip -n v6na -6 neigh add 2001:db8:63::7 lladdr 02:00:00:00:63:07 dev v6na0
ip -n v6na -6 neigh show 2001:db8:63::7
ip -n v6na -6 neigh change 2001:db8:63::7 lladdr 02:00:00:00:63:77 dev v6na0 nud stale
ip -n v6na neigh show to 2001:db8:63::7 dev v6na0
ip -n v6na -6 neigh del 2001:db8:63::7 dev v6na0
ip -n v6na -6 neigh del 2001:db8:63::7 dev v6na0; echo "rc=$?"
ip -n v6na -6 neigh flush nud failed dev v6na0
ip -n v6na -6 neigh show 2001:db8:63::9
ip -n v6na -6 neigh show nud reachable
