// drivers/net/ethernet/intel/e1000/e1000_main.c: the Intel PRO/1000 driver
// and, below it, a model of the 8254x MAC it drives: RX and TX descriptor
// rings (RDH/RDT, TDH/TDT), the ICR/IMS/IMC interrupt registers with ITR
// throttling, hardware checksums and TSO, statistics registers (MPC, GPRC…).
// Frames leave and arrive through a Wire (../nic_wire.ts).
import type { EthtoolOps, FeatureState } from '../../core/ethtool.ts';
import { kprobe } from '../../trace/probe.ts';
import { dev_kfree_skb_any, hw_drop } from '../nic_common.ts';
import { eth_type_trans } from '../../core/eth.ts';
import { for_each_softnet_data, napi_complete_done, napi_schedule, softnet_data, type NapiStruct } from '../../core/dev.ts';
import { irq_alloc_desc, irq_effective_cpu, type IrqDesc } from '../../irq.ts';
import { napi_gro_receive, napi_hash_add } from '../../core/gro.ts';
import { gso_frames } from '../../core/gso.ts';
import { consume_skb } from '../../core/skb_free.ts';
import { netif_carrier_change, netif_carrier_set, register_netdevice } from '../../core/rtnetlink.ts';
import {
  IFF_BROADCAST,
  IFF_MULTICAST,
  IFF_UP,
  NETDEV_TX_BUSY,
  NETDEV_TX_OK,
  NETIF_F_GRO,
  NetDevice,
  type NetDeviceOps,
} from '../../core/netdevice.ts';
import { netif_queue_stopped, netif_start_queue, netif_stop_queue, netif_wake_queue } from '../../sched/sch_generic.ts';
import type { Net } from '../../net_namespace.ts';
import { alloc_skb, CHECKSUM_NONE, CHECKSUM_PARTIAL, CHECKSUM_UNNECESSARY, type SkBuff } from '../../skbuff.ts';
import { SKB_DROP_REASON } from '../../trace/dropreason.ts';
import type { Wire, WireEnd } from '../nic_wire.ts';
import {
  csum_fold,
  csum_partial,
  iph_daddr,
  iph_frag_off,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tot_len,
  iph_version,
} from '../../ipv4/iphdr.ts';
import { ETH_HLEN, ETH_P_IP, eth_proto } from '../../../wire/ethernet.ts';
import { IPPROTO_TCP, IPPROTO_UDP, IPV4_HEADER_LEN, IP_MF, IP_OFFSET } from '../../../wire/ipv4.ts';
import { TCP_HEADER_LEN } from '../../../wire/tcp.ts';
import { UDP_HEADER_LEN, udph_check } from '../../../wire/udp.ts';
import { EINVAL, ENODEV } from '../../uapi/errno.ts';

export const E1000_DEFAULT_RXD = 256;
export const E1000_DEFAULT_TXD = 256;
export const E1000_MIN_RXD = 48;
export const E1000_MIN_TXD = 48;
export const E1000_MAX_82544_RXD = 4096;
export const E1000_MAX_82544_TXD = 4096;
const REQ_DESCRIPTOR_MULTIPLE = 8;
/** E1000_RX_BUFFER_WRITE: refill every 16 cleaned buffers. */
const E1000_RX_BUFFER_WRITE = 16;
/** TX_WAKE_THRESHOLD: wake a stopped queue when this many descriptors are free. */
const TX_WAKE_THRESHOLD = 32;
/** MAX_SKB_FRAGS + 7: free descriptors kept for the next frame. */
const DESC_NEEDED = 17 + 7;
const E1000_MAX_DATA_PER_TXD = 4096;
const COPYBREAK_DEFAULT = 256;
/** e1000_param.c: InterruptThrottleRate 3 = dynamic conservative. */
const DEFAULT_ITR = 3;
/** E1000_MAX_ITR_USECS / E1000_MIN_ITR_USECS (e1000_ethtool.c) */
export const E1000_MAX_ITR_USECS = 10000;
export const E1000_MIN_ITR_USECS = 10;

/** The receive share of the 82545's 64 KB packet buffer (E1000_PBA_48K). */
export const E1000_RX_FIFO_BYTES = 48 * 1024;

/** Bytes a frame takes in the packet buffer: the frame with its FCS, in 16-byte units, plus a 16-byte status word. */
function fifoBytes(len: number): number {
  return Math.ceil((len + 4) / 16) * 16 + 16;
}

/** ICR / IMS bits */
const E1000_ICR_TXDW = 0x01;
const E1000_ICR_LSC = 0x04;
const E1000_ICR_RXT0 = 0x80;

/** The driver's own work per frame, virtual ns (descriptor reads, DMA unmap, skb build). */
const CLEAN_RX_NS = 300;
const CLEAN_TX_NS = 150;
const IRQ_NS = 1_000;
/** From the doorbell (TDT write) to the first bit on the wire: descriptor fetch and DMA. */
const TX_DMA_NS = 1_000;

/** The PCI IDs e1000_pci_tbl lists that the model answers to (QEMU's e1000 is the 82540EM). */
export const e1000_pci_tbl: readonly { vendor: number; device: number; name: string }[] = [
  { vendor: 0x8086, device: 0x100e, name: '82540EM Gigabit Ethernet Controller' },
  { vendor: 0x8086, device: 0x100f, name: '82545EM Gigabit Ethernet Controller (Copper)' },
  { vendor: 0x8086, device: 0x1026, name: '82545GM Gigabit Ethernet Controller' },
];

/** struct pci_dev as far as probe needs it. */
export interface PciDev {
  readonly slot: string;
  readonly vendor: number;
  readonly device: number;
  /** The MAC address in the NVM (EEPROM). */
  readonly nvmMac: Uint8Array;
}

interface RxDesc {
  /** A buffer is posted (e1000_alloc_rx_buffers). */
  buffer: boolean;
  /** DD: the MAC wrote a frame here. */
  dd: boolean;
  /** The frame as DMA'd, already an skb for the path stream. */
  skb: SkBuff | null;
  /** TCPCS and TCPE status bits. */
  tcpcs: boolean;
  tcpe: boolean;
}

