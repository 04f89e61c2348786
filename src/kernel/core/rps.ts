// Receive Packet Steering (net/core/dev.c get_rps_cpu, net-sysfs.c rps_cpus)
// and the flow hash it steers by (net/core/flow_dissector.c skb_get_hash:
// the flow keys from the packet, SipHash-2-4 keyed by hashrnd).
//
// Every device here has one RX queue (rx-0): e1000, veth, lo and the bridge
// are single-queue, so there is no RSS (hardware steering by queue); RPS is
// the software steering that spreads one queue's packets over CPUs.
import type { Net } from '../net_namespace.ts';
import { Rng } from '../../sim/rng.ts';
import type { Kernel } from '../kernel.ts';
import type { SkBuff } from '../skbuff.ts';
import type { Sock } from '../sock.ts';
import { per_cpu_softnet_data } from './dev.ts';
import type { NetDevice } from './netdevice.ts';
import { kprobe } from '../trace/probe.ts';
import { ETH_P_IP, ETH_P_IPV6 } from '../../wire/ethernet.ts';
import { IPH_FRAG_OFF, IPH_PROTOCOL, IPH_SADDR, IPH_VERSION_IHL, IPV4_HEADER_LEN, IP_MF, IP_OFFSET } from '../../wire/ipv4.ts';

/** struct rps_dev_flow: the CPU a flow was last steered to and the backlog tail it was queued at. */
export interface RpsDevFlow {
  cpu: number;
  lastQtail: number;
}

/** struct netdev_rx_queue: the RPS part. */
export interface NetdevRxQueue {
  /** rps_map->cpus, in CPU order; null when no CPU is set. */
  rpsMap: number[] | null;
  /** rps_flow_cnt: the flow table's size (1 << log), 0 without a flow table. */
  rpsFlowCnt: number;
  /** rps_flow_table->flows (RFS), null without one. */
  flows: RpsDevFlow[] | null;
  flowLog: number;
}

export interface RpsState {
  /** static_key rps_needed: rx queues with an RPS map, plus the sock flow table. */
  count: number;
  hashrnd: [bigint, bigint] | null;
  /** net_hotdata.rps_sock_flow_table->ents (RFS), mask = length - 1; null when rps_sock_flow_entries is 0. */
  sockFlowTable: Uint32Array | null;
  /** rx_queue_release() is hooked on the netdev notifier chain. */
  releaseHooked: boolean;
}

function state(k: Kernel): RpsState {
  return (k.rps ??= { count: 0, hashrnd: null, sockFlowTable: null, releaseHooked: false });
}

export const RPS_NO_CPU = 0xffff;

/** net_hotdata.rps_cpu_mask: roundup_pow_of_two(nr_cpu_ids) - 1 */
function rps_cpu_mask(k: Kernel): number {
  let p = 1;
  while (p < k.sim.smp.nrCpuIds) p *= 2;
  return p - 1;
}

/** hash_32(): the golden-ratio multiplicative hash, top `bits` bits. */
function hash_32(val: number, bits: number): number {
  if (bits === 0) return 0;
  return (Math.imul(val >>> 0, 0x61c88647) >>> 0) >>> (32 - bits);
}

/** dev->_rx: the device's RX queues (real_num_rx_queues = 1 for every device here). */
export function dev_rx_queues(dev: NetDevice): NetdevRxQueue[] {
  let q = dev.rx;
  if (!q) {
    dev.rx = q = [{ rpsMap: null, rpsFlowCnt: 0, flows: null, flowLog: 0 }];
    const s = state(dev.net.kernel);
    if (!s.releaseHooked) {
      s.releaseHooked = true;
      // UNREGISTER also fires when the device moves to another namespace, which keeps
      // its queues (the kobjects move): release them only if it is still gone afterwards
      dev.net.kernel.netdevChain.push((event, d) => {
        if (event === 'UNREGISTER' && d.rx) {
          const sim = d.net.kernel.sim;
          sim.events.at(sim.now, rx_queue_release_if_gone, d);
        }
      });
    }
  }
  return q;
}

/** rx_queue_release(): the queue's kobject goes with an unregistered device: its map and flow table are freed. */
function rx_queue_release_if_gone(dev: NetDevice): void {
  const qs = dev.rx;
  if (!qs || dev.net.devByIndex.get(dev.ifindex) === dev) return;
  dev.rx = null;
  const s = state(dev.net.kernel);
  for (const q of qs) if (q.rpsMap) s.count--;
}

/** static_branch_unlikely(&rps_needed) */
export function rps_needed(k: Kernel): boolean {
  const s = k.rps;
  return s !== null && s.count > 0;
}

