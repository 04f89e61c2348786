// net/core/dev.c: transmit (dev_queue_xmit), the backlog (netif_rx,
// process_backlog) and receive (__netif_receive_skb_core).
import type { INIT_NET_SYSCTL_DEFAULTS } from '../sysctl_defaults.ts';
import { kprobe } from '../trace/probe.ts';
import { NET_RX_SOFTIRQ } from '../../sim/cpu.ts';
import { COST } from '../../sim/costs.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import { PACKET_LOOPBACK, PACKET_OTHERHOST, PACKET_OUTGOING, type SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import {
  IFF_ALLMULTI,
  IFF_PROMISC,
  IFF_UP,
  NET_RX_DROP,
  NET_RX_SUCCESS,
  NET_XMIT_DROP,
  NET_XMIT_SUCCESS,
  NETDEV_TX_BUSY,
  NETDEV_TX_OK,
  type NetDevice,
  type PacketType,
} from './netdevice.ts';
import { kfree_skb_reason } from './skb_free.ts';
import { skbaddr } from './skb_free.ts';
import { __dev_xmit_skb, noop_enqueue } from '../sched/sch_generic.ts';
import { sch_handle_egress, sch_handle_ingress, skb_skip_tc_classify } from '../sched/sch_ingress.ts';
import { get_rps_cpu, rps_needed, type RpsDevFlow } from './rps.ts';
import { __gro_flush } from './gro.ts';
import { ENETDOWN } from '../uapi/errno.ts';
import { ETH_P_8021AD, ETH_P_8021Q } from '../../wire/ethernet.ts';
import {
  __vlan_hwaccel_clear_tag,
  __vlan_hwaccel_push_inside,
  skb_vlan_untag,
  vlan_do_receive,
  vlan_tap_copy,
} from '../8021q/vlan_core.ts';
import { nf_hook_ingress, nf_hook_ingress_active } from '../netfilter/core.ts';

const XMIT_RECURSION_LIMIT = 8;

/** dev_queue_xmit(): takes ownership of skb; returns NET_XMIT_* or a negative errno. */
export function dev_queue_xmit(skb: SkBuff): number {
  return __dev_queue_xmit(skb);
}

export function __dev_queue_xmit(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  const k = net.kernel;
  const cpu = k.sim.cpu;
  skb.resetMacHeader();
  kprobe(net, skb, '__dev_queue_xmit');
  // rcu_read_lock_bh()
  cpu.localBhDisable();
  let rc: number;
  skb.tcAtIngress = false; // tcx_set_ingress(skb, false)
  if (dev.tcxEgress) {
    const out = { ret: NET_XMIT_SUCCESS };
    const s = sch_handle_egress(skb, dev, out);
    if (!s) {
      cpu.localBhEnable();
      return out.ret;
    }
  }
  if (k.tracer.enabled) k.tracer.emit('net_dev_queue', `dev=${dev.name} skbaddr=${skbaddr(skb)} len=${skb.len}`, net.name);
  const txq = dev.txq;
  const q = txq.qdisc;
  if (!(dev.flags & IFF_UP) || dev.qdiscDeactivated || q === null) {
    // A down device (or one linkwatch deactivated for lack of carrier) has noop_qdisc: noop_enqueue() counts and drops.
    rc = noop_enqueue(skb, dev, () => `${dev.name} is down (noop qdisc)`);
  } else if (dev.xmitRecursion > XMIT_RECURSION_LIMIT) {
    dev.stats.tx_dropped++;
    kfree_skb_reason(net, skb, SKB_DROP_REASON.RECURSION_LIMIT, '__dev_queue_xmit');
    rc = -ENETDOWN;
  } else if (q.enqueue) {
    // a device with a queue (a NIC's pfifo_fast, or what tc grafted)
    rc = __dev_xmit_skb(skb, q, dev, txq);
  } else {
    // noqueue: the direct path (validate_xmit_skb, dev_hard_start_xmit)
    dev.xmitRecursion++;
    rc = dev_hard_start_xmit(skb, dev);
    dev.xmitRecursion--;
  }
  cpu.localBhEnable();
  return rc;
}