interface TxDesc {
  /** The skb whose last descriptor this is (tx_buffer_info->skb). */
  skb: SkBuff | null;
  /** DD written back */
  dd: boolean;
  segs: number;
  bytes: number;
  /** next_to_watch: index of the packet's last descriptor, on its first. */
  eop: number;
}

/** Statistics registers (struct e1000_hw_stats) and driver counters. */
export class E1000Stats {
  gprc = 0;
  gptc = 0;
  gorcl = 0;
  gotcl = 0;
  bprc = 0;
  bptc = 0;
  mprc = 0;
  mptc = 0;
  mpc = 0;
  rnbc = 0;
  /** Receive oversize count (rx_long_length_errors). */
  roc = 0;
  tsctc = 0;
  tsctfc = 0;
  hwCsumGood = 0;
  hwCsumErr = 0;
  allocRxBuffFailed = 0;
  restartQueue = 0;
  txTimeoutCount = 0;
}

export interface E1000Features {
  rxcsum: boolean;
  txcsum: boolean;
  sg: boolean;
  tso: boolean;
  gso: boolean;
  gro: boolean;
}

/** struct e1000_adapter */
/** rx_csum starts false (the probe never sets NETIF_F_RXCSUM in features): ethtool -K DEV rx on enables TCPCS. */
export class E1000Adapter implements WireEnd {
  readonly netdev: NetDevice;
  readonly stats = new E1000Stats();
  readonly features: E1000Features = { rxcsum: false, txcsum: true, sg: true, tso: true, gso: true, gro: true };
  rxCount = E1000_DEFAULT_RXD;
  txCount = E1000_DEFAULT_TXD;
  rx: RxDesc[] = [];
  tx: TxDesc[] = [];
  /** RDH (hardware) / next_to_clean, next_to_use (driver); RDT = next_to_use - 1. */
  rdh = 0;
  rxNextToClean = 0;
  rxNextToUse = 0;
  txNextToClean = 0;
  txNextToUse = 0;
  /** pdev->irq's descriptor (its affinity decides the CPU e1000_intr and the NAPI poll run on). */
  irq: IrqDesc | null = null;
  /** ICR causes not yet read, IMS enabled */
  icr = 0;
  ims = false;
  irqPending = false;
  lastIrq = -Infinity;
  /** InterruptThrottleRate setting (0, 1, 3, 4 or a rate) and the current rate in ints/s. */
  itrSetting = DEFAULT_ITR;
  itr = 20000;
  rxItr = 1; // low_latency
  txItr = 1;
  totalRx = { packets: 0, bytes: 0 };
  totalTx = { packets: 0, bytes: 0 };
  copybreak = COPYBREAK_DEFAULT;
  wire: Wire | null = null;
  readonly napi: NapiStruct;
  /** e1000_intr runs: interrupts the CPU took. */
  interrupts = 0;
  /** The on-chip receive packet buffer (PBA): frames waiting for a descriptor. */
  fifo: SkBuff[] = [];
  fifoUsed = 0;
  /** When the MAC took its first and last frame (virtual ns), for throughput figures. */
  firstRxAt = -1;
  lastRxAt = -1;
  readonly linkSpeed = () => this.wire?.speedMbps ?? 0;

  constructor(
    readonly pdev: PciDev,
    netdev: NetDevice,
  ) {
    this.netdev = netdev;
    this.napi = {
      dev: netdev,
      weight: 64,
      sched: false,
      addr: `ffff8880${(0x0e100000 + netdev.ifindex * 0x1000).toString(16).padStart(8, '0')}`,
      poll: (n, budget) => e1000_clean(this, n, budget),
      gro: { held: [], rxList: [] },
    };
  }

  get net(): Net {
    return this.netdev.net;
  }

  phyUp(): boolean {
    return (this.netdev.flags & IFF_UP) !== 0;
  }

  /** E1000_DESC_UNUSED() */
  rxUnused(): number {
    return (this.rxNextToClean > this.rxNextToUse ? 0 : this.rxCount) + this.rxNextToClean - this.rxNextToUse - 1;
  }

  txUnused(): number {
    return (this.txNextToClean > this.txNextToUse ? 0 : this.txCount) + this.txNextToClean - this.txNextToUse - 1;
  }

  /** Descriptors the MAC may still fill: RDH up to RDT. */
  rxHwAvail(): number {
    const rdt = (this.rxNextToUse + this.rxCount - 1) % this.rxCount;
    return (rdt - this.rdh + this.rxCount) % this.rxCount;
  }

  /** Frames the driver has not cleaned yet: received ones, then transmitted ones whose DD is back. */
  pending(): SkBuff[] {
    const out = this.rxPending();
    let i = this.txNextToClean;
    for (let n = 0; n < this.txCount && i !== this.txNextToUse; n++) {
      const eop = this.tx[(this.tx[i] as TxDesc).eop] as TxDesc;
      if (!eop.dd || !eop.skb) break;
      out.push(eop.skb);
      i = ((this.tx[i] as TxDesc).eop + 1) % this.txCount;
    }
    return out;
  }

  /** Received frames the driver has not cleaned yet. */
  rxPending(): SkBuff[] {
    const out: SkBuff[] = [];
    for (let i = this.rxNextToClean, n = 0; n < this.rxCount; i = (i + 1) % this.rxCount, n++) {
      const d = this.rx[i] as RxDesc;
      if (!d.dd || !d.skb) break;
      out.push(d.skb);
    }
    return out;
  }

  // --- the MAC: receive ---

