// Command lines for arping (iputils 20221126), each run after SETUP in a
// fresh pair of namespaces: n21ta (va, 10.0.0.1/24) and n21tb (vb, 10.0.0.2/24).
export const SETUP = `ip netns add n21ta
ip netns add n21tb
ip link add va netns n21ta address 02:00:00:00:00:0a type veth peer name vb netns n21tb address 02:00:00:00:00:0b
ip -n n21ta addr add 10.0.0.1/24 dev va
ip -n n21tb addr add 10.0.0.2/24 dev vb
ip -n n21ta link set lo up
ip -n n21ta link set va up
ip -n n21tb link set vb up
sleep 1
`;

export const CLEANUP = 'ip netns del n21ta\nip netns del n21tb\n';

const A = 'ip netns exec n21ta arping';

export const ARPING_CASES: readonly string[] = [
  `${A} -c 1 -I va 10.0.0.2`,
  `${A} -c 3 -I va 10.0.0.2`,
  `${A} -c 2 -b -I va 10.0.0.2`,
  `${A} -c 1 10.0.0.2`,
  `${A} -c 1 -I va 10.0.0.9`,
  `${A} -D -c 2 -I va 10.0.0.2`,
  `${A} -D -c 1 -I va 10.0.0.7`,
  `${A} -D -q -c 1 -I va 10.0.0.2`,
  `${A} -U -c 2 -I va 10.0.0.1`,
  `${A} -A -c 1 -I va 10.0.0.1`,
  `${A} -c 1 -s 10.0.0.1 -I va 10.0.0.2`,
  `${A} -c 1 -s 10.0.0.77 -I va 10.0.0.2`,
  `${A} -c 1 -s bogus -I va 10.0.0.2`,
  `${A} -c 1 -w 5 -I va 10.0.0.2`,
  `${A} -w 1 -i 3 -I va 10.0.0.9`,
  `${A} -f -I va 10.0.0.2`,
  `${A} -q -c 1 -I va 10.0.0.9`,
  `${A} -i 0 -c 2 -w 1 -I va 10.0.0.9`,
  `${A} -c 0 -I va 10.0.0.2`,
  `${A} -c abc -I va 10.0.0.2`,
  `${A} -c 99999999999999999999 -I va 10.0.0.2`,
  `${A} -w -1 -I va 10.0.0.2`,
  `${A} -i x -I va 10.0.0.2`,
  `${A}`,
  `${A} -I va 10.0.0.2 10.0.0.3`,
  `${A} -Z 10.0.0.2`,
  `${A} -c`,
  `${A} -V`,
  `${A} -h`,
  `${A} -I nosuch 10.0.0.2`,
  `${A} -I lo 10.0.0.2`,
  `${A} -D -I lo 10.0.0.2`,
  `ip -n n21ta link set va down; ${A} -I va 10.0.0.2`,
  `${A} -c 1 192.0.2.1`,
  `ip netns exec n21tb sysctl -qw net.ipv4.conf.vb.arp_accept=1; ${A} -U -c 1 -I va 10.0.0.1; ip -n n21tb neigh show`,
  `ip netns exec n21tb ping -q -c 1 10.0.0.1 >/dev/null; ip -n n21ta link set va address 02:00:00:00:00:aa; ${A} -U -c 1 -I va 10.0.0.1; ip -n n21tb neigh show`,
  `ip netns exec n21tb ping -q -c 1 10.0.0.1 >/dev/null; ip -n n21ta link set va address 02:00:00:00:00:aa; ${A} -A -c 1 -I va 10.0.0.1; ip -n n21tb neigh show`,
  `timeout -s INT 2.5 ${A} -I va 10.0.0.2; echo "rc=$?"`,
  `timeout -s TERM 1.5 ${A} -D -I va 10.0.0.7; echo "rc=$?"`,
];
