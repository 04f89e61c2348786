// net/core/neighbour.c: the neighbour table, its state machine and timers.
// ARP (net/ipv4/arp.c) plugs in as the constructor and solicit function.
import type { NeighParmKey, SysctlKey } from '../sysctl.ts';
import { kprobe } from '../trace/probe.ts';
import type { Timer } from '../../sim/events.ts';
import { NSEC_PER_MSEC, NSEC_PER_SEC } from '../../sim/sim.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { SKB_DROP_REASON } from '../trace/dropreason.ts';
import { ipv4ToString } from '../../wire/ipv4.ts';
import { ipv6ToString } from '../../wire/ipv6.ts';
import { IFF_LOOPBACK, IFF_POINTOPOINT, type NetDevice } from './netdevice.ts';
import { kfree_skb_reason } from './skb_free.ts';
import { EAFNOSUPPORT, EEXIST, EINVAL, ENODEV, ENOENT, EPERM } from '../uapi/errno.ts';
import { type NeighMsg, ndmsg, type NlAck, nlAck, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NTF_ROUTER } from '../uapi/rtnetlink_route.ts';

export const NUD_NONE = 0x00;
export const NUD_INCOMPLETE = 0x01;
export const NUD_REACHABLE = 0x02;
export const NUD_STALE = 0x04;
export const NUD_DELAY = 0x08;
export const NUD_PROBE = 0x10;
export const NUD_FAILED = 0x20;
export const NUD_NOARP = 0x40;
export const NUD_PERMANENT = 0x80;

export const NUD_IN_TIMER = NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE;
export const NUD_VALID = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY;
export const NUD_CONNECTED = NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE;

// include/net/neighbour.h (6.18): the flags of neigh_update()
export const NEIGH_UPDATE_F_OVERRIDE = 1 << 0;
export const NEIGH_UPDATE_F_WEAK_OVERRIDE = 1 << 1;
export const NEIGH_UPDATE_F_OVERRIDE_ISROUTER = 1 << 2;
export const NEIGH_UPDATE_F_USE = 1 << 3;
export const NEIGH_UPDATE_F_MANAGED = 1 << 4;
export const NEIGH_UPDATE_F_EXT_LEARNED = 1 << 5;
export const NEIGH_UPDATE_F_ISROUTER = 1 << 6;
export const NEIGH_UPDATE_F_ADMIN = 1 << 7;
export const NEIGH_UPDATE_F_EXT_VALIDATED = 1 << 8;

const NUD_NAMES: readonly (readonly [number, string])[] = [
  [NUD_INCOMPLETE, 'incomplete'],
  [NUD_REACHABLE, 'reachable'],
  [NUD_STALE, 'stale'],
  [NUD_DELAY, 'delay'],
  [NUD_PROBE, 'probe'],
  [NUD_FAILED, 'failed'],
  [NUD_NOARP, 'noarp'],
  [NUD_PERMANENT, 'permanent'],
];

/** neigh_state_str() as __print_symbolic prints it. */
export function neigh_state_str(s: number): string {
  for (const [v, n] of NUD_NAMES) if (v === s) return n;
  return `0x${s.toString(16)}`;
}

/** `ip neigh` state names. */
export function nud_state_name(s: number): string {
  switch (s) {
    case NUD_INCOMPLETE:
      return 'INCOMPLETE';
    case NUD_REACHABLE:
      return 'REACHABLE';
    case NUD_STALE:
      return 'STALE';
    case NUD_DELAY:
      return 'DELAY';
    case NUD_PROBE:
      return 'PROBE';
    case NUD_FAILED:
      return 'FAILED';
    case NUD_NOARP:
      return 'NOARP';
    case NUD_PERMANENT:
      return 'PERMANENT';
    default:
      return 'NONE';
  }
}