  /** A frame arrived from the wire: DMA into the next posted buffer, or count it missed. */
  wireRx(frame: Uint8Array, origin: number): void {
    const dev = this.netdev;
    if (!(dev.flags & IFF_UP)) return;
    const skb = rx_frame_skb(dev, frame, origin);
    // the receive filter: our address, broadcast, multicast, or promiscuous mode
    const d0 = frame[0] as number;
    if (!(d0 & 1) && !dev.promiscuity) {
      let mine = true;
      for (let i = 0; i < 6; i++) if (frame[i] !== dev.devAddr[i]) mine = false;
      if (!mine) {
        skb.release();
        return;
      }
    }
    // RCTL.LPE off: frames longer than 1522 bytes (with FCS) are refused as oversize (ROC)
    if (frame.length + 4 > Math.max(1522, dev.mtu + 18)) {
      this.stats.roc++;
      dev.stats.rx_errors++;
      dev.stats.rx_length_errors++;
      hw_drop(
        this.net,
        skb,
        SKB_DROP_REASON.PKT_TOO_BIG,
        'e1000 MAC (hw)',
        () => `${frame.length + 4}-byte frame exceeds ${dev.name}'s maximum frame (MTU ${dev.mtu}): rx_long_length_errors`,
      );
      return;
    }
    // frames wait in the packet buffer while no descriptor is free (RNBC counts them); a full
    // buffer loses the frame: MPC, rx_missed_errors
    if (this.rxHwAvail() === 0 || this.fifo.length) {
      if (this.rxHwAvail() === 0) this.stats.rnbc++;
      const need = fifoBytes(frame.length);
      if (this.fifoUsed + need > E1000_RX_FIFO_BYTES) {
        this.stats.mpc++;
        dev.stats.rx_missed_errors = this.stats.mpc;
        hw_drop(
          this.net,
          skb,
          SKB_DROP_REASON.FULL_RING,
          'e1000 RX ring (hw)',
          () =>
            `${dev.name}'s RX ring has no free descriptor (${this.rxCount} descriptors) and its ${E1000_RX_FIFO_BYTES / 1024} KB packet buffer is full: rx_missed_errors ${this.stats.mpc}`,
        );
        return;
      }
      this.fifo.push(skb);
      this.fifoUsed += need;
      this.drainFifo();
      return;
    }
    this.dma(skb);
  }

  /** The MAC moves frames from its packet buffer into free descriptors, in order. */
  drainFifo(): void {
    while (this.fifo.length && this.rxHwAvail() > 0) {
      const skb = this.fifo.shift() as SkBuff;
      this.fifoUsed -= fifoBytes(skb.len);
      this.dma(skb);
    }
  }

  /** DMA of one frame into the descriptor at RDH; DD written back, RXT0 raised. */
  private dma(skb: SkBuff): void {
    const frame = skb.head.subarray(skb.data, skb.tail);
    const d0 = frame[0] as number;
    const now = this.net.kernel.now;
    if (this.firstRxAt < 0) this.firstRxAt = now;
    this.lastRxAt = now;
    const d = this.rx[this.rdh] as RxDesc;
    d.dd = true;
    d.skb = skb;
    this.checksumStatus(d, frame);
    this.rdh = (this.rdh + 1) % this.rxCount;
    this.stats.gprc++;
    this.stats.gorcl += frame.length + 4;
    if (d0 & 1) {
      if (frame.every((v, i) => i >= 6 || v === 0xff)) this.stats.bprc++;
      else this.stats.mprc++;
    }
    this.raise(E1000_ICR_RXT0);
  }

  /** The receive checksum engine: TCPCS for a TCP/UDP packet it checked, TCPE when it was wrong. */
  private checksumStatus(d: RxDesc, f: Uint8Array): void {
    d.tcpcs = false;
    d.tcpe = false;
    if (!this.features.rxcsum || f.length < ETH_HLEN + IPV4_HEADER_LEN || eth_proto(f, 0) !== ETH_P_IP) return;
    const l3 = ETH_HLEN;
    if (iph_version(f, l3) !== 4) return;
    const ihl = iph_ihl(f, l3) * 4;
    const proto = iph_protocol(f, l3);
    if ((iph_frag_off(f, l3) & (IP_MF | IP_OFFSET)) !== 0) return; // fragments are not checked
    if (proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) return;
    const tot = Math.min(iph_tot_len(f, l3), f.length - l3);
    const len = tot - ihl;
    if (len < (proto === IPPROTO_TCP ? TCP_HEADER_LEN : UDP_HEADER_LEN)) return;
    if (proto === IPPROTO_UDP && udph_check(f, l3 + ihl) === 0) return;
    const s = iph_saddr(f, l3);
    const dd = iph_daddr(f, l3);
    const pseudo = (s >>> 16) + (s & 0xffff) + (dd >>> 16) + (dd & 0xffff) + proto + len;
    d.tcpcs = true;
    d.tcpe = csum_fold(csum_partial(f, l3 + ihl, len, pseudo)) !== 0;
  }

  // --- the MAC: interrupts ---

  /** The MAC sets a cause in ICR; an unmasked cause interrupts, no sooner than ITR allows. */
  raise(cause: number): void {
    this.icr |= cause;
    if (this.ims && !this.irqPending) this.scheduleIrq();
  }

  private scheduleIrq(): void {
    const sim = this.net.kernel.sim;
    const interval = this.itrSetting === 0 ? 0 : Math.floor(1e9 / this.itr);
    const at = Math.max(sim.now, this.lastIrq + interval);
    this.irqPending = true;
    sim.events.at(at, e1000_intr_event, this);
  }

  /** IMS write (e1000_irq_enable): causes that came in while masked interrupt now. */
  irqEnable(): void {
    this.ims = true;
    if (this.icr && !this.irqPending) this.scheduleIrq();
  }

  /** IMC write (e1000_irq_disable) */
  irqDisable(): void {
    this.ims = false;
  }

  linkChange(up: boolean): void {
    if (!(this.netdev.flags & IFF_UP)) return;
    // the watchdog: "NIC Link is Up 1000 Mbps Full Duplex" / "NIC Link is Down"; linkwatch
    // puts noop_qdisc in while the carrier is off (dev_deactivate), so sends count as tx_dropped
    netif_carrier_set(this.netdev, up);
    this.netdev.qdiscDeactivated = !up;
    if (up) netif_wake_queue(this.netdev);
    this.raise(E1000_ICR_LSC);
  }
}