/** dev_hard_start_xmit() → xmit_one(): taps first, then the driver. */
export function dev_hard_start_xmit(skb: SkBuff, dev: NetDevice): number {
  const net = dev.net;
  kprobe(net, skb, 'dev_hard_start_xmit');
  // validate_xmit_vlan(): a device without NETIF_F_HW_VLAN_*_TX gets the tag in the frame
  if (skb.vlanPresent && !dev.ops.vlan_tx_offload) __vlan_hwaccel_push_inside(skb);
  if (net.ptypeAll.length !== 0 || dev.ptypeAll.length !== 0) dev_queue_xmit_nit(skb, dev);
  const len = skb.len;
  const id = skb.id;
  net.kernel.sim.spend(COST.txPacket);
  const rc = dev.ops.ndo_start_xmit(skb, dev);
  const k = net.kernel;
  if (k.tracer.enabled) {
    k.tracer.emit('net_dev_xmit', `dev=${dev.name} skbaddr=${skbaddrOf(id)} len=${len} rc=${rc}`, net.name);
  }
  return rc === NETDEV_TX_OK ? 0 : rc === NETDEV_TX_BUSY ? NETDEV_TX_BUSY : NET_XMIT_DROP;
}

function skbaddrOf(id: number): string {
  return (0xffff8880_00000000n + BigInt(id) * 0x100n).toString(16);
}

/** dev_queue_xmit_nit(): a clone of each transmitted frame to every tap. */
export function dev_queue_xmit_nit(skb: SkBuff, dev: NetDevice): void {
  for (let l = 0; l < 2; l++) {
    for (const pt of l === 0 ? dev.net.ptypeAll : dev.ptypeAll) {
      if (pt.ignoreOutgoing) continue;
      if (pt.dev && pt.dev !== dev) continue;
      // skb_loop_sk(): never back to the socket it came from
      if (skb.pktOwner !== null && skb.pktOwner === pt) continue;
      const c = skb.vlanPresent ? vlan_tap_copy(skb) : skb.clone();
      c.pktType = PACKET_OUTGOING;
      c.resetNetworkHeader();
      pt.func(c, dev, pt, dev);
    }
  }
}

/** __netif_rx() → netif_rx_internal(): queue to a CPU's backlog (the one RPS picks, else this one). */
export function __netif_rx(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const net = dev.net;
  const k = net.kernel;
  kprobe(net, skb, '__netif_rx');
  if (k.tracer.enabled) k.tracer.emit('netif_rx', `dev=${dev.name} skbaddr=${skbaddr(skb)} len=${skb.len}`, net.name);
  skb.tstamp = k.now;
  return netif_rx_internal(k, skb);
}

export const netif_rx = __netif_rx;

/**
 * dev_loopback_xmit(): a copy of an outgoing packet back into this host's
 * receive path (ip_mc_finish_output), as netif_rx() takes it from process
 * context: with BH off, and the softirq runs as BH comes back on.
 */
export function dev_loopback_xmit(net: Net, _sk: Sock | null, skb: SkBuff): number {
  kprobe(net, skb, 'dev_loopback_xmit');
  skb.resetMacHeader();
  if (skb.networkHeader > skb.data) skb.pull(skb.networkHeader - skb.data);
  skb.pktType = PACKET_LOOPBACK;
  const cpu = net.kernel.sim.cpu;
  cpu.localBhDisable();
  __netif_rx(skb);
  cpu.localBhEnable();
  return 0;
}

/** netif_rx_internal(): with RPS on (rps_needed), get_rps_cpu() picks the backlog; else smp_processor_id(). */
function netif_rx_internal(k: Kernel, skb: SkBuff): number {
  if (rps_needed(k)) {
    const out: { rflow: RpsDevFlow | null } = { rflow: null };
    let cpu = get_rps_cpu(skb.dev as NetDevice, skb, out);
    if (cpu < 0) cpu = k.sim.smp.cur;
    return enqueue_to_backlog(k, skb, cpu, out.rflow);
  }
  return enqueue_to_backlog(k, skb, k.sim.smp.cur);
}