export class Neighbour {
  nudState = NUD_NONE;
  readonly ha = new Uint8Array(6);
  /** RTN_* of the key (arp_constructor). */
  type = 1;
  flags = 0;
  dead = false;
  /** Holders other than the table and the timer (callers with a reference). */
  refs = 0;
  probes = 0;
  readonly arpQueue: SkBuff[] = [];
  arpQueueLenBytes = 0;
  /** Virtual ns timestamps. */
  confirmed: number;
  updated: number;
  used: number;
  readonly timer: Timer;
  timerArmed = false;
  /** neigh->output: resolve (needs ARP) or connected. */
  connected = false;
  /** Key as created (the tracepoint shows it); lo/p2p keys become 0 in the constructor. */
  readonly createdKey: number;
  /** The in6 address key of an nd_tbl entry (primary_key of family 10); null in arp_tbl. */
  key6: Uint8Array | null = null;

  constructor(
    readonly tbl: NeighTable,
    readonly dev: NetDevice,
    public primaryKey: number,
    readonly gcExempt: boolean,
  ) {
    const now = tbl.net.kernel.now;
    this.createdKey = primaryKey;
    // neigh_alloc(): confirmed is set in the past so a new entry is not "confirmed"
    this.confirmed = now - tbl.reachableTime(dev) * 2;
    this.updated = now;
    this.used = now;
    this.timer = tbl.net.kernel.sim.timer(neigh_timer_handler, this);
  }

  /** refcount as the tracepoints print it: table + pending timer + holders. */
  get refcnt(): number {
    return 1 + (this.timerArmed ? 1 : 0) + this.refs;
  }
}

/** The protocol side of a neighbour table (arp_tbl's constructor and solicit). */
export interface NeighOps {
  // biome-ignore lint/suspicious/noMisleadingInstantiator: the table's constructor hook, named as struct neigh_table's
  constructor(n: Neighbour): void;
  solicit(n: Neighbour, skb: SkBuff | null): void;
  errorReport(n: Neighbour, skb: SkBuff): void;
  /** Sends skb now that n is resolved (neigh_resolve_output's tail: dev_hard_header + dev_queue_xmit). */
  output(n: Neighbour, skb: SkBuff): number;
}

/** arp_tbl's gc_thresh2 and gc_thresh3 (net.ipv4.neigh.default.gc_thresh*, table-wide). */
const NEIGH_GC_THRESH2 = 512;
const NEIGH_GC_THRESH3 = 1024;

export class NeighTable {
  /** arp_tbl: keyed by ifindex × 2^32 + address (a number, no string per lookup); nd_tbl: by key6(). */
  readonly entries = new Map<number | string, Neighbour>();
  ops!: NeighOps;
  /** neigh_rand_reach_time() result per device, drawn when parms are created. */
  private readonly reach = new Map<string, number>();

  /** tbl->family: AF_INET (arp_tbl) or AF_INET6 (nd_tbl). */
  constructor(
    readonly net: Net,
    readonly family: 2 | 10 = 2,
  ) {}

  key(dev: NetDevice, addr: number): number {
    return dev.ifindex * 4294967296 + (addr >>> 0);
  }

  /** The map key of an nd_tbl entry. */
  key6(dev: NetDevice, addr: Uint8Array): string {
    let s = `${dev.ifindex}/`;
    for (let i = 0; i < 16; i++) s += String.fromCharCode(addr[i] as number);
    return s;
  }

  /** The map key of an entry of either family. */
  keyOf(n: Neighbour): number | string {
    return n.key6 ? this.key6(n.dev, n.key6) : this.key(n.dev, n.primaryKey);
  }

  /** __ipv6_neigh_lookup_noref() */
  lookup6(dev: NetDevice, addr: Uint8Array): Neighbour | undefined {
    return this.entries.get(this.key6(dev, addr));
  }

  /** __neigh_create(&nd_tbl, …): an nd_tbl entry for an in6 address. */
  create6(dev: NetDevice, addr: Uint8Array, exemptFromGc = (dev.flags & IFF_LOOPBACK) !== 0): Neighbour {
    return this.create(dev, 0, exemptFromGc, addr.slice());
  }

  /** The sysctl prefix of the table's parms (net.ipv4.neigh or net.ipv6.neigh). */
  private get parmPrefix(): string {
    return this.family === 10 ? 'net.ipv6.neigh' : 'net.ipv4.neigh';
  }