/** The interrupt arrives on the CPU of its effective affinity (/proc/irq/N/smp_affinity); irq_exit() runs that CPU's softirqs. */
function e1000_intr_event(adapter: E1000Adapter): void {
  adapter.irqPending = false;
  const sim = adapter.net.kernel.sim;
  const irq = adapter.irq;
  const cpu = irq ? irq_effective_cpu(irq) : 0;
  if (irq) irq.count[cpu] = (irq.count[cpu] ?? 0) + 1;
  sim.runOnCpu(cpu, e1000_intr_on_cpu, adapter);
}

function e1000_intr_on_cpu(adapter: E1000Adapter): void {
  e1000_intr(adapter);
}

/** e1000_intr(): the hard IRQ: read ICR, mask everything, schedule NAPI. */
export function e1000_intr(adapter: E1000Adapter): boolean {
  const icr = adapter.icr;
  adapter.icr = 0;
  if (!icr || !adapter.ims) return false; // IRQ_NONE
  const k = adapter.net.kernel;
  k.sim.spend(IRQ_NS);
  adapter.interrupts++;
  adapter.lastIrq = k.sim.now;
  const pending = k.path.enabled ? adapter.pending() : [];
  for (const skb of pending) kprobe(adapter.net, skb, 'e1000_intr');
  // ew32(IMC, ~0)
  adapter.irqDisable();
  if (!adapter.napi.sched) {
    adapter.totalRx.packets = adapter.totalRx.bytes = 0;
    adapter.totalTx.packets = adapter.totalTx.bytes = 0;
    for (const skb of pending) {
      kprobe(adapter.net, skb, 'napi_schedule (inl)');
      kprobe(adapter.net, skb, '__napi_schedule');
    }
    napi_schedule(k, adapter.napi);
  } else {
    adapter.irqEnable();
  }
  return true;
}

/** e1000_clean(): the NAPI poll: TX completions, then up to budget received frames. */
function e1000_clean(adapter: E1000Adapter, napi: NapiStruct, budget: number): number {
  const net = adapter.net;
  if (net.kernel.path.enabled) {
    for (const skb of adapter.pending()) {
      kprobe(net, skb, 'net_rx_action');
      kprobe(net, skb, '__napi_poll');
      kprobe(net, skb, 'e1000_clean');
    }
  }
  const txCleanComplete = e1000_clean_tx_irq(adapter);
  const workDone = e1000_clean_rx_irq(adapter, budget);
  if (!txCleanComplete || workDone === budget) return budget;
  if (napi_complete_done(napi, workDone)) {
    if (adapter.itrSetting & 3) e1000_set_itr(adapter);
    if (adapter.netdev.flags & IFF_UP) adapter.irqEnable();
  }
  return workDone;
}

/** e1000_clean_rx_irq(): descriptors with DD become skbs for GRO; buffers are refilled every 16. */
function e1000_clean_rx_irq(adapter: E1000Adapter, budget: number): number {
  const dev = adapter.netdev;
  const net = dev.net;
  const k = net.kernel;
  let workDone = 0;
  let cleaned = 0;
  let totalBytes = 0;
  let totalPackets = 0;
  while (workDone < budget) {
    const i = adapter.rxNextToClean;
    const d = adapter.rx[i] as RxDesc;
    if (!d.dd || !d.skb) break;
    const skb = d.skb;
    d.dd = false;
    d.skb = null;
    d.buffer = false;
    workDone++;
    k.sim.spend(CLEAN_RX_NS);
    // adapter->clean_rx: e1000_clean_jumbo_rx_irq when the MTU is above ETH_DATA_LEN
    kprobe(net, skb, dev.mtu > 1500 ? 'e1000_clean_jumbo_rx_irq' : 'e1000_clean_rx_irq');
    const length = skb.len;
    // e1000_copybreak() copies small frames into a fresh skb; larger ones become the skb (napi_build_skb)
    kprobe(net, skb, length <= adapter.copybreak ? 'e1000_copybreak (inl)' : 'napi_build_skb');
    adapter.rxNextToClean = (i + 1) % adapter.rxCount;
    totalBytes += length;
    totalPackets++;
    e1000_rx_checksum(adapter, d, skb);
    e1000_receive_skb(adapter, skb);
    if (++cleaned >= E1000_RX_BUFFER_WRITE) {
      e1000_alloc_rx_buffers(adapter, cleaned);
      cleaned = 0;
    }
  }
  const unused = adapter.rxUnused();
  if (unused) e1000_alloc_rx_buffers(adapter, unused);
  adapter.totalRx.bytes += totalBytes;
  adapter.totalRx.packets += totalPackets;
  dev.stats.rx_bytes += totalBytes;
  dev.stats.rx_packets += totalPackets;
  return workDone;
}

/** e1000_rx_checksum(): CHECKSUM_UNNECESSARY when the MAC checked a TCP/UDP checksum and found it right. */
function e1000_rx_checksum(adapter: E1000Adapter, d: RxDesc, skb: SkBuff): void {
  kprobe(adapter.net, skb, 'e1000_rx_checksum');
  skb.ipSummed = CHECKSUM_NONE;
  if (!adapter.features.rxcsum || !d.tcpcs) return;
  if (d.tcpe) {
    adapter.stats.hwCsumErr++;
    return;
  }
  skb.ipSummed = CHECKSUM_UNNECESSARY;
  adapter.stats.hwCsumGood++;
}

/** e1000_receive_skb(): eth_type_trans, then napi_gro_receive. */
function e1000_receive_skb(adapter: E1000Adapter, skb: SkBuff): void {
  const net = adapter.net;
  kprobe(net, skb, 'e1000_receive_skb');
  kprobe(net, skb, 'eth_type_trans');
  skb.protocol = eth_type_trans(skb, adapter.netdev);
  const k = net.kernel;
  napi_gro_receive(k, adapter.napi, skb);
}

/** e1000_alloc_rx_buffers(): posts `count` buffers from next_to_use and moves RDT. */
export function e1000_alloc_rx_buffers(adapter: E1000Adapter, count: number): void {
  let i = adapter.rxNextToUse;
  for (let n = 0; n < count; n++) {
    const d = adapter.rx[i] as RxDesc;
    d.buffer = true;
    i = (i + 1) % adapter.rxCount;
  }
  adapter.rxNextToUse = i;
  // RDT moved: frames waiting in the packet buffer go into the new descriptors
  adapter.drainFifo();
}

