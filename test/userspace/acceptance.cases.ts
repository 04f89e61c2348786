// Option forms getopt takes — clustered flags, attached values, abbreviated
// long options, operands before options — and forms the tools refuse, for
// the tools a scenario uses most. Each runs on Linux in a fresh network
// namespace with lo up (acceptance.record.ts records exit status and output)
// and in skbpath the same way (acceptance.test.ts).
export const ACCEPTANCE: string[] = [
  // ping (iputils 20221126: getopt)
  'ping -c1 -W1 -s1400 -i0.2 127.0.0.1',
  'ping -qc1 127.0.0.1',
  'ping 127.0.0.1 -c1 -q',
  'ping -c 1 -nq -t64 127.0.0.1',
  'ping -c',
  'ping -x 127.0.0.1',
  'ping -c0 127.0.0.1',
  'ping -c1 -i0.2 -- 127.0.0.1',
  'ping -c1 -s 65508 127.0.0.1',
  'ping -c1 -s 70000 -W1 127.0.0.1',
  // tcpdump (4.99.3: getopt_long)
  'tcpdump -nnvvXc5 -ilo -d icmp',
  'tcpdump -dilo udp port 53',
  'tcpdump --interface=lo -dd tcp',
  'tcpdump --interf lo -d ip',
  'tcpdump -i',
  'tcpdump --bogus',
  'tcpdump -ilo -d -Q in ip',
  'tcpdump -ilo -y EN10MB -d arp',
  // ss (iproute2 6.1: getopt_long)
  'ss -tanp',
  'ss -tln',
  'ss --tcp --all --numeric',
  'ss --numer -ta',
  'ss -tn sport = :7001',
  'ss -Y',
  // traceroute (2.1.2: its own CLIF parser)
  'traceroute -nq1 -m1 127.0.0.1',
  'traceroute -n -q 1 -w1 -m 1 127.0.0.1',
  'traceroute -q',
  'traceroute -Y 127.0.0.1',
  // nc (OpenBSD netcat, Debian: getopt)
  'nc -zv 127.0.0.1 1',
  'nc -zvw1 127.0.0.1 1',
  'nc -uzw1 127.0.0.1 1; echo "rc=$?"',
  'nc -q',
  'nc -Y 127.0.0.1 1',
  // ip (iproute2 6.1: its own matches())
  'ip -br link',
  'ip -brief link show',
  'ip -s -s link show lo',
  'ip -4 -o addr',
  'ip li sh',
  'ip -x',
  'ip link shw',
  // iptables (1.8.9 nft: getopt_long with the extensions' options)
  'iptables -nvL',
  'iptables --list --numeric INPUT',
  'iptables --lis',
  'iptables -AINPUT -ptcp --dport 22 -jACCEPT && iptables -S',
  'iptables --d',
  'iptables -A INPUT --dport 22 -j ACCEPT',
  'iptables -t filter -nL INPUT --line-numbers',
];