/** enqueue_to_backlog(): onto per_cpu(softnet_data, cpu).input_pkt_queue, scheduling its backlog NAPI when it was empty. */
export function enqueue_to_backlog(k: Kernel, skb: SkBuff, cpu: number = k.sim.smp.cur, rflow: RpsDevFlow | null = null): number {
  const dev = skb.dev as NetDevice;
  if (rps_needed(k)) kprobe(dev.net, skb, 'enqueue_to_backlog');
  if (!(dev.flags & IFF_UP)) {
    // bad_dev: the device's rx_dropped only; sd's drop counter is for CPU_BACKLOG
    dev.stats.rx_dropped++;
    kfree_skb_reason(dev.net, skb, SKB_DROP_REASON.DEV_READY, 'enqueue_to_backlog');
    return NET_RX_DROP;
  }
  const sd = per_cpu_softnet_data(k, cpu);
  const qlen = sd.inputPktQueue.length - sd.inputHead;
  const max = netdev_max_backlog(k);
  if (qlen > max) {
    sd.dropped++;
    dev.stats.rx_dropped++;
    kfree_skb_reason(
      dev.net,
      skb,
      SKB_DROP_REASON.CPU_BACKLOG,
      'enqueue_to_backlog',
      () => `input_pkt_queue of CPU ${sd.cpu} holds ${qlen} > netdev_max_backlog ${max}`,
    );
    return NET_RX_DROP;
  }
  if (qlen === 0 && !sd.backlog.sched) {
    // __test_and_set_bit(NAPI_STATE_SCHED, &sd->backlog.state)
    sd.backlog.sched = true;
    napi_schedule_rps(k, sd);
  }
  sd.inputPktQueue.push(skb);
  // rps_input_queue_tail_incr(), saved in the RFS flow entry (rflow->last_qtail)
  sd.inputQueueTail = (sd.inputQueueTail + 1) >>> 0;
  if (rflow) rflow.lastQtail = sd.inputQueueTail;
  return NET_RX_SUCCESS;
}

/**
 * napi_schedule_rps(): another CPU's queue joins this CPU's rps_ipi_list (the
 * IPI goes out when net_rx_action ends); this CPU's own backlog is scheduled here.
 */
function napi_schedule_rps(k: Kernel, sd: SoftnetData): void {
  const mysd = softnet_data(k);
  if (sd !== mysd) {
    // sd->rps_ipi_next = mysd->rps_ipi_list; mysd->rps_ipi_list = sd;
    mysd.rpsIpiList.unshift(sd);
    // not called from net_rx_action(): raise NET_RX_SOFTIRQ so one runs to send the IPI
    if (!mysd.inNetRxAction) k.sim.cpu.raiseSoftirq(NET_RX_SOFTIRQ);
    return;
  }
  ____napi_schedule(k, mysd, mysd.backlog);
}

/** rps_trigger_softirq(): the IPI handler on the remote CPU schedules its backlog. */
function rps_trigger_softirq(sd: SoftnetData): void {
  ____napi_schedule(sd.k, sd, sd.backlog);
  sd.receivedRps++;
}

/** net_rps_send_ipi(): one IPI per CPU on the list, in list order. */
function net_rps_send_ipi(k: Kernel, remsd: SoftnetData[]): void {
  for (const sd of remsd) k.sim.smp.sendIpi(k.sim, sd.cpu, rps_trigger_softirq, sd);
}

/** net_rps_action_and_irq_enable(): sends the IPIs this CPU owes. */
function net_rps_action_and_irq_enable(k: Kernel, sd: SoftnetData): void {
  if (!sd.rpsIpiList.length) return;
  const remsd = sd.rpsIpiList;
  sd.rpsIpiList = [];
  net_rps_send_ipi(k, remsd);
}

// --- NAPI and the per-CPU softnet data (struct softnet_data) ---

/** struct napi_struct: a device's (or the backlog's) poll routine on sd->poll_list. */
export interface NapiStruct {
  /** napi->dev; null for the CPU's backlog. */
  readonly dev: NetDevice | null;
  weight: number;
  /** NAPI_STATE_SCHED */
  sched: boolean;
  /** The address napi:napi_poll prints. */
  readonly addr: string;
  /** napi->napi_id (napi_hash_add); __skb_mark_napi_id copies it into the skb before the tracepoint. */
  napiId?: number;
  poll(n: NapiStruct, budget: number): number;
  /** n->gro: held packets (gro_list) and the rx_list batch for netif_receive_skb_list_internal. */
  readonly gro: GroState;
}

/** struct gro_node */
export interface GroState {
  /** gro_hash: skbs held for merging, oldest first. */
  held: SkBuff[];
  /** rx_list / rx_count: GRO_NORMAL skbs waiting for gro_normal_batch. */
  rxList: SkBuff[];
}