  /** primary_key4 / primary_key6 as the neigh tracepoints print them (%pI4, %pI6c). */
  keyText(n: Neighbour): string {
    return n.key6
      ? `primary_key4 0.0.0.0 primary_key6 ${ipv6ToString(n.key6)}`
      : `primary_key4 ${ipv4ToString(n.primaryKey)} primary_key6 ::`;
  }

  /** parms->reachable_time: random in [base/2, 3*base/2). */
  reachableTime(dev: NetDevice): number {
    let r = this.reach.get(dev.name);
    if (r === undefined) {
      const base = this.parm(dev, 'base_reachable_time_ms') * NSEC_PER_MSEC;
      r = base / 2 + (this.net.kernel.sim.rng.u32() % Math.max(1, base));
      this.reach.set(dev.name, r);
    }
    return r;
  }

  parm(dev: NetDevice, key: NeighParmKey): number {
    if (this.family === 2) return this.net.sysctl.neighParm(dev.name, key);
    const sc = this.net.sysctl;
    const k = `${this.parmPrefix}.${dev.name}.${key}` as SysctlKey;
    return sc.has(k) ? sc.int(k) : sc.int(`${this.parmPrefix}.default.${key}` as SysctlKey);
  }

  /** __ipv4_neigh_lookup_noref(): loopback and point-to-point devices use key 0. */
  lookup(dev: NetDevice, addr: number): Neighbour | undefined {
    const k = dev.flags & (IFF_LOOPBACK | IFF_POINTOPOINT) ? 0 : addr;
    return this.entries.get(this.key(dev, k));
  }

  /** jiffies of the last forced GC (tbl->last_flush). */
  private lastFlush = 0;

  /**
   * neigh_forced_gc(): over gc_thresh2, unreferenced entries that failed or
   * were not updated in 5 s go, oldest first, down to gc_thresh2. Returns how
   * many went.
   */
  private neigh_forced_gc(): number {
    const now = this.net.kernel.now;
    let gcEntries = 0;
    for (const n of this.entries.values()) if (!n.gcExempt && !(n.nudState & NUD_PERMANENT)) gcEntries++;
    const maxClean = gcEntries - NEIGH_GC_THRESH2;
    let shrunk = 0;
    for (const [k, n] of [...this.entries]) {
      if (shrunk >= maxClean) break;
      if (n.gcExempt || n.nudState & NUD_PERMANENT || n.refcnt !== 1) continue;
      if (n.nudState === NUD_FAILED || n.nudState === NUD_NOARP || n.updated < now - 5 * NSEC_PER_SEC || n.updated > now) {
        // neigh_remove_one() → neigh_mark_dead(): the entry leaves the table
        this.entries.delete(k);
        n.dead = true;
        shrunk++;
      }
    }
    this.lastFlush = now;
    return shrunk;
  }

  /**
   * ___neigh_create(): fires neigh:neigh_create, then runs the constructor.
   * __neigh_create() exempts loopback entries from GC; neigh_add() permanent ones.
   */
  create(dev: NetDevice, addr: number, exemptFromGc = (dev.flags & IFF_LOOPBACK) !== 0, addr6: Uint8Array | null = null): Neighbour {
    const exempt = exemptFromGc;
    if (!exempt) {
      // neigh_alloc(): a full table is cleaned first (an overflow that stays is
      // "neighbor table overflow!" on Linux; here the entry is still made)
      const entries = this.entries.size;
      if (entries >= NEIGH_GC_THRESH3 || (entries >= NEIGH_GC_THRESH2 && this.net.kernel.now > this.lastFlush + 5 * NSEC_PER_SEC))
        this.neigh_forced_gc();
    }
    const n = new Neighbour(this, dev, addr, exempt);
    n.key6 = addr6;
    const t = this.net.kernel.tracer;
    if (t.enabled) {
      t.emit(
        'neigh_create',
        `family ${this.family} dev ${dev.name} entries ${this.entries.size + 1} ${this.keyText(n)} created 1 gc_exempt ${exempt ? 1 : 0}`,
        this.net.name,
      );
    }
    this.ops.constructor(n);
    const key = this.keyOf(n);
    const existing = this.entries.get(key);
    if (existing) return existing;
    this.entries.set(key, n);
    return n;
  }