/**
 * get_rps_cpu(): RFS first (the CPU the flow's socket was last read or
 * written on, from rps_sock_flow_table, switched only once the old CPU's
 * backlog has passed the flow's last packet), else the receiving queue's RPS
 * map by the flow hash; -1 for none. `out.rflow` is the flow table entry whose
 * last_qtail enqueue_to_backlog must record (rflowp).
 */
export function get_rps_cpu(dev: NetDevice, skb: SkBuff, out?: { rflow: RpsDevFlow | null }): number {
  const rxq = dev_rx_queues(dev)[0] as NetdevRxQueue;
  const flows = rxq.flows;
  const map = rxq.rpsMap;
  if (!flows && !map) return -1;
  const k = dev.net.kernel;
  kprobe(dev.net, skb, 'get_rps_cpu');
  // skb_reset_network_header()
  skb.networkHeader = skb.data;
  const hash = skb_get_hash(k, skb);
  if (!hash) return -1;
  const table = state(k).sockFlowTable;
  if (flows && table) {
    const mask = rps_cpu_mask(k);
    const ident = table[hash & (table.length - 1)] as number;
    if (((ident ^ hash) & ~mask) >>> 0 === 0) {
      const nextCpu = ident & mask;
      const nr = k.sim.smp.nrCpuIds;
      let rflow = flows[hash_32(hash, rxq.flowLog)] as RpsDevFlow;
      let tcpu = rflow.cpu;
      // switch when the old CPU's backlog has dequeued past the flow's last packet (in-order delivery)
      if (tcpu !== nextCpu && (tcpu >= nr || ((per_cpu_input_queue_head(k, tcpu) - rflow.lastQtail) | 0) >= 0)) {
        tcpu = nextCpu;
        rflow = set_rps_cpu(k, rflow, nextCpu);
      }
      if (tcpu < nr) {
        if (out) out.rflow = rflow;
        return tcpu;
      }
    }
  }
  if (map) return map[reciprocal_scale(hash, map.length)] as number;
  return -1;
}

/** set_rps_cpu() without accelerated RFS: the entry follows the flow to next_cpu from its backlog's head. */
function set_rps_cpu(k: Kernel, rflow: RpsDevFlow, nextCpu: number): RpsDevFlow {
  if (nextCpu < k.sim.smp.nrCpuIds) rflow.lastQtail = per_cpu_input_queue_head(k, nextCpu);
  rflow.cpu = nextCpu;
  return rflow;
}

/** per_cpu(softnet_data, cpu).input_queue_head */
function per_cpu_input_queue_head(k: Kernel, cpu: number): number {
  return per_cpu_softnet_data(k, cpu).inputQueueHead;
}

/** rfs_needed */
function rfs_needed(k: Kernel): boolean {
  return state(k).sockFlowTable !== null;
}

/** sock_rps_save_rxhash(): the socket remembers the hash of the flow it receives (skb->hash, 0 if never computed). */
export function sock_rps_save_rxhash(sk: Sock, skb: SkBuff): void {
  if (sk.rxhash !== skb.hash) sk.rxhash = skb.hash;
}

/**
 * sock_rps_record_flow() (inet_recvmsg, inet_send_prepare): with RFS on, an
 * established socket's flow is recorded as wanted on the CPU this task runs on.
 */
export function sock_rps_record_flow(k: Kernel, sk: Sock, established: boolean): void {
  if (!rfs_needed(k) || !established) return;
  const hash = sk.rxhash;
  if (!hash) return;
  const table = state(k).sockFlowTable as Uint32Array;
  // rps_record_sock_flow(): the hash's upper bits and the CPU in the low ones
  table[hash & (table.length - 1)] = ((hash & ~rps_cpu_mask(k)) | k.sim.smp.cur) >>> 0;
}

/** The value of net.core.rps_sock_flow_entries: the table's size, 0 without one. */
export function rps_sock_flow_entries(k: Kernel): number {
  return state(k).sockFlowTable?.length ?? 0;
}

/**
 * rps_sock_flow_sysctl() on write: more than 2^29 is EINVAL, else rounded up
 * to a power of two; every entry starts at RPS_NO_CPU (a rewrite resets them);
 * 0 removes the table.
 */
