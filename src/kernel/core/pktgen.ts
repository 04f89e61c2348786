// net/core/pktgen.c: the in-kernel packet generator, driven through
// /proc/net/pktgen (pgctrl, kpktgend_0, one file per device). The kpktgend_0
// thread builds UDP packets (fill_packet_ipv4) and hands them straight to the
// driver (xmit_mode start_xmit: netdev_start_xmit, no qdisc); a stopped queue
// makes it wait, as pktgen_xmit does. The model has one thread (one CPU).
import { netif_queue_stopped } from '../sched/sch_generic.ts';
import { formatMac } from '../../wire/ethernet.ts';
import { ETH_HLEN, ETH_P_IP } from '../../wire/ethernet.ts';
import {
  IPH_DADDR,
  IPH_ID,
  IPH_PROTOCOL,
  IPH_SADDR,
  IPH_TOS,
  IPH_TOT_LEN,
  IPH_TTL,
  IPH_VERSION_IHL,
  IPPROTO_UDP,
  IPV4_HEADER_LEN,
  ipv4ToString,
} from '../../wire/ipv4.ts';
import { UDPH_CHECK, UDPH_DEST, UDPH_LEN, UDPH_SOURCE, UDP_HEADER_LEN } from '../../wire/udp.ts';
import { kprobe } from '../trace/probe.ts';
import { IFF_UP, NETDEV_TX_BUSY, NETDEV_TX_OK, type NetDevice } from './netdevice.ts';
import { eth_header } from './eth.ts';
import { alloc_skb, type SkBuff } from '../skbuff.ts';
import { ip_send_check, wr16, wr32 } from '../ipv4/iphdr.ts';
import type { Net } from '../net_namespace.ts';
import { sleep, yieldCpu, type Proc } from '../../sim/sched.ts';
import { kfree_skb_reason } from './skb_free.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';

const VERSION = '2.75';
const PKTGEN_MAGIC = 0xbe9be955;
/** Work pktgen does per packet (fill_packet_ipv4, the xmit call), virtual ns. */
const PKTGEN_PKT_NS = 300;

/** struct pktgen_dev: one device's parameters, progress and result. */
export class PktgenDev {
  count = 1000;
  pktSize = 60;
  delay = 0;
  burst = 1;
  cloneSkb = 0;
  dstMin = 0;
  srcMin = 0;
  dstMac = new Uint8Array(6);
  udpSrc = 9;
  udpDst = 9;
  ttl = 32;
  tos = 0;
  // progress
  sofar = 0;
  errors = 0;
  seq = 0;
  started = 0;
  stopped = 0;
  idle = 0;
  running = false;
  result = 'Idle';
  constructor(readonly odev: NetDevice) {}
}

/** struct pktgen_thread kpktgend_0 and pgctrl. */
export class Pktgen {
  readonly devs: PktgenDev[] = [];
  threadResult = '';
  running = false;

  constructor(readonly net: Net) {}

  dev(name: string): PktgenDev | undefined {
    return this.devs.find((d) => d.odev.name === name);
  }
}

/** net_generic(net, pg_net_id): the namespace's pktgen. */
export function pktgen_net(net: Net): Pktgen {
  return (net.pktgen ??= new Pktgen(net));
}

