ip netns add rsa
printf '%s\n' '# a comment' '*filter' ':INPUT DROP [5:300]' ':FORWARD ACCEPT [0:0]' ':OUTPUT ACCEPT [0:0]' ':web - [0:0]' '[7:420] -A INPUT -p tcp -m tcp --dport 80 -j web' '-A INPUT -i lo -j ACCEPT' '-A web -m comment --comment "port 80" -j ACCEPT' 'COMMIT' > rules.txt
ip netns exec rsa iptables-restore < rules.txt; echo "rc=$?"
ip netns exec rsa iptables-save | grep -v '^#'
ip netns exec rsa iptables-restore -c < rules.txt; echo "rc=$?"
ip netns exec rsa iptables-save -c | grep -v '^#'
printf '%s\n' '*filter' '-A OUTPUT -j ACCEPT' 'COMMIT' > more.txt
ip netns exec rsa iptables-restore -n < more.txt; echo "rc=$?"
ip netns exec rsa iptables -S
printf '%s\n' '*filter' '-A OUTPUT -j ACCEPT' '-A OUTPUT -j NOPE' 'COMMIT' > bad.txt
ip netns exec rsa iptables-restore < bad.txt; echo "rc=$?"
ip netns exec rsa iptables -S
ip netns exec rsa iptables-restore < more.txt; echo "rc=$?"
ip netns exec rsa iptables -S
ip netns exec rsa iptables-restore rules.txt; echo "rc=$?"
ip netns exec rsa iptables -L -v
ip netns del rsa
