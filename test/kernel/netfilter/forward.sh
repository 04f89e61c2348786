ip netns add fwh1
ip netns add fwr
ip netns add fwh2
for n in fwh1 fwr fwh2; do ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; done
ip link add e1 netns fwh1 address 02:00:00:00:01:01 type veth peer name r1 netns fwr address 02:00:00:00:01:02
ip link add e2 netns fwh2 address 02:00:00:00:02:01 type veth peer name r2 netns fwr address 02:00:00:00:02:02
ip -n fwh1 addr add 10.1.0.1/24 dev e1
ip -n fwr addr add 10.1.0.254/24 dev r1
ip -n fwr addr add 10.2.0.254/24 dev r2
ip -n fwh2 addr add 10.2.0.1/24 dev e2
for n in fwh1 fwr fwh2; do ip -n $n link set lo up; done
ip -n fwh1 link set e1 up
ip -n fwh2 link set e2 up
ip -n fwr link set r1 up
ip -n fwr link set r2 up
ip -n fwh1 route add default via 10.1.0.254
ip -n fwh2 route add default via 10.2.0.254
ip netns exec fwr sysctl -qw net.ipv4.ip_forward=1
ip netns exec fwr iptables -N out2
ip netns exec fwr iptables -N udpchk
ip netns exec fwr iptables -P FORWARD DROP
ip netns exec fwr iptables -A FORWARD -i r1 -o r2 -g out2
ip netns exec fwr iptables -A FORWARD -i r2 -o r1 -p icmp --icmp-type echo-reply -j ACCEPT
ip netns exec fwr iptables -A FORWARD -i r2 -o r1 -p icmp -j ACCEPT
ip netns exec fwr iptables -A out2 -p udp -j udpchk
ip netns exec fwr iptables -A out2 -p icmp -m iprange --src-range 10.1.0.1-10.1.0.5 -j ACCEPT
ip netns exec fwr iptables -A out2 -p tcp -m multiport --dports 80,443,8000:8100 -j REJECT --reject-with tcp-reset
ip netns exec fwr iptables -A udpchk -p udp --dport 53 -j REJECT --reject-with icmp-net-unreachable
ip netns exec fwr iptables -A udpchk -p udp ! --dport 1000:2000 -j REJECT
ip netns exec fwr iptables -I FORWARD 1 -p tcp --dport 9 -j DROP
ip netns exec fwh1 ping -c 3 -i 0.1 -W 1 10.2.0.1 | grep -c 'bytes from'
ip netns exec fwh1 nc -w 1 10.2.0.1 8080 </dev/null; echo "rc=$?"
echo x | ip netns exec fwh1 nc -u -w 1 10.2.0.1 53; echo "rc=$?"
echo x | ip netns exec fwh1 nc -u -w 1 10.2.0.1 7; echo "rc=$?"
echo x | ip netns exec fwh1 nc -u -w 1 10.2.0.1 1500; echo "rc=$?"
ip netns exec fwh1 nstat -as | grep -E '^Icmp|^TcpAttemptFails|^TcpInSegs|^Udp'
ip netns exec fwr nstat -as | grep -E '^IpForwDatagrams|^IpOut|^IcmpOut'
ip netns exec fwr iptables -L -v -n -x --line-numbers
ip netns exec fwr iptables -L FORWARD -v
ip netns exec fwr iptables-save -c | grep -v '^#'
ip netns exec fwr iptables -D FORWARD 1
ip netns exec fwr iptables -D out2 -p icmp -m iprange --src-range 10.1.0.1-10.1.0.5 -j ACCEPT
ip netns exec fwr iptables -F udpchk
ip netns exec fwr iptables -X udpchk; echo "rc=$?"
ip netns exec fwr iptables -S
ip netns del fwh1
ip netns del fwr
ip netns del fwh2
