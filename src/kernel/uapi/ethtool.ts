// The ethtool interface (include/uapi/linux/ethtool.h, ethtool_netlink.h): the
// ETHTOOL_MSG_* requests ethtool 6.1 sends, and ETHTOOL_GDRVINFO, answered from
// the device's ethtool_ops. A device is named by its namespace (an opaque
// handle) and ifname; what comes back is plain data shaped like the uapi
// structs, or a negative errno with the extack message the kernel sets and
// the index of the attribute it points at.
import { __ethtool_get_link, NETDEV_FEATURES, netdev_features, netdev_set_feature } from '../core/ethtool.ts';
import type { EthtoolCoalesce, EthtoolDrvinfo, EthtoolLinkKsettings, EthtoolRingparam, EthtoolWolinfo } from '../core/ethtool.ts';
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import { EINVAL, ENODEV, EOPNOTSUPP } from './errno.ts';

export type { EthtoolCoalesce, EthtoolDrvinfo, EthtoolLinkKsettings, EthtoolRingparam, EthtoolWolinfo };

/** A failed request: -errno, the extack text, and the attribute it names (its index in the request). */
export interface EthtoolError {
  readonly err: number;
  readonly extack?: string;
  readonly attr?: number;
}

export type Reply<T> = { readonly ok: T } | EthtoolError;

function dev_get(netns: Net, ifname: string): NetDevice | EthtoolError {
  return netns.devByName.get(ifname) ?? { err: -ENODEV, extack: 'no device matches name' };
}

function isErr(x: NetDevice | EthtoolError): x is EthtoolError {
  return 'err' in x;
}

/** ETHTOOL_MSG_STRSET_GET for ETH_SS_FEATURES: netdev_features_strings. */
export function ethtool_feature_names(): readonly string[] {
  return NETDEV_FEATURES;
}

/** ETHTOOL_GDRVINFO */
export function ethtool_get_drvinfo(netns: Net, ifname: string): Reply<EthtoolDrvinfo> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return { err: d.err };
  const op = d.ops.ethtool_ops?.get_drvinfo;
  return op ? { ok: op(d) } : { err: -EOPNOTSUPP };
}

/** ETHTOOL_MSG_LINKMODES_GET (and LINKINFO): null when the driver has no get_link_ksettings. */
export function ethtool_linkmodes_get(netns: Net, ifname: string): Reply<EthtoolLinkKsettings | null> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  return { ok: d.ops.ethtool_ops?.get_link_ksettings?.(d) ?? null };
}

/** ETHTOOL_MSG_LINKSTATE_GET: ETHTOOL_A_LINKSTATE_LINK. */
export function ethtool_linkstate_get(netns: Net, ifname: string): Reply<boolean> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  return { ok: __ethtool_get_link(d) };
}

/** ETHTOOL_MSG_WOL_GET: null without get_wol. */
export function ethtool_wol_get(netns: Net, ifname: string): Reply<EthtoolWolinfo | null> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  return { ok: d.ops.ethtool_ops?.get_wol?.(d) ?? null };
}

/** ETHTOOL_MSG_DEBUG_GET: the message level, null without get_msglevel. */
export function ethtool_debug_get(netns: Net, ifname: string): Reply<number | null> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  return { ok: d.ops.ethtool_ops?.get_msglevel?.(d) ?? null };
}

/** ETHTOOL_MSG_RINGS_GET */
export function ethtool_rings_get(netns: Net, ifname: string): Reply<EthtoolRingparam> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  const op = d.ops.ethtool_ops?.get_ringparam;
  return op ? { ok: op(d) } : { err: -EOPNOTSUPP };
}

/** The ETHTOOL_A_RINGS_* attributes of a set request. */
export interface RingsRequest {
  rx?: number;
  rx_mini?: number;
  rx_jumbo?: number;
  tx?: number;
  rx_buf_len?: number;
  cqe_size?: number;
  tx_push?: number;
}