/** e1000_update_itr() */
function e1000_update_itr(itrSetting: number, packets: number, bytes: number): number {
  const lowest = 0;
  const low = 1;
  const bulk = 2;
  let r = itrSetting;
  if (packets === 0) return r;
  if (itrSetting === lowest) {
    if (bytes / packets > 8000) r = bulk;
    else if (packets < 5 && bytes > 512) r = low;
  } else if (itrSetting === low) {
    if (bytes > 10000) {
      if (bytes / packets > 8000) r = bulk;
      else if (packets < 10 || bytes / packets > 1200) r = bulk;
      else if (packets > 35) r = lowest;
    } else if (bytes / packets > 2000) r = bulk;
    else if (packets <= 2 && bytes < 512) r = lowest;
  } else if (itrSetting === bulk) {
    if (bytes > 25000) {
      if (packets > 35) r = low;
    } else if (bytes < 6000) r = low;
  }
  return r;
}

/** e1000_set_itr(): dynamic interrupt moderation (InterruptThrottleRate 1 or 3). */
function e1000_set_itr(adapter: E1000Adapter): void {
  let newItr = adapter.itr;
  if (adapter.linkSpeed() !== 1000) {
    newItr = 4000;
  } else {
    adapter.txItr = e1000_update_itr(adapter.txItr, adapter.totalTx.packets, adapter.totalTx.bytes);
    if (adapter.itrSetting === 3 && adapter.txItr === 0) adapter.txItr = 1;
    adapter.rxItr = e1000_update_itr(adapter.rxItr, adapter.totalRx.packets, adapter.totalRx.bytes);
    if (adapter.itrSetting === 3 && adapter.rxItr === 0) adapter.rxItr = 1;
    const cur = Math.max(adapter.rxItr, adapter.txItr);
    newItr = cur === 0 ? 70000 : cur === 1 ? 20000 : 4000;
  }
  if (newItr !== adapter.itr) {
    newItr = newItr > adapter.itr ? Math.min(adapter.itr + (newItr >> 2), newItr) : newItr;
    adapter.itr = newItr;
  }
}

// --- transmit ---

/** e1000_xmit_frame(): ndo_start_xmit. Takes ownership of skb unless it returns NETDEV_TX_BUSY. */
function e1000_xmit_frame(skb: SkBuff, dev: NetDevice): number {
  const adapter = adapterOf(dev);
  const net = dev.net;
  kprobe(net, skb, 'e1000_xmit_frame');
  // eth_skb_pad() (inl): short frames are padded to ETH_ZLEN
  if (skb.len < 60) {
    kprobe(net, skb, 'eth_skb_pad (inl)');
    const pad = 60 - skb.len;
    skb.unshare();
    const at = skb.put(pad);
    skb.head.fill(0, at, at + pad);
  }
  const tso = skb.gsoSize > 0 && adapter.features.tso;
  const csum = skb.ipSummed === CHECKSUM_PARTIAL;
  // TXD_USE_COUNT over the linear part, plus a context descriptor for TSO or checksum offload
  let count = Math.ceil(skb.len / E1000_MAX_DATA_PER_TXD) + (tso || csum ? 1 : 0);
  if (count < 1) count = 1;
  if (e1000_maybe_stop_tx(adapter, count + 2)) return NETDEV_TX_BUSY;
  if (tso) kprobe(net, skb, 'e1000_tso');
  else if (csum) kprobe(net, skb, 'e1000_tx_csum');
  kprobe(net, skb, 'e1000_tx_map');
  // the frames the MAC will put on the wire (TSO cuts the super-packet, checksums are completed)
  skb.resetMacHeader();
  const frames = gso_frames(skb, true);
  let bytes = 0;
  for (const f of frames) bytes += f.length;
  kprobe(net, skb, 'netdev_sent_queue (inl)');
  kprobe(net, skb, 'e1000_tx_queue');
  const first = adapter.txNextToUse;
  let last = first;
  for (let n = 0; n < count; n++) {
    last = (first + n) % adapter.txCount;
    const d = adapter.tx[last] as TxDesc;
    d.skb = null;
    d.dd = false;
  }
  const eop = adapter.tx[last] as TxDesc;
  eop.skb = skb;
  eop.segs = frames.length;
  eop.bytes = bytes;
  (adapter.tx[first] as TxDesc).eop = last;
  adapter.txNextToUse = (last + 1) % adapter.txCount;
  if (tso) adapter.stats.tsctc++;
  e1000_maybe_stop_tx(adapter, DESC_NEEDED);
  // writel(tx_ring->next_to_use, TDT): the MAC fetches the descriptors and sends
  e1000_hw_tx(adapter, last, frames, skb.origin);
  return NETDEV_TX_OK;
}

/** The MAC's transmit engine: frames go out back to back; DD is written back when the last bit left. */
function e1000_hw_tx(adapter: E1000Adapter, eopIndex: number, frames: Uint8Array[], origin: number): void {
  const sim = adapter.net.kernel.sim;
  const wire = adapter.wire;
  const done = wire && wire.up ? wire.transmit(adapter, frames, origin, sim.now + TX_DMA_NS) : sim.now + TX_DMA_NS;
  for (const f of frames) {
    adapter.stats.gptc++;
    adapter.stats.gotcl += f.length + 4;
    if ((f[0] as number) & 1) {
      if (f.every((v, i) => i >= 6 || v === 0xff)) adapter.stats.bptc++;
      else adapter.stats.mptc++;
    }
  }
  sim.events.at(done, tx_writeback, { adapter, eopIndex });
}

function tx_writeback(a: { adapter: E1000Adapter; eopIndex: number }): void {
  const d = a.adapter.tx[a.eopIndex];
  if (!d || !d.skb) return;
  d.dd = true;
  a.adapter.raise(E1000_ICR_TXDW);
}

/** e1000_maybe_stop_tx(): stops the queue when fewer than `size` descriptors are free. */
function e1000_maybe_stop_tx(adapter: E1000Adapter, size: number): boolean {
  if (adapter.txUnused() >= size) return false;
  netif_stop_queue(adapter.netdev);
  // __e1000_maybe_stop_tx(): a completion may have freed room meanwhile
  if (adapter.txUnused() < size) return true;
  netif_start_queue(adapter.netdev);
  adapter.stats.restartQueue++;
  return false;
}

