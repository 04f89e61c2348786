# nat, raw and mangle rules with the conntrack extensions: -S, -L, -L -n -v, iptables-save, errors
ip netns add zznat
I="ip netns exec zznat iptables"
$I -t nat -A PREROUTING -i ra -p tcp --dport 8080 -j DNAT --to-destination 10.0.2.10:80
$I -t nat -A PREROUTING -p udp -j DNAT --to-destination 10.0.2.10-10.0.2.20:1000-2000 --random --persistent
$I -t nat -A PREROUTING -p tcp -j DNAT --to-destination :99
$I -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080
$I -t nat -A PREROUTING -p tcp --dport 82 -j REDIRECT
$I -t nat -A POSTROUTING -o rb -j MASQUERADE
$I -t nat -A POSTROUTING -o rb -p tcp -j MASQUERADE --to-ports 2000-3000 --random-fully
$I -t nat -A POSTROUTING -s 10.0.1.0/24 -p udp -j SNAT --to-source 10.0.2.1-10.0.2.5:1024-2048 --random-fully
$I -t nat -A OUTPUT -d 1.2.3.4 -j DNAT --to-destination 127.0.0.1
$I -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
$I -A INPUT -m conntrack ! --ctstate NEW,UNTRACKED,SNAT,DNAT -j DROP
$I -A INPUT -m conntrack --ctstatus ASSURED,SEEN_REPLY -j ACCEPT
$I -A INPUT -m conntrack --ctproto tcp --ctorigsrc 10.0.0.0/8 --ctrepldst 9.9.9.0/24 -j ACCEPT
$I -A INPUT -m conntrack --ctorigdstport 20:30 --ctdir REPLY -j ACCEPT
$I -A INPUT -m state ! --state ESTABLISHED,RELATED,INVALID,UNTRACKED -j ACCEPT
$I -A INPUT -m connmark ! --mark 0x1/0xf -j ACCEPT
$I -t mangle -A PREROUTING -j CONNMARK --restore-mark
$I -t mangle -A PREROUTING -j CONNMARK --set-mark 0x5/0xff
$I -t mangle -A PREROUTING -j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xf0
$I -t mangle -A PREROUTING -j CONNMARK --save-mark --mask 0xff
$I -t mangle -A PREROUTING -j CONNMARK --and-mark 0xf
$I -t raw -A PREROUTING -p udp -j CT --notrack
$I -t raw -A PREROUTING -p icmp -j NOTRACK
$I -t raw -A OUTPUT -j CT --zone 5
for t in nat filter mangle raw; do $I -t $t -S; $I -t $t -L -n -v; $I -t $t -L; done
ip netns exec zznat iptables-save | grep -v '^#'
$I -t nat -A INPUT -j DNAT --to-destination 1.2.3.4; echo rc=$?
$I -t nat -A PREROUTING -j MASQUERADE; echo rc=$?
$I -t nat -A POSTROUTING -j SNAT; echo rc=$?
$I -t nat -A POSTROUTING -j SNAT --to-source 1.2.3; echo rc=$?
$I -t nat -A PREROUTING -j DNAT --to-destination 1.2.3.4:80; echo rc=$?
$I -A INPUT -m conntrack --ctstate FOO -j ACCEPT; echo rc=$?
$I -A INPUT -m conntrack -j ACCEPT; echo rc=$?
$I -A INPUT -m state -j ACCEPT; echo rc=$?
$I -t filter -A INPUT -j CT --notrack; echo rc=$?
$I -t nat -A POSTROUTING -j DROP; echo rc=$?
$I -A INPUT -j CONNMARK; echo rc=$?
$I -t nat -N X; $I -t nat -A X -p tcp -j DNAT --to-destination 1.2.3.4; echo rc=$?
$I -t nat -A POSTROUTING -j X; echo rc=$?
$I -t nat -A PREROUTING -j X; echo rc=$?
$I -t nat -N Y; $I -t nat -A POSTROUTING -j Y; echo rc=$?
$I -t nat -A Y -j DNAT --to-destination 1.2.3.4; echo rc=$?
$I -t nat -S | tail -4
ip netns del zznat
