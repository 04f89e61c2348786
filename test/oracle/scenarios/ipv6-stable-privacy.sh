# Link-local addresses of the three addr_gen_modes (RFC 7217 stable-privacy,
# none, eui64) on a veth pair and a second veth pair, IPv6 left on. v6sa0
# gets a stable_secret of its own (which switches it to addr_gen_mode 2):
# its fe80:: id is SHA-1 over the secret, fe80::/64, the (zero) permanent
# hardware address of a veth and the DAD count. v6sb sets the `default`
# secret before its devices exist, so v6sb0 is made stable-privacy with it;
# v6sb1 is set to mode 1 (none) and gets no link-local address, v6sa1 keeps
# eui64. A stable_secret reads EIO until written and `all` refuses it. As in
# ipv6-linkup, router_solicitation_delay=0 and a one-jiffy MLD report
# interval keep the DAD/MLD/RS traffic deterministic.
ip netns add v6sa
ip netns add v6sb
ip netns exec v6sa sysctl -qw net.ipv6.conf.default.router_solicitation_delay=0 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1
ip netns exec v6sb sysctl -qw net.ipv6.conf.default.router_solicitation_delay=0 net.ipv6.conf.default.mldv2_unsolicited_report_interval=1
ip netns exec v6sb sysctl -w net.ipv6.conf.default.stable_secret=2001:db8:1:2:3:4:5:6
ip link add v6sa0 netns v6sa address 02:00:00:00:62:0a type veth peer name v6sb0 netns v6sb address 02:00:00:00:62:0b
ip link add v6sa1 netns v6sa address 02:00:00:00:62:1a type veth peer name v6sb1 netns v6sb address 02:00:00:00:62:1b
ip netns exec v6sa sysctl net.ipv6.conf.v6sa0.stable_secret
ip netns exec v6sa sysctl -w net.ipv6.conf.all.stable_secret=::1
ip netns exec v6sa sysctl -w net.ipv6.conf.v6sa0.stable_secret=1.2.3.4
ip netns exec v6sa sysctl -w net.ipv6.conf.v6sa0.stable_secret=2001:db8::1234
ip netns exec v6sa sysctl net.ipv6.conf.v6sa0.stable_secret net.ipv6.conf.v6sa0.addr_gen_mode net.ipv6.conf.v6sa1.addr_gen_mode
ip netns exec v6sb sysctl -w net.ipv6.conf.v6sb1.addr_gen_mode=1
ip netns exec v6sb sysctl net.ipv6.conf.default.stable_secret net.ipv6.conf.v6sb0.stable_secret net.ipv6.conf.v6sb0.addr_gen_mode net.ipv6.conf.v6sb1.addr_gen_mode
ip -n v6sa link set lo up
ip -n v6sb link set lo up
ip -n v6sa link set v6sa0 up
ip -n v6sa link set v6sa1 up
# @traffic
ip -n v6sb link set v6sb0 up
ip -n v6sb link set v6sb1 up
sleep 2
ip -n v6sa -6 addr show
ip -n v6sb -6 addr show
ip -n v6sb -6 route show table all
ip netns exec v6sa cat /proc/net/if_inet6 | sort
ip netns exec v6sb cat /proc/net/if_inet6 | sort
