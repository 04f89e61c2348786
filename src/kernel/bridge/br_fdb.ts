// net/bridge/br_fdb.c: the forwarding database — learning (br_fdb_update and
// its tracepoint), lookup, the local entries of the bridge and its ports, and
// ageing (br_fdb_cleanup).
import { formatMac } from '../../wire/ethernet.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import {
  BR_STATE_FORWARDING,
  BR_STATE_LEARNING,
  br_port_get,
  macKey,
  netdev_priv_br,
  type FdbEntry,
  type NetBridge,
  type NetBridgePort,
} from './br_private.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { ndo_dflt_fdb_dump } from '../core/rtnetlink.ts';
import { EEXIST, EINVAL, ENOENT, EPERM } from '../uapi/errno.ts';
import {
  AF_BRIDGE,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_MULTI,
  NUD_NOARP,
  NUD_PERMANENT,
  NUD_REACHABLE,
  NUD_STALE,
  RTM_NEWNEIGH,
  type FdbMsg,
  type NdMsg,
} from '../uapi/rtnetlink.ts';

/** hold_time(): forward_delay while the topology changes, else ageing_time. */
export function hold_time(br: NetBridge): number {
  return br.topologyChange ? br.forwardDelay : br.ageingTime;
}

export function br_fdb_find(br: NetBridge, addr: Uint8Array, vid: number): FdbEntry | undefined {
  return br.fdb.get(macKey(addr, vid));
}

/** br_fdb_find_rcu() on a MAC inside a frame. */
export function br_fdb_find_at(br: NetBridge, b: Uint8Array, o: number, vid: number): FdbEntry | undefined {
  return br.fdb.get(macKey(b.subarray(o, o + 6), vid));
}

function fdb_create(br: NetBridge, source: NetBridgePort | null, addr: Uint8Array, vid: number, local: boolean): FdbEntry {
  // the bridge's own entry is made before the device is registered
  const now = (br.dev.net as Net | undefined)?.kernel.jiffies() ?? 0;
  const e: FdbEntry = {
    addr: addr.slice(0, 6),
    key: macKey(addr, vid),
    dst: source,
    vid,
    isLocal: local,
    isStatic: local,
    addedByUser: false,
    updated: now,
    used: now,
  };
  br.fdb.set(e.key, e);
  return e;
}

function trace_br_fdb_update(br: NetBridge, source: NetBridgePort, addr: Uint8Array, vid: number, flags: number): void {
  const k = br.dev.net.kernel;
  if (k.tracer.enabled) {
    k.tracer.emit(
      'br_fdb_update',
      `br_dev ${br.dev.name} source ${source.dev.name} addr ${formatMac(addr)} vid ${vid} flags 0x${flags.toString(16)}`,
      br.dev.net.name,
    );
  }
}

/** br_fdb_update(): learn that `addr` lives behind `source`. */
export function br_fdb_update(br: NetBridge, source: NetBridgePort, addr: Uint8Array, vid: number, flags: number): void {
  if (hold_time(br) === 0) return;
  const fdb = br_fdb_find(br, addr, vid);
  const k = br.dev.net.kernel;
  if (fdb) {
    // an update of a local entry only earns a rate-limited warning
    if (fdb.isLocal) return;
    fdb.updated = k.jiffies();
    if (source !== fdb.dst) {
      fdb.dst = source;
      trace_br_fdb_update(br, source, addr, vid, flags);
    }
    return;
  }
  fdb_create(br, source, addr, vid, false);
  trace_br_fdb_update(br, source, addr, vid, flags);
  br_fdb_schedule_gc(br);
}

/** br_fdb_add_local() / fdb_add_local(): a permanent entry for a port's or the bridge's own MAC. */
export function br_fdb_add_local(br: NetBridge, source: NetBridgePort | null, addr: Uint8Array, vid: number): void {
  const old = br_fdb_find(br, addr, vid);
  if (old) {
    if (old.isLocal) return;
    br.fdb.delete(old.key);
  }
  fdb_create(br, source, addr, vid, true);
}

