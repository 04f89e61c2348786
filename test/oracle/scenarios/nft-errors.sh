# The nft errors people meet most: messages, caret lines and exit codes.
ip netns add nftb
ip netns exec nftb sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n nftb link set lo up
n() { ip netns exec nftb nft "$@"; echo "rc=$?"; }
n add rule inet filter input tcp dport 22 accept
n list table inet filter
n add table inet filter
n add chain inet filter input '{ type filter hook input priority 0 }'
n add chain inet filter input '{ type filter hook input priority 0; policy drop }'
n add chain inet filter input '{ type filter hook input priority 0; policy accept; }'
n add rule inet filter input tcp dport 70000 accept
n add rule inet filter input tcp dport nosuchservice accept
n add rule inet filter input ip saddr 10.0.0.300 accept
n add rule inet filter input ct state establish accept
n add rule inet filter input jump nosuch
n add rule inet filter input accept drop
n add rule inet filter input counter accept counter
n add rule inet filter input masquerade
n add rule inet filter input tcp dport 22 acept
n add set inet filter blocked '{ type ipv4_addr; }'
n add element inet filter blocked '{ 10.0.0.0/24 }'
n add element inet filter nosuchset '{ 10.0.0.1 }'
n add rule inet filter input ip saddr @nosuchset drop
n add rule inet filter input tcp dport 22 accept
n add chain inet filter other
n add rule inet filter input jump other
n delete chain inet filter other
n delete chain inet filter input
n create table inet filter
n delete rule inet filter input handle 42
n delete table ip nosuch
n add map inet filter fwd '{ type inet_service : ipv4_addr; }'
n list ruleset extra
n -f missing.nft
printf 'table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\tip saddr 1.2.3.4 acccept\n\t}\n}\n' > bad.nft
n -f bad.nft
printf 'table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n' > truncated.nft
n -f truncated.nft
n -c -f bad.nft
n list ruleset
# @traffic
ip netns exec nftb ping -c 1 127.0.0.1 > /dev/null; echo "rc=$?"
n list counters
