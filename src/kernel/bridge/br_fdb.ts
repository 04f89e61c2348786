// net/bridge/br_fdb.c: the forwarding database — learning (br_fdb_update and
// its tracepoint), lookup, the local entries of the bridge and its ports, and
// ageing (br_fdb_cleanup).
import { formatMac } from '../../wire/ethernet.ts';
import type { Kernel } from '../kernel.ts';
import type { Net } from '../net_namespace.ts';
import { macKey, type FdbEntry, type NetBridge, type NetBridgePort } from './br_private.ts';

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
