// `ip link add … type vxlan …` command lines (iproute2 6.1 on Linux 6.18),
// each run after SETUP in a fresh namespace vxlant (lo, and veth vt0 with its
// peer vt1, 10.9.0.1/24). A line that creates vx9 shows it with -d.
export const SETUP = `ip netns add vxlant
ip -n vxlant link add vt0 address 02:00:00:00:09:01 type veth peer name vt1 address 02:00:00:00:09:02
ip -n vxlant addr add 10.9.0.1/24 dev vt0
`;

export const CLEANUP = 'ip netns del vxlant\n';

const ADD = 'ip -n vxlant link add vx9 address 02:00:00:00:99:99 type vxlan';
const SHOW = 'ip -n vxlant -d link show vx9';

export const IPLINK_VXLAN_CASES: readonly string[] = [
  `${ADD} id 7 dstport 4789 && ${SHOW}`,
  `${ADD} id 7 && ${SHOW}`,
  `${ADD} id 7 dstport 0 && ${SHOW}`,
  `${ADD} vni 0x10 dstport 4789 remote 10.9.0.2 local 10.9.0.1 dev vt0 ttl 9 tos 0x20 df set ageing 60 maxaddress 5 && ${SHOW}`,
  `${ADD} id 7 dstport 4789 dev vt1 nolearning noudpcsum ttl inherit tos inherit df inherit srcport 5000 5010 && ${SHOW}`,
  `ip -n vxlant link add vx9 address 02:00:00:00:99:99 mtu 1400 type vxlan id 7 dstport 4789 remote 10.9.0.2 dev vt0 && ${SHOW}`,
  `ip -n vxlant link add vx9 mtu 1460 type vxlan id 7 dstport 4789 remote 10.9.0.2 dev vt0`,
  `${ADD} id 7 dstport 4789 remote 10.9.0.2 dev vt0 mtu 1460`,
  `${ADD} id 7 dstport 4789 ageing none && ${SHOW}`,
  `${ADD} id 7 dstport 4789 local any && ${SHOW}`,
  `${ADD} id`,
  `${ADD} id abc`,
  `${ADD} id 1 id 2`,
  `${ADD} id 1 dstport 70000`,
  `${ADD} id 1 dstport 4789 ttl 300`,
  `${ADD} id 1 dstport 4789 ttl x`,
  `${ADD} id 1 dstport 4789 tos zz`,
  `${ADD} id 1 dstport 4789 df maybe`,
  `${ADD} id 1 dstport 4789 srcport 10`,
  `${ADD} id 1 dstport 4789 srcport 20 10`,
  `${ADD} id 1 dstport 4789 srcport x 10`,
  `${ADD} id 1 dstport 4789 dev nosuch`,
  `${ADD} id 1 dstport 4789 bogus`,
  `${ADD} id 1 dstport 4789 help`,
  `${ADD} id 1 dstport 4789 remote 239.1.1.1`,
  `${ADD} id 1 dstport 4789 local 239.1.1.1`,
  `${ADD} id 1 dstport 4789 remote 10.9.0.2 remote 10.9.0.3`,
  `${ADD} id 1 dstport 4789 remote 10.9.0.2 group 239.1.1.1`,
  `${ADD} id 1 dstport 4789 flowlabel 5`,
  `${ADD} id 1 dstport 4789 maxaddress x`,
  `${ADD} id 1 dstport 4789 ageing x`,
  `${ADD} id 1 dstport 4789 learning nolearning`,
  `${ADD} dstport 4789 remote 10.9.0.2`,
  `${ADD} id 1 dstport 4789 && ${ADD} id 1 dstport 4789`,
  `ip -n vxlant link add vx8 type vxlan id 1 dstport 4789 && ip -n vxlant link add vx9 type vxlan id 1 dstport 4789`,
  `ip -n vxlant link add vx8 type vxlan id 1 dstport 4789 && ${ADD} id 1 dstport 4790 && ${SHOW}`,
  `ip -n vxlant link add vx8 type vxlan id 1 dstport 4789 && ${ADD} id 1 dstport 4789 local 10.9.0.1`,
];