export class SoftnetData {
  readonly pollList: NapiStruct[] = [];
  /** softnet_stat column 1: packets __netif_receive_skb_core saw on this CPU */
  processed = 0;
  /** softnet_stat column 2: CPU_BACKLOG drops of this CPU's input_pkt_queue */
  dropped = 0;
  /** softnet_stat column 3 */
  timeSqueeze = 0;
  /** softnet_stat column 10: RPS IPIs this CPU received */
  receivedRps = 0;
  /** input_pkt_queue (from inputHead on) */
  inputPktQueue: SkBuff[] = [];
  inputHead = 0;
  /** process_queue: the part of the backlog process_backlog is working through. */
  processQueue: SkBuff[] = [];
  processHead = 0;
  /** input_queue_head / input_queue_tail: skbs ever dequeued from / queued to the backlog (RFS's in-order check). */
  inputQueueHead = 0;
  inputQueueTail = 0;
  /** Other CPUs' softnet_data this CPU must send an RPS IPI to (rps_ipi_list). */
  rpsIpiList: SoftnetData[] = [];
  inNetRxAction = false;
  readonly backlog: NapiStruct;
  /** init_net, whose net.core sysctls (netdev_budget…) set the knobs. */
  initNet: Net | null | undefined = undefined;

  constructor(
    readonly k: Kernel,
    readonly cpu: number,
  ) {
    this.backlog = {
      dev: null,
      weight: k.devWeight,
      sched: false,
      // the address ftrace prints for CPU 0's backlog NAPI struct, then one per-CPU area further
      addr: (0xffff88807dc2d950n + BigInt(cpu) * 0x40000n).toString(16),
      poll: (n, quota) => process_backlog(k, this, n, quota),
      gro: { held: [], rxList: [] },
    };
  }
}

function all_softnet_data(k: Kernel): SoftnetData[] {
  let sds = k.softnetData;
  if (!sds) {
    sds = [];
    for (const cpu of k.sim.smp.cpus) {
      sds.push(new SoftnetData(k, cpu.id));
      cpu.attachKsoftirqd(k.sim);
    }
    k.softnetData = sds;
  }
  return sds;
}

/** this_cpu_ptr(&softnet_data) */
export function softnet_data(k: Kernel): SoftnetData {
  return all_softnet_data(k)[k.sim.smp.cur] as SoftnetData;
}

/** &per_cpu(softnet_data, cpu) */
export function per_cpu_softnet_data(k: Kernel, cpu: number): SoftnetData {
  return (all_softnet_data(k)[cpu] ?? softnet_data(k)) as SoftnetData;
}

/** for_each_online_cpu: every CPU's softnet_data. */
export function for_each_softnet_data(k: Kernel): readonly SoftnetData[] {
  return all_softnet_data(k);
}

/** A net.core sysctl of init_net (net_core_table), or the boot default when there is no init_net. */
function core_sysctl(k: Kernel, key: keyof typeof INIT_NET_SYSCTL_DEFAULTS, dflt: number): number {
  const sd = per_cpu_softnet_data(k, 0);
  if (sd.initNet === undefined) sd.initNet = k.nets.find((n) => n.name === 'init_net') ?? null;
  const net = sd.initNet;
  return net && net.sysctl.has(key) ? net.sysctl.int(key) : dflt;
}

function netdev_max_backlog(k: Kernel): number {
  return core_sysctl(k, 'net.core.netdev_max_backlog', k.netdevMaxBacklog);
}

/** napi_schedule() → napi_schedule_prep() + ____napi_schedule() on this CPU: onto its poll list, NET_RX raised. */
export function napi_schedule(k: Kernel, n: NapiStruct): boolean {
  if (n.sched) return false;
  n.sched = true;
  ____napi_schedule(k, softnet_data(k), n);
  return true;
}

/** ____napi_schedule(): n joins sd's poll list and NET_RX is raised on the CPU running now (sd's own). */
function ____napi_schedule(k: Kernel, sd: SoftnetData, n: NapiStruct): void {
  sd.pollList.push(n);
  k.sim.cpu.raiseSoftirq(NET_RX_SOFTIRQ);
}

/** usecs_to_jiffies() at HZ=250 */
function usecs_to_jiffies(k: Kernel, us: number): number {
  return Math.ceil((us * k.HZ) / 1_000_000);
}