  /** All entries for `ip neigh show`, newest first as the hash walk shows them on a small table. */
  list(): Neighbour[] {
    return [...this.entries.values()];
  }

  /** neigh_ifdown()/neigh_flush_dev(): forget a device's entries. */
  flushDev(dev: NetDevice, skipPerm: boolean): void {
    for (const [k, n] of [...this.entries]) {
      if (n.dev !== dev) continue;
      if (skipPerm && n.nudState & NUD_PERMANENT) continue;
      this.entries.delete(k);
      neigh_del_timer(n);
      n.dead = true;
      n.nudState = NUD_NONE;
      for (const skb of n.arpQueue.splice(0)) kfree_skb_reason(this.net, skb, SKB_DROP_REASON.NEIGH_DEAD, 'neigh_flush_dev');
      n.arpQueueLenBytes = 0;
    }
  }

  delete(n: Neighbour): void {
    this.entries.delete(this.keyOf(n));
    neigh_del_timer(n);
    n.dead = true;
  }
}

function neigh_add_timer(n: Neighbour, when: number): void {
  n.timerArmed = true;
  n.tbl.net.kernel.sim.modTimer(n.timer, when);
}

function neigh_del_timer(n: Neighbour): void {
  if (n.timerArmed) {
    n.timerArmed = false;
    n.tbl.net.kernel.sim.delTimer(n.timer);
  }
}

function neigh_max_probes(n: Neighbour): number {
  const t = n.tbl;
  return (
    t.parm(n.dev, 'ucast_solicit') +
    t.parm(n.dev, 'app_solicit') +
    (n.nudState & NUD_PROBE ? t.parm(n.dev, 'mcast_resolicit') : t.parm(n.dev, 'mcast_solicit'))
  );
}

/** neigh_probe(): one solicitation with the newest queued skb as the hint. */
function neigh_probe(n: Neighbour): void {
  const skb = n.arpQueue[n.arpQueue.length - 1] ?? null;
  n.probes++;
  n.tbl.ops.solicit(n, skb);
}

/**
 * __neigh_event_send(): 0 when the skb may go now, 1 when it was queued (or dropped).
 * Takes ownership of skb when it returns 1.
 */
export function __neigh_event_send(n: Neighbour, skb: SkBuff | null): number {
  const tbl = n.tbl;
  const k = tbl.net.kernel;
  const now = k.now;
  let immediateProbe = false;
  let rc = 0;
  if (skb) kprobe(tbl.net, skb, '__neigh_event_send');
  k.sim.cpu.localBhDisable();
  n.used = now;
  if (n.nudState & (NUD_CONNECTED | NUD_DELAY | NUD_PROBE)) {
    k.sim.cpu.localBhEnable();
    return 0;
  }
  if (n.dead) {
    // out_dead: a dead STALE entry still sends
    if (n.nudState & NUD_STALE) {
      k.sim.cpu.localBhEnable();
      return 0;
    }
    if (skb) kfree_skb_reason(tbl.net, skb, SKB_DROP_REASON.NEIGH_DEAD, '__neigh_event_send');
    k.sim.cpu.localBhEnable();
    return 1;
  }
  if (!(n.nudState & (NUD_STALE | NUD_INCOMPLETE))) {
    if (tbl.parm(n.dev, 'mcast_solicit') + tbl.parm(n.dev, 'app_solicit')) {
      n.probes = tbl.parm(n.dev, 'ucast_solicit');
      n.nudState = NUD_INCOMPLETE;
      n.updated = now;
      const next = now + Math.max(tbl.parm(n.dev, 'retrans_time_ms') * NSEC_PER_MSEC, NSEC_PER_SEC / 250 / 2);
      neigh_add_timer(n, next);
      immediateProbe = true;
    } else {
      n.nudState = NUD_FAILED;
      n.updated = now;
      if (skb) kfree_skb_reason(tbl.net, skb, SKB_DROP_REASON.NEIGH_FAILED, '__neigh_event_send');
      k.sim.cpu.localBhEnable();
      return 1;
    }
  } else if (n.nudState & NUD_STALE) {
    n.nudState = NUD_DELAY;
    n.updated = now;
    neigh_add_timer(n, now + tbl.parm(n.dev, 'delay_first_probe_time') * NSEC_PER_SEC);
  }
  if (n.nudState === NUD_INCOMPLETE) {
    if (skb) {
      const limit = tbl.parm(n.dev, 'unres_qlen_bytes');
      while (n.arpQueueLenBytes + skb.len > limit && n.arpQueue.length) {
        const old = n.arpQueue.shift() as SkBuff;
        n.arpQueueLenBytes -= old.len;
        kfree_skb_reason(tbl.net, old, SKB_DROP_REASON.NEIGH_QUEUEFULL, '__neigh_event_send');
      }
      n.arpQueue.push(skb);
      n.arpQueueLenBytes += skb.len;
    }
    rc = 1;
  }
  if (immediateProbe) neigh_probe(n);
  k.sim.cpu.localBhEnable();
  return rc;
}