/** e1000_clean_tx_irq(): frees the skbs whose descriptors are done; wakes a stopped queue. */
function e1000_clean_tx_irq(adapter: E1000Adapter): boolean {
  const dev = adapter.netdev;
  const net = dev.net;
  const k = net.kernel;
  let count = 0;
  let pkts = 0;
  let bytes = 0;
  let i = adapter.txNextToClean;
  while (count < adapter.txCount) {
    const first = adapter.tx[i] as TxDesc;
    if (i === adapter.txNextToUse) break;
    const eopIdx = first.eop;
    const eop = adapter.tx[eopIdx] as TxDesc;
    if (!eop.dd || !eop.skb) break;
    const skb = eop.skb;
    k.sim.spend(CLEAN_TX_NS);
    kprobe(net, skb, 'e1000_clean_tx_irq');
    kprobe(net, skb, 'e1000_unmap_and_free_tx_resource');
    pkts += eop.segs;
    bytes += eop.bytes;
    eop.skb = null;
    eop.dd = false;
    consume_skb(net, skb, 'e1000_unmap_and_free_tx_resource');
    count++;
    i = (eopIdx + 1) % adapter.txCount;
  }
  adapter.txNextToClean = i;
  adapter.totalTx.packets += pkts;
  adapter.totalTx.bytes += bytes;
  dev.stats.tx_packets += pkts;
  dev.stats.tx_bytes += bytes;
  if (count && dev.carrier && adapter.txUnused() >= TX_WAKE_THRESHOLD && netif_queue_stopped(dev)) {
    netif_wake_queue(dev);
    adapter.stats.restartQueue++;
  }
  return count < adapter.txCount;
}

// --- open, close, probe ---

/** e1000_setup_all_rx_resources / tx: fresh rings of the configured sizes. */
function e1000_setup_rings(adapter: E1000Adapter): void {
  adapter.rx = [];
  for (let i = 0; i < adapter.rxCount; i++) adapter.rx.push({ buffer: false, dd: false, skb: null, tcpcs: false, tcpe: false });
  adapter.tx = [];
  for (let i = 0; i < adapter.txCount; i++) adapter.tx.push({ skb: null, dd: false, segs: 0, bytes: 0, eop: i });
  adapter.rdh = adapter.rxNextToClean = adapter.rxNextToUse = 0;
  for (const skb of adapter.fifo) skb.release();
  adapter.fifo = [];
  adapter.fifoUsed = 0;
  adapter.txNextToClean = adapter.txNextToUse = 0;
}

/** e1000_open(): rings, buffers posted (e1000_configure_rx + alloc_rx_buf), IRQ on, PHY up. */
function e1000_open(dev: NetDevice): void {
  const adapter = adapterOf(dev);
  softnet_data(dev.net.kernel);
  e1000_setup_rings(adapter);
  e1000_alloc_rx_buffers(adapter, adapter.rxUnused());
  adapter.icr = 0;
  adapter.irqEnable();
  netif_start_queue(dev);
  // e1000_power_up_phy(); the watchdog reports the link once both PHYs are up
  netif_carrier_change(dev, false);
  dev.qdiscDeactivated = true;
  adapter.wire?.notify();
}

/** e1000_close() → e1000_down(): IRQs off, NAPI off, rings freed, PHY down. */
function e1000_close(dev: NetDevice): void {
  const adapter = adapterOf(dev);
  adapter.irqDisable();
  adapter.icr = 0;
  adapter.napi.sched = false;
  // napi_disable(): off the poll list of whichever CPU it was scheduled on
  for (const sd of for_each_softnet_data(dev.net.kernel)) {
    const at = sd.pollList.indexOf(adapter.napi);
    if (at >= 0) sd.pollList.splice(at, 1);
  }
  for (const skb of adapter.napi.gro.held.splice(0)) skb.release();
  for (const skb of adapter.napi.gro.rxList.splice(0)) skb.release();
  // e1000_clean_all_tx_rings / rx_rings
  const net = dev.net;
  for (const d of adapter.tx) {
    if (d.skb) dev_kfree_skb_any(net, d.skb, 'e1000_unmap_and_free_tx_resource');
    d.skb = null;
  }
  for (const d of adapter.rx) {
    d.skb?.release();
    d.skb = null;
  }
  netif_carrier_change(dev, false);
  adapter.wire?.notify();
}

/** e1000_gstrings_stats names, in order. */
const E1000_STATS = [
  'rx_packets',
  'tx_packets',
  'rx_bytes',
  'tx_bytes',
  'rx_broadcast',
  'tx_broadcast',
  'rx_multicast',
  'tx_multicast',
  'rx_errors',
  'tx_errors',
  'tx_dropped',
  'multicast',
  'collisions',
  'rx_length_errors',
  'rx_over_errors',
  'rx_crc_errors',
  'rx_frame_errors',
  'rx_no_buffer_count',
  'rx_missed_errors',
  'tx_aborted_errors',
  'tx_carrier_errors',
  'tx_fifo_errors',
  'tx_heartbeat_errors',
  'tx_window_errors',
  'tx_abort_late_coll',
  'tx_deferred_ok',
  'tx_single_coll_ok',
  'tx_multi_coll_ok',
  'tx_timeout_count',
  'tx_restart_queue',
  'rx_long_length_errors',
  'rx_short_length_errors',
  'rx_align_errors',
  'tx_tcp_seg_good',
  'tx_tcp_seg_failed',
  'rx_flow_control_xon',
  'rx_flow_control_xoff',
  'tx_flow_control_xon',
  'tx_flow_control_xoff',
  'rx_long_byte_count',
  'rx_csum_offload_good',
  'rx_csum_offload_errors',
  'alloc_rx_buff_failed',
  'tx_smbus',
  'rx_smbus',
  'dropped_smbus',
] as const;

