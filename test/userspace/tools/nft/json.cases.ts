// Rulesets listed with `nft -j` (issue 20): each case is a script run in a fresh
// network namespace with lo up; json.record.ts records what nft 1.0.6 prints,
// json.test.ts runs the same script in skbpath.
const FILTER = `table inet filter {
	set allowed {
		type inet_service
		elements = { 22, 80 }
	}

	chain input {
		type filter hook input priority filter; policy drop;
		iif "lo" accept
		ct state established,related counter accept
		ct state invalid counter drop
		tcp dport @allowed ct state new counter accept
		counter comment "dropped by policy"
	}
}
`;

const NAT = `table ip nat {
	map backends {
		type inet_service : ipv4_addr
		elements = { 8080 : 10.0.2.10, 8081 : 10.0.2.11 }
	}

	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "ra" dnat to tcp dport map @backends
		iifname "ra" ip daddr 10.0.1.1 icmp type echo-request counter dnat to numgen inc mod 3 map { 0 : 10.0.2.10, 1 : 10.0.2.11, 2 : 10.0.2.12 }
	}

	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "rb" counter masquerade
		ip saddr 10.0.3.0/24 snat to 10.0.2.1
	}
}
`;

const STATEMENTS = `table inet t {
	counter hits {
	}

	chain c {
		type filter hook input priority filter - 10; policy accept;
		tcp dport 80 counter reject with tcp reset
		tcp dport 81 counter reject with icmpx type admin-prohibited
		udp dport 5353 counter reject
		icmp type echo-request limit rate 1/second burst 5 packets counter accept
		limit rate over 1 mbytes/second drop
		meta l4proto icmp counter drop
		ip protocol icmp meta nftrace set 1
		meta mark set 0x5 log prefix "nft: " level info
		tcp dport { 22, 1000-2000 } counter name hits
		ip saddr != 10.0.0.0/8 tcp flags syn jump other
		udp dport vmap { 53 : accept, 5000 : drop }
		quota over 100 mbytes drop
	}

	chain other {
		ct mark set 0x1 return
	}
}
`;

const NETDEV = `table netdev edge {
	chain ingress {
		type filter hook ingress device "lo" priority -500; policy accept;
		ether type arp counter
		ip saddr 10.0.0.1 icmp type echo-request counter drop
	}
}
`;

const load = (text: string): string => `nft -f - <<'EOF'\n${text}EOF\necho "rc=$?"\n`;

export const JSON_CASES: { name: string; script: string }[] = [
  { name: 'empty', script: 'nft -j list ruleset\n' },
  { name: 'inet filter', script: `${load(FILTER)}nft -j list ruleset\n` },
  { name: 'nat maps', script: `${load(NAT)}nft -j list ruleset\n` },
  { name: 'statements', script: `${load(STATEMENTS)}nft -j list ruleset\n` },
  { name: 'netdev', script: `${load(NETDEV)}nft -j list ruleset\n` },
  {
    name: 'listings',
    script: `${load(FILTER)}${load(NAT)}nft -j list tables\nnft -j list table ip nat\nnft -j list chain inet filter input\nnft -j list sets\nnft -j list maps\nnft -j list set inet filter allowed\n`,
  },
];
