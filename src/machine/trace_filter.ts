// The oracle recorder's selection of trace events (record.py filter_trace).
import type { TraceEvent } from '../kernel/trace/tracer.ts';

/**
 * The recorder's filter: events on the scenario's devices, and drops of IPv4
 * or ARP skbs (and IPv6 ones, when `v6`: a namespace held an IPv6 address
 * other than ::1 as traffic began) last seen on one of them (or never seen on a device).
 */
export function filterTrace(events: readonly TraceEvent[], devices: Set<string>, comms: Set<string>, v6 = false): string {
  const keep: string[] = [];
  const proto = v6 ? /protocol=(2048|2054|34525) / : /protocol=(2048|2054) /;
  const lastDev = new Map<string, string>();
  for (const e of events) {
    // the recorder does not enable the qdisc tracepoints (qdisc_create/reset/destroy name a dev= too)
    if (e.event.startsWith('qdisc_')) continue;
    // nor fib6:fib6_table_lookup
    if (e.event === 'fib6_table_lookup') continue;
    const dev = /\bdev[= ](\S+)/.exec(e.body);
    const skb = /skbaddr=(\S+)/.exec(e.body);
    if (dev && skb) lastDev.set(skb[1] as string, dev[1] as string);
    if (dev && devices.has(dev[1] as string)) keep.push(`${e.event}: ${e.body}`);
    else if (e.event === 'kfree_skb' && skb && proto.test(e.body)) {
      const seen = lastDev.get(skb[1] as string);
      lastDev.delete(skb[1] as string);
      if (seen === undefined || devices.has(seen) || comms.has(e.comm)) keep.push(`${e.event}: ${e.body}`);
    } else if (
      (e.event === 'tcp_send_reset' || e.event === 'tcp_receive_reset' || e.event === 'inet_sock_set_state') &&
      (comms.has(e.comm) || e.softirq)
    ) {
      keep.push(`${e.event}: ${e.body}`);
    }
  }
  return keep.length ? `${keep.join('\n')}\n` : '';
}