/** fill_packet_ipv4(): Ethernet + IPv4 + UDP + the pktgen header, pkt_size bytes in all (FCS not counted). */
function fill_packet_ipv4(pd: PktgenDev): SkBuff {
  const odev = pd.odev;
  const size = Math.max(pd.pktSize - 4, ETH_HLEN + IPV4_HEADER_LEN + UDP_HEADER_LEN + 16);
  const datalen = size - ETH_HLEN - IPV4_HEADER_LEN - UDP_HEADER_LEN;
  const skb = alloc_skb(odev.net.kernel, size - ETH_HLEN, 64);
  const o = skb.put(IPV4_HEADER_LEN + UDP_HEADER_LEN + datalen);
  const b = skb.head;
  skb.networkHeader = o;
  const uh = o + IPV4_HEADER_LEN;
  skb.transportHeader = uh;
  b[o + IPH_VERSION_IHL] = 0x45;
  b[o + IPH_TOS] = pd.tos;
  wr16(b, o + IPH_TOT_LEN, IPV4_HEADER_LEN + UDP_HEADER_LEN + datalen);
  wr16(b, o + IPH_ID, 0);
  b[o + IPH_TTL] = pd.ttl;
  b[o + IPH_PROTOCOL] = IPPROTO_UDP;
  wr32(b, o + IPH_SADDR, pd.srcMin);
  wr32(b, o + IPH_DADDR, pd.dstMin);
  ip_send_check(b, o);
  wr16(b, uh + UDPH_SOURCE, pd.udpSrc);
  wr16(b, uh + UDPH_DEST, pd.udpDst);
  wr16(b, uh + UDPH_LEN, UDP_HEADER_LEN + datalen);
  wr16(b, uh + UDPH_CHECK, 0); // pktgen sends UDP without a checksum
  // struct pktgen_hdr: pgh_magic, seq_num, tv_sec, tv_usec
  const pgh = uh + UDP_HEADER_LEN;
  const t = odev.net.kernel.now;
  wr32(b, pgh, PKTGEN_MAGIC);
  wr32(b, pgh + 4, pd.seq++);
  wr32(b, pgh + 8, Math.floor(t / 1e9));
  wr32(b, pgh + 12, Math.floor((t % 1e9) / 1e3));
  skb.protocol = ETH_P_IP;
  skb.dev = odev;
  eth_header(skb, odev, ETH_P_IP, pd.dstMac, odev.devAddr);
  return skb;
}

/** The kpktgend_0 thread for one run: pktgen_xmit() until every device sent its count. */
export function* pktgen_thread(pg: Pktgen): Proc {
  const k = pg.net.kernel;
  const sim = k.sim;
  const active = pg.devs.filter((d) => d.odev.flags & IFF_UP);
  for (const pd of active) {
    pd.sofar = 0;
    pd.errors = 0;
    pd.seq = 0;
    pd.started = sim.now;
    pd.idle = 0;
    pd.running = true;
    pd.result = 'Starting';
  }
  let pending: SkBuff | null = null;
  let sinceYield = 0;
  while (active.some((d) => d.running)) {
    for (const pd of active) {
      if (!pd.running) continue;
      if (pd.count && pd.sofar >= pd.count) {
        pd.running = false;
        pd.stopped = sim.now;
        continue;
      }
      const odev = pd.odev;
      // netif_xmit_frozen_or_drv_stopped(): wait for the driver to wake the queue
      if (netif_queue_stopped(odev) || !(odev.flags & IFF_UP) || !odev.carrier) {
        const t0 = sim.now;
        yield sleep(1_000);
        pd.idle += sim.now - t0;
        continue;
      }
      // a burst goes out under one local_bh_disable (xmit_more): softirqs wait until its end
      k.sim.cpu.localBhDisable();
      let busy = false;
      let sent = 0;
      do {
        const skb: SkBuff = pending ?? fill_packet_ipv4(pd);
        pending = null;
        sim.spend(PKTGEN_PKT_NS);
        kprobe(odev.net, skb, 'pktgen_xmit');
        // netdev_start_xmit() → ndo_start_xmit (no qdisc, no taps)
        const rc = odev.ops.ndo_start_xmit(skb, odev);
        if (rc === NETDEV_TX_BUSY) {
          pending = skb;
          busy = true;
          break;
        }
        if (rc !== NETDEV_TX_OK) pd.errors++;
        pd.sofar++;
        sent++;
      } while (sent < pd.burst && (!pd.count || pd.sofar < pd.count) && !netif_queue_stopped(odev));
      k.sim.cpu.localBhEnable();
      if (busy) {
        const t0 = sim.now;
        yield sleep(1_000);
        pd.idle += sim.now - t0;
        continue;
      }
      if (pd.delay > 0) {
        const t0 = sim.now;
        yield sleep(pd.delay);
        pd.idle += sim.now - t0;
      } else if (++sinceYield >= 64) {
        // cond_resched()
        sinceYield = 0;
        yield yieldCpu;
      }
    }
  }
  if (pending) kfree_skb_reason(pg.net, pending, SKB_DROP_REASON.NOT_SPECIFIED, 'pktgen_xmit');
  for (const pd of active) pd.result = resultLine(pd);
  return 0;
}