/** neigh_timer_handler(): runs in softirq context. */
function neigh_timer_handler(n: Neighbour): void {
  const tbl = n.tbl;
  const now = tbl.net.kernel.now;
  n.timerArmed = false;
  const state = n.nudState;
  if (!(state & NUD_IN_TIMER)) return;
  let next = now + NSEC_PER_SEC;
  let notify = false;
  if (state & NUD_REACHABLE) {
    const reach = tbl.reachableTime(n.dev);
    if (now <= n.confirmed + reach) {
      next = n.confirmed + reach;
    } else if (now <= n.used + tbl.parm(n.dev, 'delay_first_probe_time') * NSEC_PER_SEC) {
      n.nudState = NUD_DELAY;
      n.updated = now;
      next = now + tbl.parm(n.dev, 'delay_first_probe_time') * NSEC_PER_SEC;
    } else {
      n.nudState = NUD_STALE;
      n.updated = now;
      notify = true;
    }
  } else if (state & NUD_DELAY) {
    if (now <= n.confirmed + tbl.parm(n.dev, 'delay_first_probe_time') * NSEC_PER_SEC) {
      n.nudState = NUD_REACHABLE;
      n.updated = now;
      notify = true;
      next = n.confirmed + tbl.reachableTime(n.dev);
    } else {
      n.nudState = NUD_PROBE;
      n.updated = now;
      n.probes = 0;
      next = now + tbl.parm(n.dev, 'retrans_time_ms') * NSEC_PER_MSEC;
    }
  } else {
    // NUD_PROBE | NUD_INCOMPLETE
    next = now + tbl.parm(n.dev, 'retrans_time_ms') * NSEC_PER_MSEC;
  }
  if (n.nudState & (NUD_INCOMPLETE | NUD_PROBE) && n.probes >= neigh_max_probes(n)) {
    n.nudState = NUD_FAILED;
    notify = true;
    neigh_invalidate(n);
    void notify;
    return;
  }
  if (n.nudState & NUD_IN_TIMER) neigh_add_timer(n, Math.max(next, now + NSEC_PER_SEC / 250 / 2));
  if (n.nudState & (NUD_INCOMPLETE | NUD_PROBE)) neigh_probe(n);
}

/** neigh_invalidate(): report the failure for each queued skb and free them. */
function neigh_invalidate(n: Neighbour): void {
  const tbl = n.tbl;
  n.updated = tbl.net.kernel.now;
  while (n.nudState === NUD_FAILED && n.arpQueue.length) {
    const skb = n.arpQueue.shift() as SkBuff;
    n.arpQueueLenBytes -= skb.len;
    tbl.ops.errorReport(n, skb);
    // ndisc_error_report() frees it itself (kfree_skb, a tail call: at neigh_invalidate)
    if (tbl.family === 10) continue;
    kfree_skb_reason(
      tbl.net,
      skb,
      SKB_DROP_REASON.NEIGH_FAILED,
      'neigh_invalidate',
      () =>
        `neighbour ${n.key6 ? ipv6ToString(n.key6) : ipv4ToString(n.primaryKey)} dev ${n.dev.name} FAILED after ${n.probes - tbl.parm(n.dev, 'ucast_solicit')} ${tbl.family === 10 ? 'NS' : 'ARP'} probes unanswered`,
    );
  }
  n.arpQueueLenBytes = 0;
}

