// net/core/net-procfs.c: /proc/net/dev of a namespace, one line per device in
// for_each_netdev order, from dev_get_stats() (a driver's private drops count
// as tx_dropped, as `ip -s link` shows them).
import type { Net } from '../net_namespace.ts';

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

/** dev_seq_show() */
export function dev_seq_show(net: Net): string {
  let s = HEADER;
  const w = (n: number, width: number): string => String(n).padStart(width);
  for (const dev of net.devices) {
    const st = dev.stats;
    // dev_seq_printf_stats()
    s +=
      `${dev.name.padStart(6)}:${w(st.rx_bytes, 8)} ${w(st.rx_packets, 7)} ${w(st.rx_errors, 4)} ${w(st.rx_dropped + st.rx_missed_errors, 4)} ${w(0, 4)} ` +
      `${w(st.rx_length_errors, 5)} ${w(0, 10)} ${w(st.multicast, 9)} ${w(st.tx_bytes, 8)} ${w(st.tx_packets, 7)} ${w(st.tx_errors, 4)} ` +
      `${w(st.tx_dropped + dev.privDropped, 4)} ${w(0, 4)} ${w(st.collisions, 5)} ${w(st.tx_carrier_errors, 7)} ${w(0, 10)}\n`;
  }
  return s;
}