export function rps_sock_flow_sysctl_write(k: Kernel, value: number): 'EINVAL' | 'ENOMEM' | null {
  const size0 = value >>> 0;
  const s = state(k);
  const orig = s.sockFlowTable;
  if (size0 > 1 << 29) return 'EINVAL';
  let table: Uint32Array | null = null;
  if (size0) {
    let size = 1;
    while (size < size0) size *= 2;
    // vmalloc() fails here above the run's memory budget
    if (size * 4 > (k.sim.budget.maxMemoryBytes ?? 256 * 1024 * 1024)) return 'ENOMEM';
    table = orig && orig.length === size ? orig : new Uint32Array(size);
    table.fill(RPS_NO_CPU);
  }
  if (table !== orig) {
    s.sockFlowTable = table;
    if (table) s.count++;
    if (orig) s.count--;
  }
  return null;
}

/** reciprocal_scale(): val * ep_ro / 2^32 */
export function reciprocal_scale(val: number, epRo: number): number {
  return Number((BigInt(val >>> 0) * BigInt(epRo)) >> 32n);
}

/** hashrnd: net_get_random_once() on the first hash, from a stream of the run's seed of its own. */
function hashrnd(k: Kernel): [bigint, bigint] {
  const s = state(k);
  if (!s.hashrnd) {
    const r = new Rng((k.sim.seed ^ 0x68617368) >>> 0);
    const w = (): bigint => BigInt(r.u32()) | (BigInt(r.u32()) << 32n);
    s.hashrnd = [w(), w()];
  }
  return s.hashrnd;
}

/** offsetof(struct flow_keys, basic), sizeof(struct flow_keys) */
const FLOW_KEYS_HASH_OFFSET = 8;
const SIZEOF_FLOW_KEYS = 80;

/**
 * skb_get_hash() → __skb_get_hash_net(): the flow keys __skb_flow_dissect()
 * fills with flow_keys_dissector (basic, flow label, ports, IPv4/IPv6
 * addresses; no ICMP key), made direction-independent, hashed from
 * FLOW_KEYS_HASH_OFFSET by siphash with hashrnd. 0 becomes 1.
 */
export function skb_get_hash(k: Kernel, skb: SkBuff): number {
  if (skb.hash) return skb.hash;
  const hash = __skb_get_hash(k, skb);
  skb.hash = hash;
  return hash;
}

/** __skb_get_hash_net() */
function __skb_get_hash(k: Kernel, skb: SkBuff): number {
  const keys = new Uint8Array(SIZEOF_FLOW_KEYS);
  const h = skb.head;
  const nh = skb.networkHeader >= 0 ? skb.networkHeader : skb.data;
  const end = skb.tail;
  const byte = (o: number): number => (o < end ? (h[o] as number) : 0);
  const proto = skb.protocol;
  let ipProto = 0;
  let addrType = 0; // FLOW_DISSECTOR_KEY_IPV4_ADDRS = 3, IPV6 = 4 (only whether it is set matters)
  let thoff = -1;
  if (proto === ETH_P_IP && nh + IPV4_HEADER_LEN <= end) {
    const ihl = (byte(nh + IPH_VERSION_IHL) & 0x0f) * 4;
    if (ihl >= IPV4_HEADER_LEN) {
      ipProto = byte(nh + IPH_PROTOCOL);
      addrType = 4;
      // struct flow_dissector_key_ipv4_addrs at offset 44: src, dst as in the header
      for (let i = 0; i < 8; i++) keys[44 + i] = byte(nh + IPH_SADDR + i);
      const fragOff = (byte(nh + IPH_FRAG_OFF) << 8) | byte(nh + IPH_FRAG_OFF + 1);
      // ip_is_fragment(): a fragment carries no ports (FLOW_DISSECTOR_F_PARSE_1ST_FRAG is not asked)
      if (!(fragOff & (IP_MF | IP_OFFSET))) thoff = nh + ihl;
    }
  } else if (proto === ETH_P_IPV6 && nh + 40 <= end) {
    ipProto = byte(nh + 6);
    addrType = 16;
    for (let i = 0; i < 32; i++) keys[44 + i] = byte(nh + 8 + i);
    const flowLabel = ((byte(nh + 1) & 0x0f) << 16) | (byte(nh + 2) << 8) | byte(nh + 3);
    if (flowLabel) {
      // FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL: the label stands in for the ports
      keys[12] = flowLabel & 0xff;
      keys[13] = (flowLabel >> 8) & 0xff;
      keys[14] = flowLabel >> 16;
    } else thoff = nh + 40;
  }
  // struct flow_dissector_key_basic: n_proto (big-endian as on the wire), ip_proto
  keys[8] = proto >> 8;
  keys[9] = proto & 0xff;
  keys[10] = ipProto;
  // proto_ports_offset(): TCP, UDP, UDP-Lite, DCCP, SCTP at 0; AH at 4; ESP at 0
  const poff =
    ipProto === 6 || ipProto === 17 || ipProto === 136 || ipProto === 33 || ipProto === 132 || ipProto === 50 ? 0 : ipProto === 51 ? 4 : -1;
  if (thoff >= 0 && poff >= 0 && thoff + poff + 4 <= end) {
    for (let i = 0; i < 4; i++) keys[36 + i] = byte(thoff + poff + i);
  }
  // __flow_hash_consistentify(): the lower address and the lower port first (as u32 / u16 in memory)
  const le32 = (o: number): number =>
    ((keys[o] as number) | ((keys[o + 1] as number) << 8) | ((keys[o + 2] as number) << 16) | ((keys[o + 3] as number) << 24)) >>> 0;
  const swap = (a: number, b: number, n: number): void => {
    for (let i = 0; i < n; i++) {
      const t = keys[a + i] as number;
      keys[a + i] = keys[b + i] as number;
      keys[b + i] = t;
    }
  };
  if (addrType === 4) {
    if (le32(48) < le32(44)) swap(44, 48, 4);
  } else if (addrType === 16) {
    let diff = 0;
    for (let i = 0; i < 16 && diff === 0; i++) diff = (keys[60 + i] as number) - (keys[44 + i] as number);
    if (diff < 0) swap(44, 60, 16);
  }
  if (addrType) {
    const src = (keys[36] as number) | ((keys[37] as number) << 8);
    const dst = (keys[38] as number) | ((keys[39] as number) << 8);
    if (dst < src) swap(36, 38, 2);
  }
  // flow_keys_hash_length(): the addresses' part of the union only
  const len = SIZEOF_FLOW_KEYS - (FLOW_KEYS_HASH_OFFSET + 32) + (addrType === 4 ? 8 : addrType === 16 ? 32 : 0);
  const [k0, k1] = hashrnd(k);
  const hash = Number(siphash(keys, FLOW_KEYS_HASH_OFFSET, len, k0, k1) & 0xffffffffn);
  return hash || 1;
}

