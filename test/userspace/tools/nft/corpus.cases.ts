// The rule forms the nft round-trip test checks: each rule is loaded by the
// real nft 1.0.6 with `nft -f` inside a table of the family given, then
// `nft list ruleset` and `nft --debug=netlink list ruleset` are recorded
// (corpus.record.ts); the simulated nft must print the same.

/** [family, rule] — the rule goes into `chain c` (filter input) of `table <family> t`, next to an empty `chain foo`. */
export const RULES: [string, string][] = [
  ['ip', 'tcp dport 22'],
  ['ip', 'tcp dport 22 accept'],
  ['ip', 'tcp sport 1024-65535 drop'],
  ['ip', 'tcp dport ssh'],
  ['ip', 'tcp dport { ssh, http, https }'],
  ['ip', 'tcp dport != 22'],
  ['ip', 'tcp dport != { 22, 80 }'],
  ['ip', 'tcp dport > 1024'],
  ['ip', 'tcp dport < 1024'],
  ['ip', 'tcp dport >= 1024'],
  ['ip', 'tcp dport <= 1024'],
  ['ip', 'tcp dport 1-1024 accept'],
  ['ip', 'tcp dport != 1-1024'],
  ['ip', 'tcp flags syn'],
  ['ip', 'tcp flags & (syn|ack) == syn'],
  ['ip', 'tcp flags & (fin|syn|rst|ack) == syn'],
  ['ip', 'tcp flags syn / syn,ack'],
  ['ip', 'udp dport 53 accept'],
  ['ip', 'udp sport 67 udp dport 68'],
  ['ip', 'udp dport { 53, 123 } accept'],
  ['ip', 'th dport 53'],
  ['ip', 'th sport 1000'],
  ['ip', 'ip saddr 10.1.2.3'],
  ['ip', 'ip saddr 10.0.0.0/8'],
  ['ip', 'ip saddr 10.1.0.0/16 accept'],
  ['ip', 'ip saddr 10.1.2.0/24'],
  ['ip', 'ip saddr 10.1.2.0/25'],
  ['ip', 'ip daddr != 10.0.0.0/8'],
  ['ip', 'ip daddr 192.168.1.1 drop'],
  ['ip', 'ip saddr 10.0.0.1-10.0.0.9'],
  ['ip', 'ip saddr { 10.0.0.1, 10.0.0.2 }'],
  ['ip', 'ip saddr { 10.0.0.0/8, 192.168.0.0/16 }'],
  ['ip', 'ip saddr { 10.0.0.1-10.0.0.9, 10.0.1.1 }'],
  ['ip', 'ip protocol 6'],
  ['ip', 'ip protocol tcp'],
  ['ip', 'ip protocol icmp drop'],
  ['ip', 'ip protocol { tcp, udp }'],
  ['ip', 'ip ttl > 3'],
  ['ip', 'ip ttl 64'],
  ['ip', 'ip length 100-200'],
  ['ip', 'ip dscp 0x2e'],
  ['ip', 'ip dscp cs1'],
  ['ip', 'ip id 1234'],
  ['ip', 'ip saddr 10.0.0.1 ip daddr 10.0.0.2 tcp dport 80 accept'],
  ['ip', 'ip saddr . tcp dport { 10.0.0.1 . 22, 10.0.0.2 . 80 }'],
  ['ip', 'ip saddr . ip daddr { 10.0.0.1 . 10.0.0.2 }'],
  ['ip', 'icmp type echo-request'],
  ['ip', 'icmp type echo-request accept'],
  ['ip', 'icmp type { echo-request, echo-reply }'],
  ['ip', 'icmp type 8'],
  ['ip', 'icmp type destination-unreachable'],
  ['ip', 'icmp code 3'],
  ['ip', 'ct state established,related accept'],
  ['ip', 'ct state new,established'],
  ['ip', 'ct state invalid drop'],
  ['ip', 'ct state new'],
  ['ip', 'ct state != established'],
  ['ip', 'ct state { established, related } accept'],
  ['ip', 'ct mark 1'],
  ['ip', 'ct mark set 5'],
  ['ip', 'ct status dnat'],
  ['ip', 'ct status snat'],
  ['ip', 'ct direction original'],
  ['ip', 'ct zone 1'],
  ['ip', 'meta mark 0x10'],
  ['ip', 'mark 0x10'],
  ['ip', 'meta mark set 5'],
  ['ip', 'mark set 5'],
  ['ip', 'meta mark and 0xff == 1'],
  ['ip', 'meta l4proto tcp'],
  ['ip', 'meta l4proto { tcp, udp } th dport 53 accept'],
  ['ip', 'meta protocol ip'],
  ['ip', 'meta nfproto ipv4'],
  ['ip', 'meta iif "lo"'],
  ['ip', 'iif lo accept'],
  ['ip', 'iifname "veth0"'],
  ['ip', 'iifname "veth*"'],
  ['ip', 'iifname { "veth0", "veth1" }'],
  ['ip', 'oifname "eth0" drop'],
  ['ip', 'meta iifname "eth0"'],
  ['ip', 'meta pkttype broadcast'],
  ['ip', 'meta pkttype { broadcast, multicast } drop'],
  ['ip', 'pkttype host'],
  ['ip', 'meta length > 1000'],
  ['ip', 'meta skuid 0'],
  ['ip', 'meta nftrace set 1'],
  ['ip', 'meta priority set 1:2'],
  ['ip', 'ether saddr 00:11:22:33:44:55'],
  ['ip', 'ether type ip'],
  ['ip', 'counter'],
  ['ip', 'counter accept'],
  ['ip', 'counter drop'],
  ['ip', 'tcp dport 22 counter accept'],
  ['ip', 'limit rate 10/second'],
  ['ip', 'limit rate 10/second burst 5 packets'],
  ['ip', 'limit rate 10/second burst 20 packets'],
  ['ip', 'limit rate 400/minute'],
  ['ip', 'limit rate over 10/second drop'],
  ['ip', 'limit rate 1 mbytes/second'],
  ['ip', 'limit rate 1024 kbytes/second burst 10 mbytes'],
  ['ip', 'icmp type echo-request limit rate 10/second burst 5 packets accept'],
  ['ip', 'quota 10 mbytes'],
  ['ip', 'quota over 10 mbytes drop'],
  ['ip', 'quota until 500 kbytes'],
  ['ip', 'log'],
  ['ip', 'log prefix "x: " drop'],
  ['ip', 'log prefix "nft drop: " level warn'],
  ['ip', 'log level info'],
  ['ip', 'log group 2'],
  ['ip', 'accept'],
  ['ip', 'drop'],
  ['ip', 'continue'],
  ['ip', 'return'],
  ['ip', 'jump foo'],
  ['ip', 'goto foo'],
  ['ip', 'tcp dport 22 jump foo'],
  ['ip', 'reject'],
  ['ip', 'reject with tcp reset'],
  ['ip', 'meta l4proto tcp reject with tcp reset'],
  ['ip', 'reject with icmp type host-unreachable'],
  ['ip', 'reject with icmp type port-unreachable'],
  ['ip', 'reject with icmp type admin-prohibited'],
  ['ip', 'reject with icmpx type admin-prohibited'],
  ['ip', 'reject with icmpx type port-unreachable'],
  ['ip', 'tcp dport vmap { 22 : accept, 80 : drop }'],
  ['ip', 'ip saddr vmap { 10.0.0.1 : drop, 10.0.0.0/8 : accept }'],
  ['ip', 'tcp dport vmap { 22 : jump foo }'],
  ['ip', 'fib saddr . iif oif missing drop'],
  ['ip', 'fib daddr type local'],
  ['ip', 'fib daddr type { local, broadcast } accept'],
  ['ip', 'notrack'],
  ['ip', 'comment "hello"'],
  ['ip', 'tcp dport 22 accept comment "ssh"'],
  ['ip', 'numgen inc mod 2'],
  ['ip', 'meta mark set numgen random mod 4'],
  ['ip', 'meta mark set jhash ip saddr mod 4'],
  ['ip', 'meta mark set symhash mod 2'],
  ['ip', 'ip saddr != 127.0.0.0/8 iif "lo" drop'],
  ['inet', 'tcp dport 22'],
  ['inet', 'tcp dport { 22, 80 } accept'],
  ['inet', 'ip saddr 10.0.0.1'],
  ['inet', 'ip saddr 10.0.0.0/8 tcp dport { 22, 80 } accept'],
  ['inet', 'ip6 saddr ::1'],
  ['inet', 'ip6 saddr fe80::/64'],
  ['inet', 'ip6 daddr 2001:db8::1 drop'],
  ['inet', 'ip6 nexthdr tcp'],
  ['inet', 'ip6 hoplimit 1'],
  ['inet', 'icmp type echo-request accept'],
  ['inet', 'icmpv6 type { nd-neighbor-solicit, nd-router-advert } accept'],
  ['inet', 'icmpv6 type echo-request'],
  ['inet', 'meta l4proto icmp'],
  ['inet', 'meta l4proto ipv6-icmp accept'],
  ['inet', 'meta nfproto ipv4'],
  ['inet', 'meta nfproto ipv6'],
  ['inet', 'ct state established,related accept'],
  ['inet', 'iif lo accept'],
  ['inet', 'udp dport 53 accept'],
  ['inet', 'reject'],
  ['inet', 'reject with tcp reset'],
  ['inet', 'reject with icmpx type admin-prohibited'],
  ['inet', 'reject with icmp type host-prohibited'],
  ['inet', 'reject with icmpv6 type admin-prohibited'],
  ['inet', 'meta l4proto tcp reject with tcp reset'],
  ['inet', 'ether saddr 00:11:22:33:44:55'],
  ['inet', 'ip protocol icmp drop'],
  ['inet', 'th dport 53'],
  ['inet', 'meta nftrace set 1'],
  ['inet', 'ip saddr . tcp dport { 10.0.0.1 . 22 }'],
  ['ip6', 'ip6 saddr ::1'],
  ['ip6', 'tcp dport 22'],
  ['ip6', 'icmpv6 type echo-request accept'],
  ['ip6', 'reject'],
  ['ip6', 'reject with icmpv6 type admin-prohibited'],
  ['arp', 'arp operation request'],
  ['arp', 'arp operation reply counter'],
  ['arp', 'arp daddr ip 10.0.0.2 drop'],
  ['arp', 'arp saddr ip 10.0.0.0/24'],
  ['arp', 'arp saddr ether 02:00:00:00:00:01 arp htype 1'],
  ['bridge', 'ip saddr 10.0.0.1'],
  ['bridge', 'ip protocol icmp drop'],
  ['bridge', 'ether type ip ip protocol icmp'],
  ['bridge', 'ether saddr 02:00:00:00:00:01 ip protocol icmp counter drop'],
  ['bridge', 'ether type arp counter'],
  ['bridge', 'iifname "p2" ip saddr 10.0.0.2'],
];

