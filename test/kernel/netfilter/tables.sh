ip netns add cap2
X="ip netns exec cap2"
for c in "-t mangle -L -n" "-t raw -A PREROUTING -p udp -j DROP" "-t raw -S" "-t security -L" "-t mangle -A POSTROUTING -j MARK --set-mark 1" "-t mangle -A INPUT -j REJECT" "-t raw -A OUTPUT -j LOG" "-A INPUT -p tcp -j ACCEPT" "-t raw -L -v -n" ; do echo "### $c"; $X iptables $c; echo "rc=$?"; done 2>&1
$X iptables-save | grep -v '^#'
ip netns del cap2
