// net/core/net-procfs.c: /proc/net/dev of a namespace, one line per device in
// for_each_netdev order, from dev_get_stats() (a driver's private drops count
// as tx_dropped, as `ip -s link` shows them).
import type { Net } from '../net_namespace.ts';
import { dev_get_stats, type PacketType } from './netdevice.ts';

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

/** dev_seq_show() */
export function dev_seq_show(net: Net): string {
  let s = HEADER;
  const w = (n: number, width: number): string => String(n).padStart(width);
  for (const dev of net.devices) {
    const st = dev_get_stats(dev);
    // dev_seq_printf_stats()
    s +=
      `${dev.name.padStart(6)}:${w(st.rx_bytes, 8)} ${w(st.rx_packets, 7)} ${w(st.rx_errors, 4)} ${w(st.rx_dropped + st.rx_missed_errors, 4)} ${w(0, 4)} ` +
      `${w(st.rx_length_errors, 5)} ${w(0, 10)} ${w(st.multicast, 9)} ${w(st.tx_bytes, 8)} ${w(st.tx_packets, 7)} ${w(st.tx_errors, 4)} ` +
      `${w(st.tx_dropped, 4)} ${w(0, 4)} ${w(st.collisions, 5)} ${w(st.tx_carrier_errors, 7)} ${w(0, 10)}\n`;
  }
  return s;
}

const ETH_P_ALL = 0x0003;
const PTYPE_HASH_MASK = 15;

/** The packet_types /proc/net/ptype walks (ptype_get_idx): each device's taps, the namespace's, then ptype_base bucket by bucket. */
function ptype_walk(net: Net): PacketType[] {
  // dev_add_pack() adds at the head of each list: the newest comes first
  const out: PacketType[] = [];
  for (const dev of net.devices) out.push(...[...dev.ptypeAll].reverse());
  out.push(...[...net.ptypeAll].reverse());
  const base = [...net.kernel.ptypeBase.values()].flat();
  for (let t = 0; t <= PTYPE_HASH_MASK; t++) out.push(...base.filter((pt) => (pt.type & PTYPE_HASH_MASK) === t).reverse());
  return out;
}

/** ptype_seq_show(): a hook of another namespace's packet socket or device is left out. */
export function ptype_seq_show(net: Net): string {
  let s = 'Type Device      Function\n';
  for (const pt of ptype_walk(net)) {
    if (pt.af_packet_net && pt.af_packet_net !== net) continue;
    if (pt.dev && pt.dev.net !== net) continue;
    const type = pt.type === ETH_P_ALL ? 'ALL ' : pt.type.toString(16).padStart(4, '0');
    s += `${type} ${(pt.dev ? pt.dev.name : '').padEnd(8)} ${pt.sym ?? pt.func.name}\n`;
  }
  return s;
}