/**
 * __neigh_update(): fires neigh:neigh_update; moves to `newState`, learns
 * lladdr, and sends what waited in arp_queue. `pid` is the netlink portid of
 * an administrative change (0 from the kernel). 0 or a negative errno.
 */
export function neigh_update(n: Neighbour, lladdr: Uint8Array | null, newState: number, flags: number, pid = 0): number {
  const tbl = n.tbl;
  const k = tbl.net.kernel;
  const now = k.now;
  const t = k.tracer;
  if (t.enabled) {
    const j = (ns: number): number => (k.initialJiffies + Math.floor(ns / (1e9 / k.HZ))) >>> 0;
    t.emit(
      'neigh_update',
      `family ${tbl.family} dev ${n.dev.name} lladdr ${hex(n.ha)} flags ${hex2(n.flags)} nud_state ${neigh_state_str(n.nudState)} type ${hex2(n.type)} ` +
        `dead ${n.dead ? 1 : 0} refcnt ${n.refcnt} ${tbl.keyText(n)} ` +
        `confirmed ${j(n.confirmed)} updated ${j(n.updated)} used ${j(n.used)} new_lladdr ${lladdr ? hex(lladdr) : '000000000000'} ` +
        `new_state ${neigh_state_str(newState)} update_flags ${hex2(flags >>> 0)} pid ${pid}`,
      tbl.net.name,
    );
  }
  const old = n.nudState;
  let neu = newState;
  let err = -EPERM;
  let updateIsrouter = 0;
  out: {
    if (n.dead) break out;
    if (!(flags & NEIGH_UPDATE_F_ADMIN) && old & (NUD_NOARP | NUD_PERMANENT)) break out;
    if (!(neu & NUD_VALID)) {
      neigh_del_timer(n);
      if (old & NUD_CONNECTED) n.connected = false; // neigh_suspect()
      n.nudState = neu;
      err = 0;
      if (old & (NUD_INCOMPLETE | NUD_PROBE) && neu & NUD_FAILED) neigh_invalidate(n);
      break out;
    }
    // Compare the new lladdr with the cached one: `addr === n.ha` means "unchanged"
    let addr: Uint8Array;
    if (lladdr) {
      addr = old & NUD_VALID && equalMac(lladdr, n.ha) ? n.ha : lladdr;
    } else {
      err = -EINVAL;
      if (!(old & NUD_VALID)) break out;
      addr = n.ha;
    }
    // confirmed moves on every connected update, even one that changes nothing
    if (neu & NUD_CONNECTED) n.confirmed = now;
    err = 0;
    updateIsrouter = flags & NEIGH_UPDATE_F_OVERRIDE_ISROUTER;
    if (old & NUD_VALID) {
      if (addr !== n.ha && !(flags & NEIGH_UPDATE_F_OVERRIDE)) {
        updateIsrouter = 0;
        if (flags & NEIGH_UPDATE_F_WEAK_OVERRIDE && old & NUD_CONNECTED) {
          addr = n.ha;
          neu = NUD_STALE;
        } else break out;
      } else if (addr === n.ha && neu === NUD_STALE && !(flags & NEIGH_UPDATE_F_ADMIN)) {
        // a valid entry whose address did not change keeps its state
        neu = old;
      }
    }
    if (neu !== old || addr !== n.ha) n.updated = now;
    if (neu !== old) {
      neigh_del_timer(n);
      if (neu & NUD_PROBE) n.probes = 0;
      if (neu & NUD_IN_TIMER) neigh_add_timer(n, now + (neu & NUD_REACHABLE ? tbl.reachableTime(n.dev) : 0));
      n.nudState = neu;
    }
    if (addr !== n.ha) {
      n.ha.set(addr.subarray(0, 6));
      if (!(neu & NUD_CONNECTED)) n.confirmed = now - tbl.parm(n.dev, 'base_reachable_time_ms') * NSEC_PER_MSEC * 2;
    }
    if (neu === old) break out;
    n.connected = (neu & NUD_CONNECTED) !== 0; // neigh_connect() / neigh_suspect()
    if (!(old & NUD_VALID)) {
      // Flush arp_queue through n->output.
      while (n.nudState & NUD_VALID && n.arpQueue.length) {
        const skb = n.arpQueue.shift() as SkBuff;
        n.arpQueueLenBytes -= skb.len;
        tbl.ops.output(n, skb);
      }
      for (const skb of n.arpQueue.splice(0)) kfree_skb_reason(tbl.net, skb, SKB_DROP_REASON.QUEUE_PURGE, '__neigh_update');
      n.arpQueueLenBytes = 0;
    }
  }
  // neigh_update_is_router(): NTF_ROUTER follows NEIGH_UPDATE_F_ISROUTER
  if (updateIsrouter) {
    if (flags & NEIGH_UPDATE_F_ISROUTER) n.flags |= NTF_ROUTER;
    else n.flags &= ~NTF_ROUTER;
  }
  return err;
}

