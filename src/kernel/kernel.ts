// The simulated machine: its CPUs with their per-CPU data,
// one ftrace buffer and the global protocol tables, shared by every network namespace.
import { COST } from '../sim/costs.ts';
import { NET_RX_SOFTIRQ } from '../sim/cpu.ts';
import type { Sim } from '../sim/sim.ts';
import type { PacketType } from './core/netdevice.ts';
import type { Net } from './net_namespace.ts';
import type { RtnlLinkOps } from './core/rtnetlink.ts';
import type { SkBuff, SkbIds } from './skbuff.ts';
import { Tracer } from './trace/tracer.ts';
import { Kmsg } from './printk.ts';
import { PathRecorder } from './trace/probe.ts';
import { net_rx_action } from './core/dev.ts';
import { PciHotplug } from './drivers/pci_hotplug.ts';

/** struct net_protocol: an inet_protos[] entry. */
export interface NetProtocol {
  handler(net: Net, skb: SkBuff): number;
  errHandler?(net: Net, skb: SkBuff, info: number): void;
}

export type DropObserver = (net: Net, skb: SkBuff, reason: number, location: string) => void;

export class Kernel {
  readonly tracer = new Tracer();
  /** The kernel log (printk, dmesg). */
  readonly kmsg: Kmsg;
  /** Every skb's path through the kernel functions (skbpath trace/drops). */
  readonly path: PathRecorder;
  /** ptype_base, by ethertype. */
  readonly ptypeBase = new Map<number, PacketType[]>();
  /** inet_protos[] */
  readonly inetProtos: (NetProtocol | undefined)[] = new Array(256);
  /** inet6_protos[] (ipv6/protocol.ts inet6_add_protocol) */
  readonly inet6Protos: (import('./ipv6/protocol.ts').Inet6Protocol | undefined)[] = new Array(256);
  readonly dropObservers: DropObserver[] = [];
  readonly nets: Net[] = [];
  /** link_ops: the kinds `ip link add … type KIND` can create (rtnl_link_register at boot). */
  readonly rtnlLinkOps = new Map<string, RtnlLinkOps>();
  /** net/sched: the classifier kinds (register_tcf_proto_ops) and action kinds (tcf_register_action) built in. */
  readonly tcfProtoOps = new Map<string, import('./sched/cls_api.ts').TcfProtoOps>();
  readonly tcActionOps = new Map<string, import('./sched/act_api.ts').TcActionOps>();
  /** Timers armed by jiffies (ipv6/addrconf_core.ts jiffies_timer_at): a count that orders those of one tick last-armed first, as the timer wheel's buckets do. */
  jiffyTimerSeq = 0;
  /** tasklet_vec: tasklets scheduled for TASKLET_SOFTIRQ (drivers/ifb.ts), opened on first use. */
  tasklets: (() => void)[] | null = null;
  /** The open files of /dev/net/tun (drivers/tun.ts), in the order they were opened. */
  readonly tunFiles: import('./drivers/tun.ts').TunFile[] = [];
  /** softnet_data.xmit.sched_mirred_nest: act_mirred's recursion depth. */
  tcMirredNest = 0;
  /** netdev_chain: the netdev notifiers (register_netdevice_notifier), in registration order. */
  readonly netdevChain: import('./core/rtnetlink.ts').NetdevNotifier[] = [];
  /** skb numbering (skbaddr in traces), from 1 in every run. */
  readonly skbIds: SkbIds = { next: 1 };
  /** sock_gen_cookie()'s generator: the next socket cookie. */
  nextSockCookie = 1;
  /**
   * get_next_ino() for sockfs inodes (/proc/net/tcp, udp, raw): the next number.
   * Seven digits, as on a machine that has run a while (the oracle's): the
   * fixed-width records of /proc/net/tcp pad to the same length.
   */
  nextIno = 1048576;
  /** per-CPU softnet_data (core/dev.ts), made on first use. */
  softnetData: import('./core/dev.ts').SoftnetData[] | null = null;
  /** net/sched's statics and rtnl handlers (sched/sch_api.ts tc_state()), made on first use. */
  tc: import('./sched/sch_api.ts').TcState | null = null;
  /** net.core.default_qdisc: the ops attach_default_qdiscs gives a device with a queue (null: pfifo_fast). */
  defaultQdiscOps: import('./sched/sch_generic.ts').Qdisc_ops | null = null;
  /** per-CPU output_queue of qdiscs for NET_TX (sched/sch_generic.ts), opened on first use. */
  outputQueue: import('./sched/sch_generic.ts').Qdisc[] | null = null;
  /** napi_hash_add(): the next NAPI id, from MIN_NAPI_ID (NR_CPUS + 1; CONFIG_NR_CPUS=256). */
  nextNapiId = 257;
  /** RPS/RFS globals (core/rps.ts): rps_needed, hashrnd, rps_sock_flow_table; made on first use. */
  rps: import('./core/rps.ts').RpsState | null = null;
  /** irq_desc of each interrupt line (irq.ts). */
  readonly irqDescs = new Map<number, import('./irq.ts').IrqDesc>();
  /** irq_default_affinity (/proc/irq/default_smp_affinity); null: every CPU. */
  irqDefaultAffinity: number[] | null = null;
  /** xt[]: the registered xtables matches and targets (netfilter/x_tables.ts xt_af()). */
  xt: import('./netfilter/x_tables.ts').XtAf | null = null;
  /** The simulated PCI hotplug controller (skbpath-nic): slots, NVM MACs, cables. */
  readonly pciHotplug = new PciHotplug();
  /** /proc/sys/net/core */
  netdevMaxBacklog = 1000;
  netdevBudget = 300;
  devWeight = 64;
  /** HZ=250 as on the oracle's kernel; jiffies start at INITIAL_JIFFIES-ish. */
  readonly HZ = 250;
  readonly initialJiffies = 4294892296;

  constructor(readonly sim: Sim) {
    this.tracer.now = () => sim.now;
    this.tracer.commOf = () => sim.sched.current?.comm ?? '<idle>';
    this.tracer.pidOf = () => sim.sched.current?.pid ?? 0;
    this.tracer.softirqOf = () => sim.cpu.inSoftirq;
    this.tracer.charge = (bytes) => sim.mem.charge('tracepoints', bytes);
    this.kmsg = new Kmsg(() => sim.now);
    this.path = new PathRecorder(
      () => sim.now,
      () => sim.sched.current?.comm ?? '<idle>',
      () => sim.smp.cur,
    );
    this.tracer.cpuOf = () => sim.smp.cur;
    sim.cpu.openSoftirq(NET_RX_SOFTIRQ, () => net_rx_action(this));
  }

  /** A task enters the kernel: the syscall's cost, and no skb in hand yet. */
  syscallEnter(): void {
    this.sim.spend(COST.syscall);
    if (this.path.enabled) this.path.syscallEntry();
  }

  get now(): number {
    return this.sim.now;
  }

  jiffies(): number {
    return (this.initialJiffies + Math.floor(this.sim.now / (1e9 / this.HZ))) >>> 0;
  }

  notifyDrop(net: Net, skb: SkBuff, reason: number, location: string): void {
    for (const o of this.dropObservers) o(net, skb, reason, location);
  }

  dev_add_pack(pt: PacketType): void {
    let l = this.ptypeBase.get(pt.type);
    if (!l) this.ptypeBase.set(pt.type, (l = []));
    l.push(pt);
  }
}
