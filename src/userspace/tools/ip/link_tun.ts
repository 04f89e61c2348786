// ip/iptuntap.c's tun_print_opt(): what `ip -d link` prints for a tun/tap
// device (IFLA_INFO_DATA: IFLA_TUN_*, as tun_fill_info() puts them).
import type { LinkMsg } from '../../../kernel/uapi/rtnetlink.ts';
import { GROUPS, PASSWD } from './iptuntap.ts';

const IFF_TUN = 1;
const IFF_TAP = 2;

function nameOf(db: ReadonlyMap<string, number>, id: number): string | null {
  for (const [n, v] of db) if (v === id) return n;
  return null;
}

/** tun_print_opt() */
export function tunDetails(m: LinkMsg): string {
  const li = m.attrs.IFLA_LINKINFO;
  if (li?.IFLA_INFO_KIND !== 'tun' || !li.IFLA_INFO_DATA) return '';
  const d = li.IFLA_INFO_DATA;
  let s = '';
  if (d.IFLA_TUN_TYPE !== undefined) {
    const t = d.IFLA_TUN_TYPE;
    s += `type ${t === IFF_TUN ? 'tun' : t === IFF_TAP ? 'tap' : `UNKNOWN:${t}`} `;
  }
  const onOff = (v: number): string => (v ? 'on' : 'off');
  if (d.IFLA_TUN_PI !== undefined) s += `pi ${onOff(d.IFLA_TUN_PI)} `;
  if (d.IFLA_TUN_VNET_HDR !== undefined) s += `vnet_hdr ${onOff(d.IFLA_TUN_VNET_HDR)} `;
  // print_mq()
  if (d.IFLA_TUN_MULTI_QUEUE) {
    s += 'multi_queue ';
    if (d.IFLA_TUN_NUM_QUEUES !== undefined) s += `numqueues ${d.IFLA_TUN_NUM_QUEUES} `;
    if (d.IFLA_TUN_NUM_DISABLED_QUEUES !== undefined) s += `numdisabled ${d.IFLA_TUN_NUM_DISABLED_QUEUES} `;
  }
  if (d.IFLA_TUN_PERSIST !== undefined) s += `persist ${onOff(d.IFLA_TUN_PERSIST)} `;
  // print_owner()/print_group(): getpwuid()/getgrgid() names, else the number
  if (d.IFLA_TUN_OWNER !== undefined) s += `user ${nameOf(PASSWD, d.IFLA_TUN_OWNER) ?? d.IFLA_TUN_OWNER} `;
  if (d.IFLA_TUN_GROUP !== undefined) s += `group ${nameOf(GROUPS, d.IFLA_TUN_GROUP) ?? d.IFLA_TUN_GROUP} `;
  return s;
}