/** Whole rulesets, loaded with `nft -f` and listed. */
export const RULESETS: string[] = [
  `table inet filter {
  set allowed { type inet_service; elements = { 22, 80, 443 } }
  chain input { type filter hook input priority filter; policy drop;
    ct state established,related accept
    iif lo accept
    tcp dport @allowed counter accept
    icmp type echo-request limit rate 10/second burst 5 packets accept
  }
  chain forward { type filter hook forward priority 0; policy drop; }
  chain output { type filter hook output priority 0; }
}
`,
  `table ip nat {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    dnat to tcp dport map { 80 : 10.0.0.2, 8080 : 10.0.0.3 }
    tcp dport 22 dnat to 10.0.0.5
    tcp dport 2222 dnat to 10.0.0.5:22
    tcp dport 8000 redirect to :80
    dnat to numgen inc mod 3 map { 0 : 10.0.1.1, 1 : 10.0.1.2, 2 : 10.0.1.3 }
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "eth0" masquerade
    ip saddr 10.0.0.0/8 snat to 1.2.3.4
    ip saddr 10.1.0.0/16 snat to 1.2.3.4-1.2.3.10
    masquerade random
  }
}
`,
  `table ip t {
  set s4 { type ipv4_addr; }
  set s { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.1.1, 172.16.0.1-172.16.0.9 } }
  set d { type ipv4_addr; flags dynamic,timeout; timeout 1m; size 1024; }
  set c { type ipv4_addr . inet_service; elements = { 10.0.0.1 . 22, 10.0.0.2 . 80 } }
  map m { type inet_service : ipv4_addr; elements = { 80 : 10.0.0.2, 443 : 10.0.0.3 } }
  map v { type ipv4_addr : verdict; elements = { 10.0.0.1 : accept, 10.0.0.2 : drop } }
  counter cnt { }
  quota q { over 100 mbytes }
  chain c {
    type filter hook input priority filter; policy accept;
    ip saddr @s drop
    ip saddr != @s4 accept
    ip saddr . tcp dport @c accept
    ip saddr vmap @v
    update @d { ip saddr }
    add @d { ip saddr timeout 10s }
    tcp dport 22 counter name "cnt"
    quota name "q" drop
  }
}
`,
  `table netdev ingress {
  chain c {
    type filter hook ingress device "lo" priority -500; policy accept;
    ip saddr 10.0.0.1 drop
  }
}
`,
  `table ip t {
  chain a { type filter hook prerouting priority raw; }
  chain b { type filter hook prerouting priority mangle; }
  chain c { type filter hook input priority filter - 1; }
  chain d { type filter hook input priority filter + 5; }
  chain e { type filter hook output priority security; }
  chain f { type nat hook prerouting priority dstnat; }
  chain g { type nat hook postrouting priority srcnat + 1; }
  chain h { type filter hook forward priority -150; }
  chain i { type route hook output priority mangle; }
  chain j { type filter hook input priority 10; policy drop; }
  chain k { }
}
`,
  `define ports = { 22, 80 }
define lan = 10.0.0.0/8
table inet f {
  chain c {
    type filter hook input priority 0
    ip saddr $lan tcp dport $ports accept # ssh and web
    # a comment line
    drop
  }
}
`,
  `table inet t {
  set s { type ipv4_addr; flags interval; auto-merge; elements = { 10.0.0.1, 10.0.0.2, 10.0.0.3 } }
  set big { type inet_service; elements = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35 } }
  set addrs { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5, 10.0.0.6, 10.0.0.7, 10.0.0.8, 10.0.0.9, 10.0.0.10, 10.0.0.11, 10.0.0.12 } }
  set t { typeof ip saddr; }
  set u { typeof tcp dport; elements = { 22 } }
  set n { type ifname; elements = { "eth0", "lo" } }
  set st { type ct_state; elements = { new, established } }
  set mk { type mark; elements = { 1, 0x10 } }
}
`,
  `table ip t {
  chain c {
    type filter hook input priority 0; policy accept;
    tcp dport 22 accept
    tcp dport 80 accept
    tcp dport 443 accept
  }
}
table ip t2 {
}
table ip6 t3 {
  chain c {
  }
}
table arp a {
  chain c { type filter hook input priority 0; }
}
table bridge b {
  chain c { type filter hook forward priority 0; ether type ip drop }
}
`,
  `table inet t {
  chain c {
    type filter hook input priority 0; policy accept;
    meta nftrace set 1
    ip protocol icmp counter drop comment "no ping"
  }
}
`,
  `table netdev n {
  chain c {
    type filter hook ingress device lo priority 0;
    arp operation request
    arp operation reply counter
    arp htype 1
    arp ptype ip
    arp hlen 6
    arp plen 4
    arp saddr ether 02:00:00:00:00:01
    arp daddr ether 02:00:00:00:00:02
    arp saddr ip 10.0.0.1
    arp daddr ip 10.0.0.0/24
    arp operation { request, reply }
    arp htype 1 arp ptype 0x0800
  }
}
table bridge b {
  chain c {
    type filter hook input priority 0;
    arp operation request
    arp operation reply counter
    arp htype 1
    arp ptype ip
    arp hlen 6
    arp plen 4
    arp saddr ether 02:00:00:00:00:01
    arp daddr ether 02:00:00:00:00:02
    arp saddr ip 10.0.0.1
    arp daddr ip 10.0.0.0/24
    arp operation { request, reply }
    arp htype 1 arp ptype 0x0800
  }
}
table arp a {
  chain c {
    type filter hook input priority 0;
    arp operation request
    arp operation reply counter
    arp htype 1
    arp ptype ip
    arp hlen 6
    arp plen 4
    arp saddr ether 02:00:00:00:00:01
    arp daddr ether 02:00:00:00:00:02
    arp saddr ip 10.0.0.1
    arp daddr ip 10.0.0.0/24
    arp operation { request, reply }
    arp htype 1 arp ptype 0x0800
  }
}
`,
];

