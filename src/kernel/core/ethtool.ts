// struct ethtool_ops (include/linux/ethtool.h) and what net/ethtool does with
// them for the devices skbpath models: the generic get_link
// (ethtool_op_get_link), and the feature bits ethtool reads and sets
// (netdev_features_strings as ethtool -k lists them, with the hw/active state
// of each). The user side is src/kernel/uapi/ethtool.ts.
import { IFF_UP, NETIF_F_GRO, type NetDevice } from './netdevice.ts';

/** struct ethtool_drvinfo as ETHTOOL_GDRVINFO returns it. */
export interface EthtoolDrvinfo {
  readonly driver: string;
  readonly version: string;
  readonly fw_version: string;
  readonly erom_version: string;
  readonly bus_info: string;
  readonly n_stats: number;
  readonly testinfo_len: number;
  readonly eedump_len: number;
  readonly regdump_len: number;
  readonly n_priv_flags: number;
}

/** struct ethtool_ringparam */
export interface EthtoolRingparam {
  readonly rx_max_pending: number;
  readonly rx_mini_max_pending: number;
  readonly rx_jumbo_max_pending: number;
  readonly tx_max_pending: number;
  readonly rx_pending: number;
  readonly rx_mini_pending: number;
  readonly rx_jumbo_pending: number;
  readonly tx_pending: number;
}

/** struct ethtool_coalesce, the fields skbpath's drivers support. */
export interface EthtoolCoalesce {
  readonly rx_coalesce_usecs: number;
}

/** struct ethtool_link_ksettings, with the link modes by their ethtool names. */
export interface EthtoolLinkKsettings {
  /** SPEED_UNKNOWN is -1. */
  readonly speed: number;
  /** DUPLEX_HALF 0, DUPLEX_FULL 1, DUPLEX_UNKNOWN 0xff. */
  readonly duplex: number;
  /** PORT_TP 0x00 */
  readonly port: number;
  readonly phy_address: number;
  readonly autoneg: boolean;
  /** ETH_TP_MDI_INVALID 0, ETH_TP_MDI 1, ETH_TP_MDI_X 2 */
  readonly eth_tp_mdix: number;
  /** ETH_TP_MDI_AUTO 3 */
  readonly eth_tp_mdix_ctrl: number;
  readonly supported: readonly string[];
  readonly advertising: readonly string[];
  readonly supportedPorts: readonly string[];
  readonly supportsAutoneg: boolean;
}

/** struct ethtool_wolinfo: the WAKE_* letters ethtool prints. */
export interface EthtoolWolinfo {
  readonly supported: string;
  readonly wolopts: string;
}

/** The state of one feature: changeable (hw_features) and on (features). */
export type FeatureState = { readonly hw: boolean; readonly active: boolean };

/** struct ethtool_ops: what a driver offers; an absent op is EOPNOTSUPP. */
export interface EthtoolOps {
  get_drvinfo?(dev: NetDevice): EthtoolDrvinfo;
  get_link?(dev: NetDevice): boolean;
  get_link_ksettings?(dev: NetDevice): EthtoolLinkKsettings;
  get_wol?(dev: NetDevice): EthtoolWolinfo;
  get_msglevel?(dev: NetDevice): number;
  get_ringparam?(dev: NetDevice): EthtoolRingparam;
  /** Returns 0 or a negative errno. */
  set_ringparam?(dev: NetDevice, rx: number, tx: number): number;
  /** ETHTOOL_COALESCE_* the driver takes (supported_coalesce_params), by ethtool's parameter names. */
  readonly supported_coalesce_params?: readonly string[];
  get_coalesce?(dev: NetDevice): EthtoolCoalesce;
  set_coalesce?(dev: NetDevice, c: EthtoolCoalesce): number;
  /** get_strings(ETH_SS_STATS) and get_ethtool_stats, together. */
  get_ethtool_stats?(dev: NetDevice): readonly [string, number][];
  /** The device's netdev_features (hw_features and features), when the driver keeps its own. */
  get_features?(dev: NetDevice): ReadonlyMap<string, FeatureState>;
  /** ndo_set_features for one bit; false when the bit did not change. */
  set_feature?(dev: NetDevice, name: string, on: boolean): boolean;
  /** Fixed feature states read off a 6.18 kernel (see featureTemplate), for drivers without get_features. */
  readonly features?: string;
}