/** The value of one e1000_gstrings_stats entry (e1000_get_ethtool_stats). */
function e1000_stat(a: E1000Adapter, name: string): number {
  const s = a.stats;
  const d = a.netdev.stats;
  switch (name) {
    case 'rx_packets':
      return s.gprc;
    case 'tx_packets':
      return s.gptc;
    case 'rx_bytes':
    case 'rx_long_byte_count':
      return s.gorcl;
    case 'tx_bytes':
      return s.gotcl;
    case 'rx_broadcast':
      return s.bprc;
    case 'tx_broadcast':
      return s.bptc;
    case 'rx_multicast':
    case 'multicast':
      return s.mprc;
    case 'tx_multicast':
      return s.mptc;
    case 'tx_dropped':
      return d.tx_dropped;
    case 'rx_no_buffer_count':
      return s.rnbc;
    case 'rx_missed_errors':
      return s.mpc;
    case 'rx_long_length_errors':
      return s.roc;
    case 'rx_length_errors':
      return s.roc;
    case 'rx_errors':
      return d.rx_errors;
    case 'tx_timeout_count':
      return s.txTimeoutCount;
    case 'tx_restart_queue':
      return s.restartQueue;
    case 'tx_tcp_seg_good':
      return s.tsctc;
    case 'tx_tcp_seg_failed':
      return s.tsctfc;
    case 'rx_csum_offload_good':
      return s.hwCsumGood;
    case 'rx_csum_offload_errors':
      return s.hwCsumErr;
    case 'alloc_rx_buff_failed':
      return s.allocRxBuffFailed;
    default:
      return 0;
  }
}

const E1000_MODES: readonly string[] = ['10baseT/Half', '10baseT/Full', '100baseT/Half', '100baseT/Full', '1000baseT/Full'];

/** The netdev_features of an e1000 (e1000_probe's hw_features; the rest fixed). */
function e1000_features(dev: NetDevice): ReadonlyMap<string, FeatureState> {
  const f = adapterOf(dev).features;
  const m = new Map<string, FeatureState>();
  const hw = (on: boolean): FeatureState => ({ hw: true, active: on });
  const fixed = (on: boolean): FeatureState => ({ hw: false, active: on });
  m.set('rx-checksumming', hw(f.rxcsum));
  m.set('tx-checksum-ip-generic', hw(f.txcsum));
  m.set('tx-scatter-gather', hw(f.sg));
  m.set('tx-tcp-segmentation', hw(f.tso));
  m.set('tx-tcp-mangleid-segmentation', hw(false));
  m.set('generic-segmentation-offload', hw(f.gso));
  m.set('generic-receive-offload', hw(f.gro));
  m.set('rx-vlan-offload', hw(true));
  m.set('tx-vlan-offload', fixed(true));
  m.set('highdma', fixed(true));
  m.set('rx-vlan-filter', fixed(true));
  for (const n of ['tx-nocache-copy', 'rx-fcs', 'rx-all', 'rx-gro-list', 'rx-udp-gro-forwarding']) m.set(n, hw(false));
  return m;
}

/** e1000_set_features() and netdev_fix_features() for one bit: TSO needs checksum offload and SG. */
function e1000_set_feature(dev: NetDevice, name: string, on: boolean): boolean {
  const a = adapterOf(dev);
  const ft = a.features;
  switch (name) {
    case 'rx-checksumming':
      ft.rxcsum = on;
      return true;
    case 'tx-checksum-ip-generic':
      ft.txcsum = on;
      if (!on) ft.tso = false;
      return true;
    case 'tx-scatter-gather':
      ft.sg = on;
      if (!on) ft.tso = false;
      return true;
    case 'tx-tcp-segmentation':
      if (on && (!ft.txcsum || !ft.sg)) return false;
      ft.tso = on;
      return true;
    case 'generic-segmentation-offload':
      ft.gso = on;
      return true;
    case 'generic-receive-offload':
      e1000_set_gro(a, on);
      return true;
    default:
      return false;
  }
}

/** e1000_ethtool_ops (e1000_ethtool.c). */
export const e1000_ethtool_ops: Readonly<EthtoolOps> = {
  get_drvinfo: (dev) => ({
    driver: 'e1000',
    version: '6.18.26',
    fw_version: '',
    erom_version: '',
    bus_info: adapterOf(dev).pdev.slot,
    n_stats: E1000_STATS.length,
    testinfo_len: 5,
    eedump_len: 128,
    regdump_len: 32 * 4,
    n_priv_flags: 0,
  }),
  get_link: (dev) => dev.carrier,
  get_link_ksettings: (dev) => {
    const up = (dev.flags & IFF_UP) !== 0 && dev.carrier;
    return {
      speed: up ? adapterOf(dev).linkSpeed() : -1,
      duplex: up ? 1 : 0xff,
      port: 0,
      phy_address: 0,
      autoneg: true,
      eth_tp_mdix: up ? 1 : 0,
      eth_tp_mdix_ctrl: 3,
      supported: E1000_MODES,
      advertising: E1000_MODES,
      supportedPorts: ['TP'],
      supportsAutoneg: true,
    };
  },
  get_wol: () => ({ supported: 'umbg', wolopts: 'd' }),
  get_msglevel: () => 7,
  get_ringparam: (dev) => {
    const r = e1000_get_ringparam(adapterOf(dev));
    return {
      rx_max_pending: r.rxMax,
      rx_mini_max_pending: 0,
      rx_jumbo_max_pending: 0,
      tx_max_pending: r.txMax,
      rx_pending: r.rx,
      rx_mini_pending: 0,
      rx_jumbo_pending: 0,
      tx_pending: r.tx,
    };
  },
  set_ringparam: (dev, rx, tx) => e1000_set_ringparam(adapterOf(dev), rx, tx),
  supported_coalesce_params: ['rx-usecs'],
  get_coalesce: (dev) => ({ rx_coalesce_usecs: e1000_get_coalesce(adapterOf(dev)) }),
  set_coalesce: (dev, c) => e1000_set_coalesce(adapterOf(dev), c.rx_coalesce_usecs),
  get_ethtool_stats: (dev) => {
    const a = adapterOf(dev);
    return E1000_STATS.map((n) => [n, e1000_stat(a, n)] as [string, number]);
  },
  get_features: e1000_features,
  set_feature: e1000_set_feature,
};

