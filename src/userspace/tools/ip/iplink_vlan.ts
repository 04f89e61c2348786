// ip/iplink_vlan.c (iproute2 6.1): the options of `ip link add … type vlan`
// (vlan_parse_opt → IFLA_VLAN_*) and what `ip -d link` prints of a VLAN
// device (vlan_print_opt).
import type { IflaInfoData, IflaVlanQosMapping, LinkMsg } from '../../../kernel/uapi/rtnetlink.ts';
import { getUnsigned, type Ip, matches } from './common.ts';

const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;

const VLAN_FLAGS: [string, number][] = [
  ['REORDER_HDR', 0x1],
  ['GVRP', 0x2],
  ['MVRP', 0x8],
  ['LOOSE_BINDING', 0x4],
  ['BRIDGE_BINDING', 0x10],
];

const EXPLAIN = `Usage: ... vlan id VLANID
		[ protocol VLANPROTO ]
		[ reorder_hdr { on | off } ]
		[ gvrp { on | off } ]
		[ mvrp { on | off } ]
		[ loose_binding { on | off } ]
		[ bridge_binding { on | off } ]
		[ ingress-qos-map QOS-MAP ]
		[ egress-qos-map QOS-MAP ]

VLANID := 0-4095
VLANPROTO: [ 802.1Q | 802.1ad ]
QOS-MAP := [ QOS-MAP ] QOS-MAPPING
QOS-MAPPING := FROM:TO
`;

/** lib/ll_proto.c's names of the two VLAN protocols (ll_proto_a2n / ll_proto_n2a). */
const PROTO_NAMES: [string, number][] = [
  ['802.1Q', ETH_P_8021Q],
  ['802.1ad', ETH_P_8021AD],
];

/** ll_proto_a2n(): a name (any case) or a number (get_be16, base 0). */
function protoA2n(s: string): number | null {
  for (const [n, v] of PROTO_NAMES) if (n.toLowerCase() === s.toLowerCase()) return v;
  const v = getUnsigned(s);
  return v !== null && v <= 0xffff ? v : null;
}

function protoN2a(id: number): string {
  for (const [n, v] of PROTO_NAMES) if (v === id) return n;
  return `[${id}]`;
}

/** vlan_parse_opt(): IFLA_VLAN_* from the arguments after `type vlan`; null after a message (exit 1). */
export function vlanParseOpt(ip: Ip, argv: readonly string[]): IflaInfoData | null {
  const d: IflaInfoData = {};
  const flags = { flags: 0, mask: 0 };
  let i = 0;
  const next = (): string => {
    i++;
    if (i >= argv.length) ip.incomplete();
    return argv[i] as string;
  };
  /** parse_mapping() with parse_qos_mapping(): FROM:TO words until one without a colon */
  const qosMap = (what: string): IflaVlanQosMapping[] => {
    const maps: IflaVlanQosMapping[] = [];
    for (; i < argv.length; i++) {
      const w = argv[i] as string;
      const colon = w.indexOf(':');
      if (colon < 0) break;
      const from = getUnsigned(w.slice(0, colon));
      const to = getUnsigned(w.slice(colon + 1));
      if (from === null || to === null) ip.invarg(`invalid ${what}`, w.slice(0, colon));
      maps.push({ from, to });
    }
    return maps;
  };
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    const onOff = (name: string, bit: number): boolean => {
      const v = next();
      flags.mask |= bit;
      if (v === 'on') flags.flags |= bit;
      else if (v === 'off') flags.flags &= ~bit;
      else {
        ip.err(`Error: argument of "${name}" must be "on" or "off", not "${v}"\n`);
        return false;
      }
      return true;
    };
    if (matches(a, 'protocol')) {
      const v = next();
      const p = protoA2n(v);
      if (p === null) ip.invarg('protocol is invalid', v);
      d.IFLA_VLAN_PROTOCOL = p;
    } else if (matches(a, 'id')) {
      const v = next();
      const id = getUnsigned(v);
      if (id === null || id > 0xffff) ip.invarg('id is invalid', v);
      d.IFLA_VLAN_ID = id;
    } else if (matches(a, 'reorder_hdr')) {
      if (!onOff('reorder_hdr', 0x1)) return null;
    } else if (matches(a, 'gvrp')) {
      if (!onOff('gvrp', 0x2)) return null;
    } else if (matches(a, 'mvrp')) {
      if (!onOff('mvrp', 0x8)) return null;
    } else if (matches(a, 'loose_binding')) {
      if (!onOff('loose_binding', 0x4)) return null;
    } else if (matches(a, 'bridge_binding')) {
      if (!onOff('bridge_binding', 0x10)) return null;
    } else if (matches(a, 'ingress-qos-map')) {
      next();
      d.IFLA_VLAN_INGRESS_QOS = [...(d.IFLA_VLAN_INGRESS_QOS ?? []), ...qosMap('ingress-qos-map')];
      i--;
    } else if (matches(a, 'egress-qos-map')) {
      next();
      d.IFLA_VLAN_EGRESS_QOS = [...(d.IFLA_VLAN_EGRESS_QOS ?? []), ...qosMap('egress-qos-map')];
      i--;
    } else if (matches(a, 'help')) {
      ip.err(EXPLAIN);
      return null;
    } else {
      ip.err(`vlan: unknown command "${a}"?\n${EXPLAIN}`);
      return null;
    }
  }
  if (flags.mask) d.IFLA_VLAN_FLAGS = flags;
  return d;
}

/** vlan_print_opt() */
export function vlanDetails(m: LinkMsg, SL: string): string {
  const li = m.attrs.IFLA_LINKINFO;
  if (li?.IFLA_INFO_KIND !== 'vlan' || !li.IFLA_INFO_DATA) return '';
  const d = li.IFLA_INFO_DATA;
  if (d.IFLA_VLAN_ID === undefined) return '';
  let s = `protocol ${d.IFLA_VLAN_PROTOCOL !== undefined ? protoN2a(d.IFLA_VLAN_PROTOCOL) : '802.1q'} id ${d.IFLA_VLAN_ID} `;
  if (d.IFLA_VLAN_FLAGS) {
    // vlan_print_flags(): "<A,B>" then the bits it has no name for in hex
    let f = d.IFLA_VLAN_FLAGS.flags;
    s += '<';
    for (const [name, bit] of VLAN_FLAGS) {
      if (!(f & bit)) continue;
      f &= ~bit;
      s += f ? `${name},` : name;
    }
    if (f) s += f.toString(16);
    s += '> ';
  }
  const map = (name: string, ms: IflaVlanQosMapping[]): string => `${SL}      ${name} { ${ms.map((x) => `${x.from}:${x.to} `).join('')}} `;
  if (d.IFLA_VLAN_INGRESS_QOS) s += map('ingress-qos-map', d.IFLA_VLAN_INGRESS_QOS);
  if (d.IFLA_VLAN_EGRESS_QOS) s += map('egress-qos-map', d.IFLA_VLAN_EGRESS_QOS);
  return s;
}
