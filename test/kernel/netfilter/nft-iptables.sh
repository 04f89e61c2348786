# iptables-nft 1.8.9's rules as nf_tables sees them: the expressions of each rule (nft --debug=netlink)
ip netns add zznftk
R="ip netns exec zznftk iptables"
$R -A INPUT -p tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT
$R -A INPUT -p udp --sport 1000:2000 -d 10.1.2.3 ! -i eth0 -j DROP
$R -A INPUT -i veth+ -p tcp --syn -j ACCEPT
$R -A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT
$R -A INPUT -p icmp --icmp-type echo-request -j REJECT
$R -N FOO
$R -A FORWARD -o eth0 -j FOO
$R -A FOO -m comment --comment "hi there" -j RETURN
$R -A FOO -p tcp -m multiport --dports 80,443 -j LOG --log-prefix "x: "
$R -t nat -A POSTROUTING -o eth0 -j MASQUERADE
$R -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 10.0.0.5:8080
$R -A INPUT -m mark --mark 0x1 -j ACCEPT
$R -A INPUT ! -s 1.2.3.4 -g FOO
$R -P FORWARD DROP
$R -A INPUT -m limit --limit 3/min --limit-burst 7 -j ACCEPT
$R -A INPUT -m mark --mark 0x10/0xf0 -j ACCEPT
$R -A INPUT -f -j DROP
$R -A INPUT -i + -j ACCEPT
$R -A INPUT ! -i eth+ -j ACCEPT
$R -A INPUT -p tcp --sport 5 --dport 6 -j ACCEPT
$R -A INPUT -p tcp ! --dport 6 --tcp-flags SYN,ACK SYN -j ACCEPT
$R -A INPUT ! -p udp -s 10.1.2.0/23 -j ACCEPT
$R -A INPUT -p udp -m udp --dport 53:60 -j ACCEPT
$R -t raw -A PREROUTING -j CT --notrack
$R -A INPUT -m state --state NEW -j ACCEPT
$R -A OUTPUT -j MARK --set-mark 5
$R -t mangle -A OUTPUT -j ACCEPT
ip netns exec zznftk nft --debug=netlink list ruleset 2>/dev/null | grep -v '^table\|^}\|^$\|^	'
ip netns del zznftk