/** netdev_features_strings in the order ethtool -k prints them (kernel 6.18). */
export const NETDEV_FEATURES = [
  'rx-checksumming',
  'tx-checksumming',
  'tx-checksum-ipv4',
  'tx-checksum-ip-generic',
  'tx-checksum-ipv6',
  'tx-checksum-fcoe-crc',
  'tx-checksum-sctp',
  'scatter-gather',
  'tx-scatter-gather',
  'tx-scatter-gather-fraglist',
  'tcp-segmentation-offload',
  'tx-tcp-segmentation',
  'tx-tcp-ecn-segmentation',
  'tx-tcp-mangleid-segmentation',
  'tx-tcp6-segmentation',
  'tx-tcp-accecn-segmentation',
  'generic-segmentation-offload',
  'generic-receive-offload',
  'large-receive-offload',
  'rx-vlan-offload',
  'tx-vlan-offload',
  'ntuple-filters',
  'receive-hashing',
  'highdma',
  'rx-vlan-filter',
  'vlan-challenged',
  'tx-gso-robust',
  'tx-fcoe-segmentation',
  'tx-gre-segmentation',
  'tx-gre-csum-segmentation',
  'tx-ipxip4-segmentation',
  'tx-ipxip6-segmentation',
  'tx-udp_tnl-segmentation',
  'tx-udp_tnl-csum-segmentation',
  'tx-gso-partial',
  'tx-tunnel-remcsum-segmentation',
  'tx-sctp-segmentation',
  'tx-esp-segmentation',
  'tx-udp-segmentation',
  'tx-gso-list',
  'tx-nocache-copy',
  'loopback',
  'rx-fcs',
  'rx-all',
  'tx-vlan-stag-hw-insert',
  'rx-vlan-stag-hw-parse',
  'rx-vlan-stag-filter',
  'l2-fwd-offload',
  'hw-tc-offload',
  'esp-hw-offload',
  'esp-tx-csum-hw-offload',
  'rx-udp_tunnel-port-offload',
  'tls-hw-tx-offload',
  'tls-hw-rx-offload',
  'rx-gro-hw',
  'tls-hw-record',
  'rx-gro-list',
  'macsec-hw-offload',
  'rx-udp-gro-forwarding',
  'hsr-tag-ins-offload',
  'hsr-tag-rm-offload',
  'hsr-fwd-offload',
  'hsr-dup-offload',
] as const;

/** One letter per NETDEV_FEATURES entry: 1 on, 0 off, F on [fixed], f off [fixed] (read off a 6.18 kernel). */
export const LO_FEATURES = 'F1fFffF1FF11111111fffffFfFffffffffff1f11fFffffffffffffff0f0ffff';
export const VETH_FEATURES = '11f1ff111111111110f11ff1ffff111111ff1f110fff11ffffffffff0f0ffff';

function letter(s: FeatureState): string {
  return s.hw ? (s.active ? '1' : '0') : s.active ? 'F' : 'f';
}

function fromLetter(c: string): FeatureState {
  return { hw: c === '1' || c === '0', active: c === '1' || c === 'F' };
}

/** The device's feature states, in NETDEV_FEATURES order. */
export function netdev_features(dev: NetDevice): FeatureState[] {
  const ops = dev.ops.ethtool_ops;
  const own = ops?.get_features?.(dev);
  if (own) return NETDEV_FEATURES.map((n) => own.get(n) ?? { hw: false, active: false });
  const tmpl = ops?.features;
  const st = new Map<string, string>();
  NETDEV_FEATURES.forEach((n, i) => st.set(n, tmpl ? (tmpl[i] as string) : 'f'));
  if (!tmpl) {
    // ether_setup plus NETIF_F_HW_CSUM (snull): only the software features can change
    st.set('tx-checksum-ip-generic', 'F');
    st.set('generic-segmentation-offload', '1');
    st.set('tx-nocache-copy', '0');
    st.set('rx-gro-list', '0');
    st.set('rx-udp-gro-forwarding', '0');
  }
  if (!(dev.features & NETIF_F_GRO)) st.set('generic-receive-offload', '0');
  return NETDEV_FEATURES.map((n) => fromLetter(st.get(n) as string));
}

/** The letters of netdev_features (1, 0, F, f). */
export function netdev_feature_letters(dev: NetDevice): string[] {
  return netdev_features(dev).map(letter);
}

/** __netdev_update_features() for one requested bit; false when nothing changed. */
export function netdev_set_feature(dev: NetDevice, name: string, on: boolean): boolean {
  const ops = dev.ops.ethtool_ops;
  if (ops?.set_feature) return ops.set_feature(dev, name, on);
  if (name === 'generic-receive-offload') {
    if (on) dev.features |= NETIF_F_GRO;
    else dev.features &= ~NETIF_F_GRO;
    return true;
  }
  return false;
}

/** __ethtool_get_link(): a down device has no link. */
export function __ethtool_get_link(dev: NetDevice): boolean {
  const get = dev.ops.ethtool_ops?.get_link ?? ethtool_op_get_link;
  return (dev.flags & IFF_UP) !== 0 && get(dev);
}

/** ethtool_op_get_link(): netif_carrier_ok(). */
export function ethtool_op_get_link(dev: NetDevice): boolean {
  return dev.carrier;
}