/** ETHTOOL_MSG_RINGS_SET: ethnl_set_rings(). */
export function ethtool_rings_set(netns: Net, ifname: string, req: RingsRequest): Reply<null> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  const ops = d.ops.ethtool_ops;
  if (!ops?.get_ringparam || !ops.set_ringparam) return { err: -EOPNOTSUPP };
  // no supported_ring_params: rx-buf-len, cqe-size and tx-push cannot be set
  if (req.rx_buf_len || req.cqe_size || req.tx_push) return { err: -EOPNOTSUPP };
  const cur = ops.get_ringparam(d);
  const rx = req.rx ?? cur.rx_pending;
  const tx = req.tx ?? cur.tx_pending;
  if (
    (req.rx_mini ?? 0) > cur.rx_mini_max_pending ||
    (req.rx_jumbo ?? 0) > cur.rx_jumbo_max_pending ||
    rx > cur.rx_max_pending ||
    tx > cur.tx_max_pending
  ) {
    return { err: -EINVAL, extack: 'requested ring size exceeds maximum' };
  }
  if (rx === cur.rx_pending && tx === cur.tx_pending) return { ok: null };
  const err = ops.set_ringparam(d, rx, tx);
  return err ? { err } : { ok: null };
}

/** ETHTOOL_MSG_COALESCE_GET: the driver's parameters, by ethtool's names; the others are n/a. */
export function ethtool_coalesce_get(netns: Net, ifname: string): Reply<EthtoolCoalesce> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  const op = d.ops.ethtool_ops?.get_coalesce;
  return op ? { ok: op(d) } : { err: -EOPNOTSUPP };
}

/** ETHTOOL_MSG_COALESCE_SET with its attributes in request order: ethnl_set_coalesce(). */
export function ethtool_coalesce_set(netns: Net, ifname: string, attrs: readonly (readonly [string, number])[]): Reply<null> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  const ops = d.ops.ethtool_ops;
  if (!ops?.get_coalesce || !ops.set_coalesce) return { err: -EOPNOTSUPP };
  const supported = ops.supported_coalesce_params ?? [];
  let usecs: number | null = null;
  for (let i = 0; i < attrs.length; i++) {
    const [p, v] = attrs[i] as readonly [string, number];
    // ethnl_set_coalesce_validate()
    if (!supported.includes(p)) return { err: -EINVAL, extack: 'cannot modify an unsupported parameter', attr: i };
    if (p === 'rx-usecs') usecs = v;
  }
  const cur = ops.get_coalesce(d);
  if (usecs === null || usecs === cur.rx_coalesce_usecs) return { ok: null };
  const err = ops.set_coalesce(d, { rx_coalesce_usecs: usecs });
  return err ? { err } : { ok: null };
}

/** ETHTOOL_MSG_FEATURES_GET: hw (changeable) and active, per netdev_features_strings entry. */
export function ethtool_features_get(netns: Net, ifname: string): Reply<{ hw: boolean[]; active: boolean[] }> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  const f = netdev_features(d);
  return { ok: { hw: f.map((x) => x.hw), active: f.map((x) => x.active) } };
}

/** ETHTOOL_MSG_FEATURES_SET: the wanted bits; `changed` is false when no bit moved. */
export function ethtool_features_set(
  netns: Net,
  ifname: string,
  wanted: readonly (readonly [string, boolean])[],
): Reply<{ changed: boolean }> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  const before = netdev_features(d);
  let changed = false;
  for (const [name, on] of wanted) {
    const i = NETDEV_FEATURES.indexOf(name as (typeof NETDEV_FEATURES)[number]);
    if (i < 0) return { err: -EOPNOTSUPP, extack: 'bit name not found' };
    const cur = before[i] as { hw: boolean; active: boolean };
    if (!cur.hw || cur.active === on) continue;
    changed = netdev_set_feature(d, name, on) || changed;
  }
  return { ok: { changed } };
}

/** ETH_SS_STATS strings and ETHTOOL_GSTATS values (an empty list: no stats). */
export function ethtool_stats_get(netns: Net, ifname: string): Reply<readonly [string, number][]> {
  const d = dev_get(netns, ifname);
  if (isErr(d)) return d;
  return { ok: d.ops.ethtool_ops?.get_ethtool_stats?.(d) ?? [] };
}