/** fdb_delete_local(): a local entry goes unless another port (or the bridge) still has the address. */
export function fdb_delete_local(br: NetBridge, p: NetBridgePort | null, addr: Uint8Array, vid: number): void {
  const f = br_fdb_find(br, addr, vid);
  if (!f || !f.isLocal || f.dst !== p) return;
  for (const op of br.ports) {
    if (op !== p && macKey(op.dev.devAddr, vid) === f.key) {
      f.dst = op;
      return;
    }
  }
  if (p && macKey(br.dev.devAddr, vid) === f.key) {
    f.dst = null;
    return;
  }
  br.fdb.delete(f.key);
}

/** br_fdb_delete_by_port(): a port leaves; its learned entries (and its local one) go. */
export function br_fdb_delete_by_port(br: NetBridge, p: NetBridgePort, doAll: boolean): void {
  for (const f of [...br.fdb.values()]) {
    if (f.dst !== p) continue;
    if (!doAll && (f.isStatic || f.addedByUser)) continue;
    if (f.isLocal) fdb_delete_local(br, p, f.addr, f.vid);
    else br.fdb.delete(f.key);
  }
}

/** br_fdb_change_mac_address(): the bridge's own local entry follows its address. */
export function br_fdb_change_mac_address(br: NetBridge, oldAddr: Uint8Array | null, newAddr: Uint8Array): void {
  if (oldAddr) {
    const f = br_fdb_find(br, oldAddr, 0);
    if (f && f.isLocal && !f.dst) fdb_delete_local(br, null, oldAddr, 0);
  }
  br_fdb_add_local(br, null, newAddr, 0);
}

/** br_fdb_cleanup(): the gc work; learned entries older than hold_time go. */
export function br_fdb_cleanup(br: NetBridge): void {
  const k: Kernel = br.dev.net.kernel;
  const delay = hold_time(br);
  const now = k.jiffies();
  let workDelay = delay;
  for (const f of [...br.fdb.values()]) {
    if (f.isStatic) continue;
    const thisTimer = f.updated + delay;
    if (((thisTimer - now) | 0) > 0) workDelay = Math.min(workDelay, thisTimer - now);
    else br.fdb.delete(f.key);
  }
  // the bridge might have been turned into an unlearning one: try again in a second at most
  workDelay = Math.max(workDelay, 10);
  if (br.dev.flags & 1) armGc(br, workDelay);
}

function armGc(br: NetBridge, jiffies: number): void {
  const sim = br.dev.net.kernel.sim;
  const t = br.gcTimer ?? (br.gcTimer = sim.timer(br_fdb_cleanup, br));
  const k = br.dev.net.kernel;
  // fire on a jiffy boundary, as the workqueue does
  const tick = 1e9 / k.HZ;
  const at = (Math.floor(k.now / tick) + jiffies) * tick;
  sim.modTimer(t, at);
}

/** Started by br_stp_enable_bridge: mod_delayed_work(gc_work, HZ / 10). */
export function br_fdb_start_gc(br: NetBridge): void {
  armGc(br, Math.floor(br.dev.net.kernel.HZ / 10));
}

function br_fdb_schedule_gc(_br: NetBridge): void {
  // the gc work is already pending while the bridge is up
}

export function br_fdb_stop_gc(br: NetBridge): void {
  if (br.gcTimer) br.dev.net.kernel.sim.delTimer(br.gcTimer);
}

/** br_fdb_flush() */
export function br_fdb_flush(br: NetBridge): void {
  for (const f of [...br.fdb.values()]) if (!f.isStatic) br.fdb.delete(f.key);
}

// --- rtnetlink: AF_BRIDGE RTM_NEWNEIGH/DELNEIGH/GETNEIGH (ndo_fdb_add/del/dump of the bridge) ---

/** fdb_to_nud(): the ndm_state of an entry. */
function fdb_to_nud(br: NetBridge, f: FdbEntry): number {
  if (f.isLocal) return NUD_PERMANENT;
  if (f.isStatic) return NUD_NOARP;
  if (((f.updated + hold_time(br) - br.dev.net.kernel.jiffies()) | 0) <= 0) return NUD_STALE;
  return NUD_REACHABLE;
}