/** net_rx_action(): polls the NAPIs on this CPU's poll_list until the budget or 2 jiffies run out, then sends the RPS IPIs. */
export function net_rx_action(k: Kernel): void {
  const sd = softnet_data(k);
  const timeLimit = k.jiffies() + usecs_to_jiffies(k, core_sysctl(k, 'net.core.netdev_budget_usecs', 8000));
  let budget = core_sysctl(k, 'net.core.netdev_budget', k.netdevBudget);
  let repoll: NapiStruct[] | null = null;
  sd.inNetRxAction = true;
  let list = sd.pollList.splice(0);
  let i = 0;
  for (;;) {
    if (i >= list.length) {
      if (!repoll) {
        sd.inNetRxAction = false;
        if (sd.pollList.length) {
          // goto start
          sd.inNetRxAction = true;
          list = sd.pollList.splice(0);
          i = 0;
          continue;
        }
        if (!sd.rpsIpiList.length) return;
      }
      break;
    }
    const n = list[i++] as NapiStruct;
    const work = napi_poll(k, n);
    if (work < 0) {
      // work == weight: the NAPI goes on repoll
      (repoll ??= []).push(n);
      budget -= -work;
    } else budget -= work;
    if (budget <= 0 || k.jiffies() - timeLimit >= 0) {
      sd.timeSqueeze++;
      break;
    }
  }
  // leftovers first, then what was scheduled meanwhile, then the repolls
  const rest = list.slice(i);
  for (const n of sd.pollList) rest.push(n);
  if (repoll) for (const n of repoll) rest.push(n);
  sd.pollList.length = 0;
  for (const n of rest) sd.pollList.push(n);
  if (sd.pollList.length) k.sim.cpu.raiseSoftirq(NET_RX_SOFTIRQ);
  else sd.inNetRxAction = false;
  net_rps_action_and_irq_enable(k, sd);
}

/**
 * napi_poll() (inlined into net_rx_action) → __napi_poll(). Returns the work
 * done, negated when the NAPI used its whole weight and must be repolled.
 */
function napi_poll(k: Kernel, n: NapiStruct): number {
  const weight = n.weight;
  let work = 0;
  if (n.sched) {
    work = n.poll(n, weight);
    if (k.tracer.enabled) {
      k.tracer.emit(
        'napi_poll',
        `napi poll on napi struct ${n.addr} for device ${n.dev ? n.dev.name : '(no_device)'} work ${work} budget ${weight}`,
        n.dev ? n.dev.net.name : 'init_net',
      );
    }
  }
  if (work < weight) return work;
  // gro_flush_normal(&n->gro, HZ >= 1000): at HZ=250 everything held goes up
  gro_flush_normal(n, false);
  return -work;
}

/** process_backlog(): the backlog NAPI's poll, quota dev_weight; IPIs still owed go out first. */
function process_backlog(k: Kernel, sd: SoftnetData, napi: NapiStruct, quota: number): number {
  const sim = k.sim;
  if (sd.rpsIpiList.length) net_rps_action_and_irq_enable(k, sd);
  napi.weight = Math.max(1, core_sysctl(k, 'net.core.dev_weight', k.devWeight) * core_sysctl(k, 'net.core.dev_weight_rx_bias', 1));
  let work = 0;
  for (;;) {
    while (sd.processHead < sd.processQueue.length) {
      const skb = sd.processQueue[sd.processHead] as SkBuff;
      sd.processQueue[sd.processHead++] = undefined as unknown as SkBuff;
      sim.countEvent();
      sim.spend(COST.rxPacket);
      // with RPS on, the path shows where each backlog skb is taken up (and on which CPU)
      if (rps_needed(k)) kprobe((skb.dev as NetDevice).net, skb, 'process_backlog');
      __netif_receive_skb(skb);
      if (++work >= quota) {
        // rps_input_queue_head_add()
        sd.inputQueueHead = (sd.inputQueueHead + work) >>> 0;
        return work;
      }
    }
    if (sd.inputHead >= sd.inputPktQueue.length) {
      sd.inputPktQueue.length = 0;
      sd.inputHead = 0;
      napi.sched = false;
      break;
    }
    // skb_queue_splice_tail_init(&sd->input_pkt_queue, &sd->process_queue)
    const q = sd.inputHead === 0 ? sd.inputPktQueue.splice(0) : sd.inputPktQueue.slice(sd.inputHead);
    sd.inputPktQueue.length = 0;
    sd.inputHead = 0;
    sd.processQueue = q;
    sd.processHead = 0;
  }
  sd.processQueue = [];
  sd.processHead = 0;
  if (work) sd.inputQueueHead = (sd.inputQueueHead + work) >>> 0;
  return work;
}

/** napi_complete_done(): the GRO batch goes up, then the NAPI leaves the poll list. */
export function napi_complete_done(n: NapiStruct, _work: number): boolean {
  gro_flush_normal(n, false);
  n.sched = false;
  return true;
}

/** gro_flush_normal() → __gro_flush() + gro_normal_list(). */
export function gro_flush_normal(n: NapiStruct, _recent: boolean): void {
  if (n.gro.held.length) __gro_flush(n);
  gro_normal_list(n);
}