/** show_results(): "OK: <usec>(c<busy>+d<idle>) usec, <n> (<size>byte,0frags)\n  <pps>pps <Mb>Mb/sec (<bps>bps) errors: <e>" */
function resultLine(pd: PktgenDev): string {
  const total = Math.max(1, Math.round((pd.stopped - pd.started) / 1000));
  const idle = Math.round(pd.idle / 1000);
  const pps = Math.floor((pd.sofar * 1_000_000) / total);
  const bps = pps * 8 * pd.pktSize;
  const mbps = Math.floor(bps / 1_000_000);
  return `OK: ${total}(c${total - idle}+d${idle}) usec, ${pd.sofar} (${pd.pktSize}byte,0frags)\n  ${pps}pps ${mbps}Mb/sec (${bps}bps) errors: ${pd.errors}`;
}

/** pktgen_if_show(): /proc/net/pktgen/<dev> */
export function pktgen_if_show(pd: PktgenDev): string {
  let s = 'Params: count ' + pd.count + '  min_pkt_size: ' + pd.pktSize + '  max_pkt_size: ' + pd.pktSize + '\n';
  s += `     frags: 0  delay: ${pd.delay}  clone_skb: ${pd.cloneSkb}  ifname: ${pd.odev.name}\n`;
  s += '     flows: 0 flowlen: 0\n     queue_map_min: 0  queue_map_max: 0\n';
  s += `     dst_min: ${ipv4ToString(pd.dstMin)}  dst_max: \n     src_min: ${pd.srcMin ? ipv4ToString(pd.srcMin) : ''}  src_max: \n`;
  s += `     src_mac: ${formatMac(pd.odev.devAddr)} dst_mac: ${formatMac(pd.dstMac)}\n`;
  s += `     udp_src_min: ${pd.udpSrc}  udp_src_max: ${pd.udpSrc}  udp_dst_min: ${pd.udpDst}  udp_dst_max: ${pd.udpDst}\n`;
  s += '     src_mac_count: 0  dst_mac_count: 0\n     Flags: \n';
  s += `Current:\n     pkts-sofar: ${pd.sofar}  errors: ${pd.errors}\n`;
  s += `     started: ${Math.round(pd.started / 1000)}us  stopped: ${Math.round(pd.stopped / 1000)}us idle: ${Math.round(pd.idle / 1000)}us\n`;
  s += `     seq_num: ${pd.seq + 1}  cur_dst_mac_offset: 0  cur_src_mac_offset: 0\n`;
  s += `     cur_saddr: ${ipv4ToString(pd.srcMin)}  cur_daddr: ${ipv4ToString(pd.dstMin)}\n`;
  s += `     cur_udp_dst: ${pd.udpDst}  cur_udp_src: ${pd.udpSrc}\n     cur_queue_map: 0\n     flows: 0\n`;
  s += `Result: ${pd.result}\n`;
  return s;
}