/** fdb_fill_info(): one entry as an AF_BRIDGE neighbour. */
function fdb_fill_info(br: NetBridge, f: FdbEntry): FdbMsg {
  const k = br.dev.net.kernel;
  const now = k.jiffies();
  const clock = (j: number): number => Math.floor((((now - j) >>> 0) * 100) / k.HZ);
  const attrs: FdbMsg['attrs'] = {
    NDA_LLADDR: f.addr.slice(),
    NDA_MASTER: br.dev.ifindex,
    NDA_CACHEINFO: { ndm_confirmed: 0, ndm_used: clock(f.used), ndm_updated: clock(f.updated), ndm_refcnt: 0 },
  };
  if (f.vid) attrs.NDA_VLAN = f.vid;
  return {
    nlmsg_type: RTM_NEWNEIGH,
    nlmsg_flags: NLM_F_MULTI,
    ndm: {
      ndm_family: AF_BRIDGE,
      ndm_ifindex: f.dst ? f.dst.dev.ifindex : br.dev.ifindex,
      ndm_state: fdb_to_nud(br, f),
      ndm_flags: 0,
      ndm_type: 0,
    },
    attrs,
  };
}

/** br_fdb_dump(): the bridge's own lists (no filter), then its entries, newest first. */
export function br_fdb_dump(dev: NetDevice, filterDev: NetDevice | null): FdbMsg[] {
  const br = netdev_priv_br(dev);
  if (!br) return [];
  const out: FdbMsg[] = filterDev ? [] : ndo_dflt_fdb_dump(dev);
  for (const f of [...br.fdb.values()].reverse()) {
    if (filterDev && (!f.dst || f.dst.dev !== filterDev)) {
      if (filterDev !== dev) continue;
      // !f->dst: the address belongs to the bridge itself
      if (f.dst) continue;
    }
    if (!filterDev && f.dst) continue;
    out.push(fdb_fill_info(br, f));
  }
  return out;
}

/** br_fdb_add() → fdb_add_entry(): a user's entry on a port (`bridge fdb add … master`). */
export function br_fdb_add(ndm: NdMsg, dev: NetDevice, addr: Uint8Array, nlmsgFlags: number): number {
  const state = ndm.ndm_state;
  if (!(state & (NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE))) return -EINVAL;
  const br = netdev_priv_br(dev) ?? br_port_get(dev)?.br ?? null;
  if (!br) return -EINVAL;
  const p = br_port_get(dev);
  if (p && !(state & (NUD_PERMANENT | NUD_NOARP)) && p.state !== BR_STATE_LEARNING && p.state !== BR_STATE_FORWARDING) return -EPERM;
  if (!p && !(state & NUD_PERMANENT)) return -EINVAL;
  const old = br_fdb_find(br, addr, 0);
  // fdb_add_entry(): an existing entry, even a learned one, refuses NLM_F_EXCL (`bridge fdb add`);
  // `bridge fdb replace` updates it
  if (old && nlmsgFlags & NLM_F_EXCL) return -EEXIST;
  if (old) br.fdb.delete(old.key);
  else if (!(nlmsgFlags & NLM_F_CREATE)) return -ENOENT;
  const now = br.dev.net.kernel.jiffies();
  const e: FdbEntry = {
    addr: addr.slice(0, 6),
    key: old?.key ?? macKey(addr, 0),
    dst: p,
    vid: 0,
    // NUD_PERMANENT makes a local entry: frames to it go up the bridge
    isLocal: (state & NUD_PERMANENT) !== 0,
    isStatic: (state & (NUD_PERMANENT | NUD_NOARP)) !== 0,
    addedByUser: true,
    updated: now,
    used: now,
  };
  br.fdb.set(e.key, e);
  return 0;
}

/** br_fdb_delete() → __br_fdb_delete(): the entry must be the port's; an automatic local one stays. */
export function br_fdb_delete(dev: NetDevice, addr: Uint8Array): number {
  const p = br_port_get(dev);
  const br = p ? p.br : netdev_priv_br(dev);
  if (!br) return -EINVAL;
  const old = br_fdb_find(br, addr, 0);
  if (!old || (p && old.dst !== p)) return -ENOENT;
  if (old.isLocal && !old.addedByUser) return -ENOENT;
  br.fdb.delete(old.key);
  return 0;
}