/** gro_normal_list(): the batch to netif_receive_skb_list_internal(). */
export function gro_normal_list(n: NapiStruct): void {
  if (!n.gro.rxList.length) return;
  const list = n.gro.rxList;
  n.gro.rxList = [];
  netif_receive_skb_list_internal(list);
}

/** gro_normal_one(): a GRO_NORMAL skb joins rx_list; a full batch (gro_normal_batch) goes up. */
export function gro_normal_one(k: Kernel, n: NapiStruct, skb: SkBuff): void {
  n.gro.rxList.push(skb);
  if (n.gro.rxList.length >= core_sysctl(k, 'net.core.gro_normal_batch', 8)) gro_normal_list(n);
}

/** netif_receive_skb_list_internal() → __netif_receive_skb_list() → __netif_receive_skb_list_core(). */
export function netif_receive_skb_list_internal(list: SkBuff[]): void {
  const first = list[0];
  if (!first) return;
  const net = (first.dev as NetDevice).net;
  for (const skb of list) kprobe((skb.dev as NetDevice).net, skb, 'netif_receive_skb_list_internal');
  const k = net.kernel;
  if (rps_needed(k)) {
    // each skb RPS sends to a CPU leaves the list for that CPU's backlog
    const stay: SkBuff[] = [];
    for (const skb of list) {
      const out: { rflow: RpsDevFlow | null } = { rflow: null };
      const cpu = get_rps_cpu(skb.dev as NetDevice, skb, out);
      if (cpu >= 0) enqueue_to_backlog(k, skb, cpu, out.rflow);
      else stay.push(skb);
    }
    if (!stay.length) return;
    list = stay;
  }
  __netif_receive_skb_list_core(k, list);
}

/**
 * __netif_receive_skb_list_core(): __netif_receive_skb_core per skb, then
 * each run of skbs with the same (packet_type, orig_dev) goes to the type's
 * list_func (ip_list_rcv) in one call; types without one get func per skb.
 */
function __netif_receive_skb_list_core(k: Kernel, list: SkBuff[]): void {
  let odPt: PacketType | null = null;
  let odDev: NetDevice | null = null;
  let sub: SkBuff[] = [];
  for (const skb of list) kprobe((skb.dev as NetDevice).net, skb, '__netif_receive_skb_list_core');
  const flush = (): void => {
    if (!sub.length || !odPt) return;
    const pt = odPt;
    const batch = sub;
    sub = [];
    __netif_receive_skb_list_ptype(batch, pt, odDev as NetDevice);
  };
  for (const skb of list) {
    k.sim.countEvent();
    k.sim.spend(COST.rxPacket);
    const origDev = skb.dev as NetDevice;
    const r = __netif_receive_skb_core_pt(skb);
    if (!r) continue;
    if (r.pt !== odPt || origDev !== odDev) {
      flush();
      odPt = r.pt;
      odDev = origDev;
    }
    sub.push(r.skb);
  }
  flush();
}

/** __netif_receive_skb_list_ptype() (inl): list_func for the batch, or func per skb. */
function __netif_receive_skb_list_ptype(list: SkBuff[], pt: PacketType, origDev: NetDevice): void {
  if (pt.list_func) {
    pt.list_func(list, pt, origDev);
    return;
  }
  for (const skb of list) pt.func(skb, skb.dev as NetDevice, pt, origDev);
}

/** netif_receive_skb() → netif_receive_skb_internal(): RPS may queue the skb to a CPU's backlog. */
export function netif_receive_skb(skb: SkBuff): number {
  const dev = skb.dev as NetDevice;
  const k = dev.net.kernel;
  if (rps_needed(k)) {
    const out: { rflow: RpsDevFlow | null } = { rflow: null };
    const cpu = get_rps_cpu(dev, skb, out);
    if (cpu >= 0) return enqueue_to_backlog(k, skb, cpu, out.rflow);
  }
  return __netif_receive_skb(skb);
}

export function __netif_receive_skb(skb: SkBuff): number {
  return __netif_receive_skb_core(skb);
}

/** __netif_receive_skb_core(): taps, rx_handler, then ptype_base. Takes ownership of skb. */
export function __netif_receive_skb_core(skbIn: SkBuff): number {
  const r = __netif_receive_skb_core_pt(skbIn);
  if (!r) return r === null ? NET_RX_DROP : NET_RX_SUCCESS;
  return r.pt.func(r.skb, r.skb.dev as NetDevice, r.pt, r.origDev);
}