/** neigh_event_ns(): a solicitation told us the sender's address (STALE). */
export function neigh_event_ns(tbl: NeighTable, lladdr: Uint8Array, addr: number, dev: NetDevice): Neighbour {
  const n = tbl.lookup(dev, addr) ?? tbl.create(dev, addr);
  n.refs++;
  neigh_update(n, lladdr, NUD_STALE, NEIGH_UPDATE_F_OVERRIDE);
  n.refs--;
  return n;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}

function equalMac(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== b[i]) return false;
  return true;
}

// --- rtnetlink: RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH ---

/** The device a request names, or the error neigh_add()/neigh_delete() give. */
function neigh_req_dev(net: Net, msg: NeighMsg): NetDevice | NlAck {
  if (msg.ndm.ndm_family !== 2 && msg.ndm.ndm_family !== 10) return nlAck(-EAFNOSUPPORT);
  if ((msg.ndm.ndm_family === 10 ? msg.attrs.NDA_DST6 : msg.attrs.NDA_DST) === undefined)
    return nlAck(-EINVAL, 'Network address not specified');
  const dev = msg.ndm.ndm_ifindex ? net.devByIndex.get(msg.ndm.ndm_ifindex) : undefined;
  if (!dev) return nlAck(msg.ndm.ndm_ifindex ? -ENODEV : -EINVAL);
  return dev;
}

/** neigh_delete(): the entry fails, then leaves the table. `portid`: the requester's netlink port. */
export function neigh_delete(net: Net, msg: NeighMsg, portid = 0): NlAck {
  const dev = neigh_req_dev(net, msg);
  if ('error' in dev) return dev;
  const tbl = neigh_find_table(net, msg.ndm.ndm_family);
  const n = tbl.entries.get(neigh_req_key(tbl, dev, msg));
  if (!n) return nlAck(-ENOENT);
  n.refs++;
  const err = neigh_update(n, null, NUD_FAILED, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN, portid);
  n.refs--;
  tbl.delete(n);
  return nlAck(err, err === -EPERM ? 'Neighbor entry is now dead' : null);
}

/**
 * neigh_add(): NLM_F_CREATE/EXCL/REPLACE as ip neigh add/change/replace send
 * them. `portid`: the requester's netlink port (neigh:neigh_update's pid).
 */