/** Malformed files: nft's messages, never an exception. */
export const MALFORMED: string[] = [
  'table ip t {\n chain c {\n',
  'table ip t {\n chian c {\n }\n}\n',
  'table ip t {\n chain c {\n  tcp dport 22 acept\n  ip saddr 10.0.0.300 drop\n  tcp dport { 22, 80 accept\n }\n}\n',
  'tabel ip t {\n}\n',
  'table ip t {\n chain c {\n  type filter hook input priority 0\n  policy drop;\n }\n}\n',
  `table ip t {\n${'chain c {\n'.repeat(30)}${'}\n'.repeat(31)}`,
  `table ip t { chain c { tcp dport ${'{ '.repeat(5000)}22${' }'.repeat(5000)} ; } }\n`,
  `table ip t { chain c { tcp dport ${'{ '.repeat(40)}22${' }'.repeat(40)} ; } }\n`,
  'table ip t {\n chain c {\n  type filter hook input priority 0;\n  meta foo bar\n  ct state establised accept\n  tcp dport 99999 accept\n  iifname "this-name-is-far-too-long" drop\n }\n}\n',
  '"unterminated\n',
  'table inet t {\n set s { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.0/8 } }\n}\n',
  'table inet t {\n map m { type ipv4_addr : verdict; elements = { 10.0.0.1 : accept, 10.0.0.1 : drop } }\n}\n',
  '\x01\x02\x03 table\n',
  'table ip t {\n chain c {\n  type filter hook input priority 0;\n  ip saddr . tcp dport { 10.0.0.1 . 22 . 80 } accept\n  jump nowhere\n }\n}\n',
  'table arp t {\n chain c {\n  arp saddr 10.0.0.1\n }\n}\n',
];