/**
 * The body of __netif_receive_skb_core() up to pt_prev: returns the packet
 * type the skb goes to last (its func not yet called), undefined when the
 * skb was consumed (rx_handler), null when it was dropped.
 */
function __netif_receive_skb_core_pt(skbIn: SkBuff): { pt: PacketType; skb: SkBuff; origDev: NetDevice } | null | undefined {
  let skb = skbIn;
  // orig_dev and the tracepoint belong to the first round; an rx_handler's
  // RX_HANDLER_ANOTHER (macvlan) goes round again with skb->dev changed
  const origDev = skb.dev as NetDevice;
  {
    const net = origDev.net;
    kprobe(net, skb, '__netif_receive_skb_core');
    if (net.kernel.tracer.enabled)
      net.kernel.tracer.emit('netif_receive_skb', `dev=${origDev.name} skbaddr=${skbaddr(skb)} len=${skb.len}`, net.name);
  }
  for (let round = 0; round < 8; round++) {
    const dev = skb.dev as NetDevice;
    const net = dev.net;
    const k = net.kernel;
    skb.resetNetworkHeader();
    skb.resetTransportHeader();
    skb.skbIif = dev.ifindex;
    softnet_data(k).processed++;
    // skb_vlan_untag(): an 802.1Q/802.1ad tag in the frame becomes metadata (taps get it back
    // as libpcap does from the auxdata). A bridge port keeps the tag inline for the bridge
    // (rx_handler) to forward unchanged.
    if ((skb.protocol === ETH_P_8021Q || skb.protocol === ETH_P_8021AD) && !skb.vlanPresent && !dev.rxHandler) {
      if (!skb_vlan_untag(skb)) {
        kfree_skb_reason(net, skb, SKB_DROP_REASON.NOT_SPECIFIED, 'skb_vlan_untag', () => 'a VLAN tag cut short');
        return null;
      }
    }
    let ptPrev: PacketType | null = null;
    // skb_skip_tc_classify(): an skb ifb re-injects skips the taps and tc (goto skip_classify)
    if (!skb_skip_tc_classify(skb)) {
      for (let l = 0; l < 2; l++) {
        for (const pt of l === 0 ? net.ptypeAll : dev.ptypeAll) {
          if (pt.dev && pt.dev !== dev) continue;
          if (ptPrev) deliver_skb(skb, ptPrev, origDev);
          ptPrev = pt;
        }
      }
      if (dev.tcxIngress) {
        // sch_handle_ingress(): the last tap gets its copy before tc runs
        if (ptPrev) {
          deliver_skb(skb, ptPrev, origDev);
          ptPrev = null;
        }
        const out = { ret: NET_RX_SUCCESS, another: false };
        const s = sch_handle_ingress(skb, out);
        if (!s) return out.ret === NET_RX_DROP ? null : undefined;
        skb = s;
      }
      skb.tcRedirected = false; // skb_reset_redirect()
    }
    // nf_ingress(): the netdev family's ingress chains, after the taps, before the rx_handler
    if (nf_hook_ingress_active(dev)) {
      if (ptPrev) {
        deliver_skb(skb, ptPrev, origDev);
        ptPrev = null;
      }
      if (nf_hook_ingress(skb) < 0) return null;
    }
    if (skb.vlanPresent) {
      if (ptPrev) {
        deliver_skb(skb, ptPrev, origDev);
        ptPrev = null;
      }
      const taken = vlan_do_receive(skb);
      if (taken === null) return null;
      // another_round on the VLAN device (the tracepoint and orig_dev stay the first round's)
      if (taken) continue;
    }
    let exact = false;
    if (dev.rxHandler) {
      if (ptPrev) {
        deliver_skb(skb, ptPrev, origDev);
        ptPrev = null;
      }
      const r = dev.rxHandler(skb);
      if (r.result === 'CONSUMED' || !r.skb) return undefined;
      skb = r.skb;
      if (r.result === 'ANOTHER') continue;
      exact = r.result === 'EXACT';
    }
    if (skb.vlanPresent) {
      // check_vlan_id: no VLAN device took the VID (vlan_do_receive), so the frame is for another host
      if (skb.vlanTci & 0xfff) skb.pktType = PACKET_OTHERHOST;
      __vlan_hwaccel_clear_tag(skb);
    }
    const handlers = k.ptypeBase.get(skb.protocol);
    if (handlers && !exact) {
      for (const pt of handlers) {
        if (pt.dev && pt.dev !== skb.dev) continue;
        if (ptPrev) deliver_skb(skb, ptPrev, origDev);
        ptPrev = pt;
      }
    }
    if (ptPrev) return { pt: ptPrev, skb, origDev };
    if (exact) dev.stats.rx_nohandler++;
    else dev.stats.rx_dropped++;
    kfree_skb_reason(
      net,
      skb,
      SKB_DROP_REASON.UNHANDLED_PROTO,
      '__netif_receive_skb_core',
      () => `no handler for ethertype 0x${skb.protocol.toString(16).padStart(4, '0')} and no capture open`,
    );
    return null;
  }
  return null;
}