const M64 = 0xffffffffffffffffn;
const rotl64 = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & M64;

/** siphash() (lib/siphash.c): SipHash-2-4 of data[off, off+len) with key (k0, k1). */
export function siphash(data: Uint8Array, off: number, len: number, k0: bigint, k1: bigint): bigint {
  let v0 = 0x736f6d6570736575n ^ k0;
  let v1 = 0x646f72616e646f6dn ^ k1;
  let v2 = 0x6c7967656e657261n ^ k0;
  let v3 = 0x7465646279746573n ^ k1;
  const round = (): void => {
    v0 = (v0 + v1) & M64;
    v1 = rotl64(v1, 13n);
    v1 ^= v0;
    v0 = rotl64(v0, 32n);
    v2 = (v2 + v3) & M64;
    v3 = rotl64(v3, 16n);
    v3 ^= v2;
    v0 = (v0 + v3) & M64;
    v3 = rotl64(v3, 21n);
    v3 ^= v0;
    v2 = (v2 + v1) & M64;
    v1 = rotl64(v1, 17n);
    v1 ^= v2;
    v2 = rotl64(v2, 32n);
  };
  const word = (o: number, n: number): bigint => {
    let m = 0n;
    for (let i = n - 1; i >= 0; i--) m = (m << 8n) | BigInt(data[o + i] as number);
    return m;
  };
  const whole = len - (len % 8);
  for (let i = 0; i < whole; i += 8) {
    const m = word(off + i, 8);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  const b = (BigInt(len) << 56n) | word(off + whole, len % 8);
  v3 ^= b;
  round();
  round();
  v0 ^= b;
  v2 ^= 0xffn;
  round();
  round();
  round();
  round();
  return (v0 ^ v1 ^ v2 ^ v3) & M64;
}

/** bitmap_print_to_pagebuf(false, …, nr_cpu_ids) / "%*pb": hex in 32-bit chunks, comma-separated. */
export function cpumask_print(cpus: readonly number[], nbits: number): string {
  const chunks = Math.max(1, Math.ceil(nbits / 32));
  const parts: string[] = [];
  for (let c = chunks - 1; c >= 0; c--) {
    let v = 0;
    for (const cpu of cpus) if (cpu >= c * 32 && cpu < c * 32 + 32) v |= 1 << (cpu - c * 32);
    const bits = c === chunks - 1 ? nbits - c * 32 : 32;
    parts.push((v >>> 0).toString(16).padStart(Math.max(1, Math.ceil(bits / 4)), '0'));
  }
  return parts.join(',');
}

/**
 * bitmap_parse(): comma-separated 32-bit hex chunks up to the first newline,
 * surrounding blanks skipped, an empty chunk is 0, leading zeros do not count;
 * more than 8 digits or a CPU at or above nbits is EOVERFLOW, anything not hex EINVAL.
 */
export function bitmap_parse(buf: string, nbits: number): number[] | 'EINVAL' | 'EOVERFLOW' {
  const nl = buf.indexOf('\n');
  const s = (nl >= 0 ? buf.slice(0, nl) : buf).trim();
  const cpus: number[] = [];
  if (s === '') return cpus;
  const chunks = s.split(',').reverse();
  for (let c = 0; c < chunks.length; c++) {
    const t = (chunks[c] as string).trim();
    if (t !== '' && !/^[0-9a-fA-F]+$/.test(t)) return 'EINVAL';
    const digits = t.replace(/^0+/, '');
    if (digits.length > 8) return 'EOVERFLOW';
    const v = digits === '' ? 0 : parseInt(digits, 16);
    for (let b = 0; b < 32; b++) {
      if (!(v & (1 << b))) continue;
      const cpu = c * 32 + b;
      if (cpu >= nbits) return 'EOVERFLOW';
      cpus.push(cpu);
    }
  }
  return cpus.sort((x, y) => x - y);
}

/** show_rps_map() */
export function show_rps_map(k: Kernel, q: NetdevRxQueue): string {
  return `${cpumask_print(q.rpsMap ?? [], k.sim.smp.nrCpuIds)}\n`;
}

/** store_rps_map() → netdev_rx_queue_set_rps_mask(): the online CPUs of the mask become the map. */
export function store_rps_map(k: Kernel, q: NetdevRxQueue, buf: string): null | 'EINVAL' | 'EOVERFLOW' {
  const mask = bitmap_parse(buf, k.sim.smp.nrCpuIds);
  if (typeof mask === 'string') return mask;
  const s = state(k);
  const old = q.rpsMap;
  q.rpsMap = mask.length ? mask : null;
  if (q.rpsMap) s.count++;
  if (old) s.count--;
  return null;
}

/** show_rps_dev_flow_table_cnt() */
export function show_rps_flow_cnt(q: NetdevRxQueue): string {
  return `${q.rpsFlowCnt}\n`;
}

/** kstrtoul(buf, 0): decimal, 0x hex or 0 octal, one trailing newline; too big is ERANGE. */
function kstrtoul(buf: string): bigint | 'EINVAL' | 'ERANGE' {
  const s = buf.endsWith('\n') ? buf.slice(0, -1) : buf;
  let v: bigint;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = BigInt(s);
  else if (/^0[0-7]*$/.test(s)) v = BigInt(`0o${s.slice(1) || '0'}`);
  else if (/^\+?[1-9][0-9]*$/.test(s)) v = BigInt(s.replace('+', ''));
  else return 'EINVAL';
  return v > 0xffffffffffffffffn ? 'ERANGE' : v;
}

/**
 * store_rps_dev_flow_table_cnt(): rounded up to a power of two; a mask beyond
 * u32 is EINVAL, a table vmalloc() cannot get (here: above the run's memory
 * budget, 16 bytes an entry) ENOMEM; 0 frees the table.
 */
export function store_rps_flow_cnt(k: Kernel, q: NetdevRxQueue, buf: string): null | 'EINVAL' | 'ERANGE' | 'ENOMEM' {
  const count = kstrtoul(buf);
  if (typeof count === 'string') return count;
  let c = 0;
  if (count) {
    let mask = count - 1n;
    while ((mask | (mask >> 1n)) !== mask) mask |= mask >> 1n;
    if (mask > 0xffffffffn) return 'EINVAL';
    const bytes = (mask + 1n) * 16n;
    if (bytes > BigInt(k.sim.budget.maxMemoryBytes ?? 256 * 1024 * 1024)) return 'ENOMEM';
    c = Number(mask + 1n);
  }
  q.rpsFlowCnt = c;
  // a fresh table: every flow RPS_NO_CPU
  q.flows = c ? Array.from({ length: c }, () => ({ cpu: RPS_NO_CPU, lastQtail: 0 })) : null;
  q.flowLog = c ? Math.log2(c) : 0;
  return null;
}

/** sysctl_core_net_init() for init_net: net_core_table's rps_sock_flow_entries runs rps_sock_flow_sysctl. */
export function rps_sock_flow_sysctl_init(net: Net): void {
  net.sysctl.register('net.core.rps_sock_flow_entries', {
    read: (n) => String(rps_sock_flow_entries(n.kernel)),
    write: (n, v) => rps_sock_flow_sysctl_write(n.kernel, v),
  });
}
