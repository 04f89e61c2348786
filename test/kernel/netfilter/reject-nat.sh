# REJECT --reject-with tcp-reset in FORWARD for a DNATed connection: the RST belongs to the connection (nf_ct_attach) and leaves un-NATed; the entry goes to CLOSE
for ns in zzra zzrr zzrb; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip link add va netns zzra address 02:00:00:00:01:0a type veth peer name ra netns zzrr address 02:00:00:00:01:01
ip link add vb netns zzrb address 02:00:00:00:02:0b type veth peer name rb netns zzrr address 02:00:00:00:02:01
ip -n zzra addr add 10.0.1.10/24 dev va
ip -n zzrr addr add 10.0.1.1/24 dev ra
ip -n zzrr addr add 10.0.2.1/24 dev rb
ip -n zzrb addr add 10.0.2.10/24 dev vb
for l in "zzra va" "zzrr ra" "zzrr rb" "zzrb vb"; do set -- $l; ip -n $1 link set $2 up; done
ip -n zzra route add default via 10.0.1.1
ip -n zzrb route add default via 10.0.2.1
ip netns exec zzrr sysctl -qw net.ipv4.ip_forward=1
R="ip netns exec zzrr iptables"
$R -t nat -A PREROUTING -i ra -p tcp --dport 8080 -j DNAT --to-destination 10.0.2.10:80
$R -t nat -A PREROUTING -i ra -p udp --dport 5353 -j DNAT --to-destination 10.0.2.10:53
$R -A FORWARD -p tcp --dport 80 --tcp-flags SYN SYN -m conntrack --ctorigdstport 8081 -j REJECT --reject-with tcp-reset
$R -A FORWARD -p tcp --dport 80 --tcp-flags PSH PSH -j REJECT --reject-with tcp-reset
$R -t nat -A PREROUTING -i ra -p tcp --dport 8081 -j DNAT --to-destination 10.0.2.10:80
$R -A FORWARD -p udp --dport 53 -j REJECT
sleep 1
ip netns exec zzra nc -v -w 1 10.0.1.1 8081 </dev/null; echo rc=$?
ip netns exec zzrb nc -l 10.0.2.10 80 > /dev/null &
sleep 0.3
echo hi | ip netns exec zzra nc -w 2 10.0.1.1 8080; echo rc=$?
ip netns exec zzrr conntrack -L -p tcp --dport 8080 2>&1 | grep -c ' CLOSE src=10.0.1.10 dst=10.0.1.1 sport=[0-9]* dport=8080 src=10.0.2.10 dst=10.0.1.10 sport=80 dport=[0-9]* \[ASSURED\] mark=0 use=1'
kill %1; wait
echo x | ip netns exec zzra nc -u -w 1 10.0.1.1 5353; echo rc=$?
$R -L FORWARD -v -n -x
ip netns exec zzrr nstat -asz | grep -E 'IcmpOut|TcpOutRsts|IpForw|IpOutRequests'
ip netns exec zzrr conntrack -L -p tcp --dport 8081 2>&1 | head -1
for ns in zzra zzrr zzrb; do ip netns del $ns; done