/** pktgen_if_write(): one command to a device file; returns the Result line text ("OK: …" or an error). */
export function pktgen_if_write(pd: PktgenDev, cmd: string): string {
  const m = /^\s*(\S+)\s*(.*?)\s*$/.exec(cmd);
  if (!m) return 'No such parameter ""';
  const name = m[1] as string;
  const arg = (m[2] as string).replace(/^"|"$/g, '');
  const num = (): number | null => (/^\d+$/.test(arg) ? Number(arg) : null);
  const ip = (): number | null => {
    const p = arg.split('.');
    if (p.length !== 4 || p.some((x) => !/^\d+$/.test(x) || Number(x) > 255)) return null;
    return p.reduce((a, x) => ((a << 8) | Number(x)) >>> 0, 0);
  };
  switch (name) {
    case 'count': {
      const n = num();
      if (n === null) return 'Invalid value';
      pd.count = n;
      return `OK: count=${n}`;
    }
    case 'pkt_size':
    case 'min_pkt_size':
    case 'max_pkt_size': {
      const n = num();
      if (n === null) return 'Invalid value';
      pd.pktSize = Math.max(n, 60 - 4 + 4);
      return `OK: ${name}=${pd.pktSize}`;
    }
    case 'delay': {
      const n = num();
      if (n === null) return 'Invalid value';
      pd.delay = n;
      return `OK: delay=${n}`;
    }
    case 'burst': {
      const n = num();
      if (n === null) return 'Invalid value';
      pd.burst = Math.max(1, n);
      return `OK: burst=${pd.burst}`;
    }
    case 'clone_skb': {
      const n = num();
      if (n === null) return 'Invalid value';
      pd.cloneSkb = n;
      return `OK: clone_skb=${n}`;
    }
    case 'dst':
    case 'dst_min': {
      const a = ip();
      if (a === null) return 'Invalid value';
      pd.dstMin = a;
      return `OK: dst_min=${arg}`;
    }
    case 'src_min': {
      const a = ip();
      if (a === null) return 'Invalid value';
      pd.srcMin = a;
      return `OK: src_min=${arg}`;
    }
    case 'dst_mac': {
      const p = arg.split(':');
      if (p.length !== 6 || p.some((x) => !/^[0-9a-fA-F]{1,2}$/.test(x))) return 'Invalid value';
      pd.dstMac = new Uint8Array(p.map((x) => parseInt(x, 16)));
      return `OK: dstmac ${formatMac(pd.dstMac)}`;
    }
    case 'udp_src_min':
    case 'udp_dst_min': {
      const n = num();
      if (n === null || n > 65535) return 'Invalid value';
      if (name === 'udp_src_min') pd.udpSrc = n;
      else pd.udpDst = n;
      return `OK: ${name}=${n}`;
    }
    case 'tos': {
      const n = /^[0-9a-fA-F]{1,2}$/.test(arg) ? parseInt(arg, 16) : null;
      if (n === null) return 'Invalid value';
      pd.tos = n;
      return `OK: tos=0x${n.toString(16).padStart(2, '0')}`;
    }
    default:
      return `No such parameter "${name}"`;
  }
}

/** pktgen_thread_write(): add_device / rem_device_all on kpktgend_0. */
export function pktgen_thread_write(pg: Pktgen, cmd: string): string {
  const m = /^\s*(\S+)\s*(.*?)\s*$/.exec(cmd);
  const name = m?.[1] ?? '';
  const arg = m?.[2] ?? '';
  if (name === 'add_device') {
    const dev = pg.net.devByName.get(arg);
    if (!dev) {
      pg.threadResult = `ERROR: can not add device ${arg}`;
      return pg.threadResult;
    }
    if (!pg.dev(arg)) {
      const pd = new PktgenDev(dev);
      // pktgen_setup_inject: the source address is the device's first IPv4 address
      const ifa = dev.ipPtr?.ifaList[0];
      if (ifa) pd.srcMin = ifa.local >>> 0;
      pg.devs.push(pd);
    }
    pg.threadResult = `OK: add_device=${arg}`;
    return pg.threadResult;
  }
  if (name === 'rem_device_all') {
    pg.devs.length = 0;
    pg.threadResult = 'OK: rem_device_all';
    return pg.threadResult;
  }
  pg.threadResult = 'No such parameter "' + name + '"';
  return pg.threadResult;
}

/** pktgen_thread_show() */
export function pktgen_thread_show(pg: Pktgen): string {
  const running = pg.devs
    .filter((d) => d.running)
    .map((d) => d.odev.name + ' ')
    .join('');
  const stopped = pg.devs
    .filter((d) => !d.running)
    .map((d) => d.odev.name + ' ')
    .join('');
  return `Running: ${running}\nStopped: ${stopped}\nResult: ${pg.threadResult}\n`;
}

/** pgctrl_show() */
export function pgctrl_show(): string {
  return `Packet Generator (proc) version ${VERSION}\n`;
}