export function neigh_add(net: Net, nlflags: number, msg: NeighMsg, portid = 0): NlAck {
  const dev = neigh_req_dev(net, msg);
  if ('error' in dev) return dev;
  const lladdr = msg.attrs.NDA_LLADDR ?? null;
  if (lladdr && lladdr.length < 6) return nlAck(-EINVAL, 'Invalid link address');
  const tbl = neigh_find_table(net, msg.ndm.ndm_family);
  const addr = msg.attrs.NDA_DST ?? 0;
  const state = msg.ndm.ndm_state;
  let flags = NEIGH_UPDATE_F_ADMIN | NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_OVERRIDE_ISROUTER;
  let n = tbl.entries.get(neigh_req_key(tbl, dev, msg));
  if (!n) {
    if (!(nlflags & NLM_F_CREATE)) return nlAck(-ENOENT);
    // a permanent entry is exempt from GC (neigh_forced_gc never takes it)
    n =
      msg.attrs.NDA_DST6 && tbl.family === 10
        ? tbl.create6(dev, msg.attrs.NDA_DST6, (state & NUD_PERMANENT) !== 0)
        : tbl.create(dev, addr, (state & NUD_PERMANENT) !== 0);
  } else {
    if (nlflags & NLM_F_EXCL) return nlAck(-EEXIST);
    if (!(nlflags & NLM_F_REPLACE)) flags &= ~(NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_OVERRIDE_ISROUTER);
  }
  if (msg.ndm.ndm_flags & NTF_ROUTER) flags |= NEIGH_UPDATE_F_ISROUTER;
  n.refs++;
  const err = neigh_update(n, lladdr ? lladdr.slice(0, 6) : null, state, flags, portid);
  n.refs--;
  if (err === -EINVAL && !lladdr) return nlAck(-EINVAL, 'No link layer address given');
  if (err === -EPERM && n.dead) return nlAck(-EPERM, 'Neighbor entry is now dead');
  if (err < 0) return nlAck(err);
  return nlAck(0);
}

/** neigh_fill_info() */
function neigh_fill_info(n: Neighbour): NeighMsg {
  const net = n.tbl.net;
  const k = net.kernel;
  const jiffies = (ns: number): number => k.initialJiffies + Math.floor(ns / (1e9 / k.HZ));
  const now = jiffies(k.now);
  const clock = (t: number): number => Math.floor(((now - jiffies(t)) * 100) / k.HZ);
  const msg: NeighMsg = {
    ndm: ndmsg({ ndm_ifindex: n.dev.ifindex, ndm_state: n.nudState, ndm_flags: n.flags, ndm_type: n.type }),
    attrs: n.key6 ? { NDA_DST6: n.key6.slice() } : { NDA_DST: n.primaryKey },
  };
  if (n.key6) msg.ndm.ndm_family = 10;
  if (n.nudState & NUD_VALID) msg.attrs.NDA_LLADDR = n.ha.slice();
  msg.attrs.NDA_CACHEINFO = {
    ndm_used: clock(n.used),
    ndm_confirmed: clock(n.confirmed),
    ndm_updated: clock(n.updated),
    ndm_refcnt: n.refcnt - 1,
  };
  msg.attrs.NDA_PROBES = n.probes;
  return msg;
}

/** neigh_dump_info(): the ARP table's entries (a request's ndm_family other than AF_INET/AF_UNSPEC finds no table). */
export function neigh_dump_info(net: Net, req: NeighMsg): NeighMsg[] {
  const fam = req.ndm.ndm_family;
  const out: NeighMsg[] = [];
  if (fam === 0 || fam === 2) out.push(...net.arpTbl.list().map(neigh_fill_info));
  if (fam === 0 || fam === 10) out.push(...net.ipv6.ndTbl.list().map(neigh_fill_info));
  return out;
}

/** neigh_find_table(): arp_tbl for AF_INET, nd_tbl for AF_INET6. */
function neigh_find_table(net: Net, family: number): NeighTable {
  return family === 10 ? net.ipv6.ndTbl : net.arpTbl;
}

/** The table key of a request's NDA_DST. */
function neigh_req_key(tbl: NeighTable, dev: NetDevice, msg: NeighMsg): number | string {
  return tbl.family === 10 ? tbl.key6(dev, msg.attrs.NDA_DST6 as Uint8Array) : tbl.key(dev, msg.attrs.NDA_DST as number);
}

/** neigh_get() */
export function neigh_get(net: Net, req: NeighMsg): NeighMsg | NlAck {
  const dev = neigh_req_dev(net, req);
  if ('error' in dev) return dev;
  const tbl = neigh_find_table(net, req.ndm.ndm_family);
  const n = tbl.entries.get(neigh_req_key(tbl, dev, req));
  if (!n) return nlAck(-ENOENT, 'Neighbour entry not found');
  return neigh_fill_info(n);
}