/** deliver_skb(): the handler gets its own reference (a clone here). */
function deliver_skb(skb: SkBuff, pt: PacketType, origDev: NetDevice): void {
  pt.func(
    skb.vlanPresent && pt.type === 0x0003 /* ETH_P_ALL: a tap */ ? vlan_tap_copy(skb) : skb.clone(),
    skb.dev as NetDevice,
    pt,
    origDev,
  );
}

/** dev_set_promiscuity(): IFF_PROMISC follows the counter (taps, bridge ports). */
export function dev_set_promiscuity(dev: NetDevice, inc: number): void {
  const old = dev.flags;
  dev.promiscuity = Math.max(0, dev.promiscuity + inc);
  if (dev.promiscuity) dev.flags |= IFF_PROMISC;
  else dev.flags &= ~IFF_PROMISC;
  if (dev.flags !== old) dev_change_rx_flags(dev, IFF_PROMISC);
}

/** dev_set_allmulti() */
export function dev_set_allmulti(dev: NetDevice, inc: number): void {
  const old = dev.flags;
  dev.allmulti = Math.max(0, dev.allmulti + inc);
  if (dev.allmulti) dev.flags |= IFF_ALLMULTI;
  else dev.flags &= ~IFF_ALLMULTI;
  if (dev.flags !== old) dev_change_rx_flags(dev, IFF_ALLMULTI);
}

/** dev_change_rx_flags(): an up device's driver hears of its PROMISC/ALLMULTI changes. */
function dev_change_rx_flags(dev: NetDevice, change: number): void {
  if (dev.flags & IFF_UP) dev.ops.ndo_change_rx_flags?.(dev, change);
}

/**
 * __dev_set_rx_mode(): an up device without IFF_UNICAST_FLT goes promiscuous
 * while its unicast list holds addresses (dev->uc_promisc), and back.
 */
export function __dev_set_rx_mode(dev: NetDevice): void {
  if (!(dev.flags & IFF_UP) || dev.unicastFlt) return;
  if (dev.uc.length && !dev.ucPromisc) {
    dev_set_promiscuity(dev, 1);
    dev.ucPromisc = true;
  } else if (!dev.uc.length && dev.ucPromisc) {
    dev_set_promiscuity(dev, -1);
    dev.ucPromisc = false;
  }
}

/** netdev_upper_dev_link(): `upper` is stacked on `dev` (the adjacency lists the topology draws). */
export function netdev_upper_dev_link(dev: NetDevice, upper: NetDevice): void {
  dev.adjUpper.push(upper);
  upper.adjLower.push(dev);
}

/** netdev_upper_dev_unlink() */
export function netdev_upper_dev_unlink(dev: NetDevice, upper: NetDevice): void {
  const i = dev.adjUpper.indexOf(upper);
  if (i >= 0) dev.adjUpper.splice(i, 1);
  const j = upper.adjLower.indexOf(dev);
  if (j >= 0) upper.adjLower.splice(j, 1);
}

/** ndo_start_xmit's contract for callers that need to know whether it was taken. */

export function dev_get_by_name(net: Net, name: string): NetDevice | undefined {
  return net.devByName.get(name);
}

/** softnet_seq_show(): /proc/net/softnet_stat, one line per online CPU as 6.18 prints it. */
export function softnet_seq_show(k: Kernel): string {
  const h = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  let out = '';
  for (const sd of for_each_softnet_data(k)) {
    const input = sd.inputPktQueue.length - sd.inputHead;
    const proc = sd.processQueue.length - sd.processHead;
    // processed, dropped, time_squeeze, 0, 0×4 (was fastroute), 0 (was cpu_collision),
    // received_rps, flow_limit_count, backlog length, the CPU's index, input_qlen, process_qlen
    const cols = [sd.processed, sd.dropped, sd.timeSqueeze, 0, 0, 0, 0, 0, 0, sd.receivedRps, 0, input + proc, sd.cpu, input, proc];
    out += `${cols.map(h).join(' ')}\n`;
  }
  return out;
}