export const e1000Ops: Readonly<NetDeviceOps> = {
  kind: 'e1000',
  ethtool_ops: e1000_ethtool_ops,
  ndo_offloads: (dev) => {
    const f = adapterOf(dev).features;
    return { tso: f.tso && f.sg && f.txcsum, csum: f.txcsum };
  },
  ndo_start_xmit: e1000_xmit_frame,
  ndo_open: e1000_open,
  ndo_stop: e1000_close,
};

/** netdev_priv() */
export function adapterOf(dev: NetDevice): E1000Adapter {
  if (!isE1000(dev)) throw new Error(`${dev.name} is not an e1000 device`);
  return dev.priv as E1000Adapter;
}

export function isE1000(dev: NetDevice): boolean {
  return dev.priv instanceof E1000Adapter;
}

/** alloc_etherdev(): an Ethernet net_device with its private area. */
function alloc_etherdev(name: string): NetDevice {
  const d = new NetDevice(name, e1000Ops);
  d.flags = IFF_BROADCAST | IFF_MULTICAST;
  d.mtu = 1500;
  d.minMtu = 46;
  d.maxMtu = 16110;
  d.carrier = false;
  d.txQueueLen = 1000;
  return d;
}

/** e1000_probe(): the PCI core matched an id in e1000_pci_tbl. Returns 0 or a negative errno. */
export function e1000_probe(net: Net, pdev: PciDev, name: string): { err: number; adapter?: E1000Adapter } {
  const ent = e1000_pci_tbl.find((e) => e.vendor === pdev.vendor && e.device === pdev.device);
  if (!ent) return { err: -ENODEV };
  const netdev = alloc_etherdev(name);
  const adapter = new E1000Adapter(pdev, netdev);
  netdev.priv = adapter;
  netdev.devAddr.set(pdev.nvmMac);
  // not IFF_NO_QUEUE: net.core.default_qdisc at the first up
  netdev.noQueue = false;
  // SET_NETDEV_DEV(netdev, &pdev->dev)
  netdev.parentDev = { bus: 'pci', name: pdev.slot };
  // register_netdev()
  const err = register_netdevice(net, netdev);
  if (err) {
    netdev.priv = null;
    return { err };
  }
  (adapter.napi as { addr: string }).addr = `ffff8880${(0x0e100000 + netdev.ifindex * 0x1000).toString(16).padStart(8, '0')}`;
  napi_hash_add(net.kernel, adapter.napi);
  // pdev->irq: the interrupt line the PCI core routed to the device (request_irq at open names it)
  adapter.irq = irq_alloc_desc(net.kernel, netdev.name);
  e1000_setup_rings(adapter);
  return { err: 0, adapter };
}

/** ethtool -K gro on|off reaches the GRO layer through netif_elide_gro(). */
export function e1000_set_gro(adapter: E1000Adapter, on: boolean): void {
  adapter.features.gro = on;
  if (on) adapter.netdev.features |= NETIF_F_GRO;
  else adapter.netdev.features &= ~NETIF_F_GRO;
}

/** The skb a received frame becomes (its data from the MAC header on); lineage follows the sender's skb. */
export function rx_frame_skb(dev: NetDevice, frame: Uint8Array, origin: number): SkBuff {
  const skb = alloc_skb(dev.net.kernel, frame.length, 2 + 64);
  const at = skb.put(frame.length);
  skb.head.set(frame, at);
  skb.origin = origin;
  skb.dev = dev;
  skb.resetMacHeader();
  skb.networkHeader = skb.data + ETH_HLEN;
  return skb;
}

// --- ethtool_ops (e1000_ethtool.c) ---

/** e1000_get_ringparam(): maximums of an 82544 or later, the current sizes. */
export function e1000_get_ringparam(adapter: E1000Adapter): { rxMax: number; txMax: number; rx: number; tx: number } {
  return { rxMax: E1000_MAX_82544_RXD, txMax: E1000_MAX_82544_TXD, rx: adapter.rxCount, tx: adapter.txCount };
}

/** e1000_set_ringparam(): clamps to [48, 4096], aligns to 8, and reinitialises a running device. */
export function e1000_set_ringparam(adapter: E1000Adapter, rx: number, tx: number): number {
  const align = (n: number): number => Math.ceil(n / REQ_DESCRIPTOR_MULTIPLE) * REQ_DESCRIPTOR_MULTIPLE;
  const rxc = align(Math.min(Math.max(rx, E1000_MIN_RXD), E1000_MAX_82544_RXD));
  const txc = align(Math.min(Math.max(tx, E1000_MIN_TXD), E1000_MAX_82544_TXD));
  const dev = adapter.netdev;
  const running = (dev.flags & IFF_UP) !== 0;
  if (running) e1000_close(dev);
  adapter.rxCount = rxc;
  adapter.txCount = txc;
  if (running) {
    // e1000_up(): the device keeps IFF_UP; rings and buffers come back
    e1000_open(dev);
  } else e1000_setup_rings(adapter);
  return 0;
}

/** e1000_get_coalesce(): rx-usecs is the InterruptThrottleRate mode (0-4) or 1e6 / rate. */
export function e1000_get_coalesce(adapter: E1000Adapter): number {
  return adapter.itrSetting <= 4 ? adapter.itrSetting : Math.floor(1_000_000 / adapter.itrSetting);
}

/** e1000_set_coalesce(): returns 0 or -EINVAL. */
export function e1000_set_coalesce(adapter: E1000Adapter, usecs: number): number {
  if (usecs > E1000_MAX_ITR_USECS || (usecs > 4 && usecs < E1000_MIN_ITR_USECS) || usecs === 2) return -EINVAL;
  if (usecs === 4) {
    adapter.itr = adapter.itrSetting = 4;
  } else if (usecs <= 3) {
    adapter.itr = 20000;
    adapter.itrSetting = usecs;
  } else {
    adapter.itr = Math.floor(1_000_000 / usecs);
    adapter.itrSetting = adapter.itr & ~3;
  }
  return 0;
}
