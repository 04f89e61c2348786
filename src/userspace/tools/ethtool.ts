// ethtool 6.1 (netlink interface): -g/-G rings, -c/-C coalescing, -k/-K
// features, -S statistics, -i driver info and the link settings, for the
// devices skbpath models (e1000 and snull NICs from skbpath-nic, veth, lo).
// Messages and exit codes are the real tool's on Linux 6.18.
import { adapterOf, e1000_get_coalesce, e1000_get_ringparam, e1000_set_coalesce, e1000_set_gro, e1000_set_ringparam, isE1000, type E1000Adapter } from '../../kernel/drivers/e1000/e1000_main.ts';
import { IFF_UP, NETIF_F_GRO, type NetDevice } from '../../kernel/core/netdevice.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';

/** netdev_features_strings in the order ethtool -k prints them (kernel 6.18); a tab marks a child of the line above. */
const FEATURES = [
  'rx-checksumming', 'tx-checksumming', '\ttx-checksum-ipv4', '\ttx-checksum-ip-generic', '\ttx-checksum-ipv6', '\ttx-checksum-fcoe-crc', '\ttx-checksum-sctp',
  'scatter-gather', '\ttx-scatter-gather', '\ttx-scatter-gather-fraglist', 'tcp-segmentation-offload', '\ttx-tcp-segmentation', '\ttx-tcp-ecn-segmentation',
  '\ttx-tcp-mangleid-segmentation', '\ttx-tcp6-segmentation', '\ttx-tcp-accecn-segmentation', 'generic-segmentation-offload', 'generic-receive-offload',
  'large-receive-offload', 'rx-vlan-offload', 'tx-vlan-offload', 'ntuple-filters', 'receive-hashing', 'highdma', 'rx-vlan-filter', 'vlan-challenged',
  'tx-gso-robust', 'tx-fcoe-segmentation', 'tx-gre-segmentation', 'tx-gre-csum-segmentation', 'tx-ipxip4-segmentation', 'tx-ipxip6-segmentation',
  'tx-udp_tnl-segmentation', 'tx-udp_tnl-csum-segmentation', 'tx-gso-partial', 'tx-tunnel-remcsum-segmentation', 'tx-sctp-segmentation',
  'tx-esp-segmentation', 'tx-udp-segmentation', 'tx-gso-list', 'tx-nocache-copy', 'loopback', 'rx-fcs', 'rx-all', 'tx-vlan-stag-hw-insert',
  'rx-vlan-stag-hw-parse', 'rx-vlan-stag-filter', 'l2-fwd-offload', 'hw-tc-offload', 'esp-hw-offload', 'esp-tx-csum-hw-offload',
  'rx-udp_tunnel-port-offload', 'tls-hw-tx-offload', 'tls-hw-rx-offload', 'rx-gro-hw', 'tls-hw-record', 'rx-gro-list', 'macsec-hw-offload',
  'rx-udp-gro-forwarding', 'hsr-tag-ins-offload', 'hsr-tag-rm-offload', 'hsr-fwd-offload', 'hsr-dup-offload',
] as const;

/** One letter per FEATURES entry: 1 on, 0 off, F on [fixed], f off [fixed] (read off a 6.18 kernel). */
const LO_FEATURES = 'F1fFffF1FF11111111fffffFfFffffffffff1f11fFffffffffffffff0f0ffff';
const VETH_FEATURES = '11f1ff111111111110f11ff1ffff111111ff1f110fff11ffffffffff0f0ffff';

/** ethtool's short names for -K (the legacy flags) and the features they stand for. */
const LEGACY: Record<string, string[]> = {
  rx: ['rx-checksumming'],
  tx: ['\ttx-checksum-ipv4', '\ttx-checksum-ip-generic', '\ttx-checksum-ipv6', '\ttx-checksum-fcoe-crc'],
  'tx-checksumming': ['\ttx-checksum-ipv4', '\ttx-checksum-ip-generic', '\ttx-checksum-ipv6', '\ttx-checksum-fcoe-crc'],
  sg: ['\ttx-scatter-gather'],
  'scatter-gather': ['\ttx-scatter-gather'],
  tso: ['\ttx-tcp-segmentation', '\ttx-tcp-ecn-segmentation', '\ttx-tcp-mangleid-segmentation', '\ttx-tcp6-segmentation', '\ttx-tcp-accecn-segmentation'],
  'tcp-segmentation-offload': ['\ttx-tcp-segmentation', '\ttx-tcp-ecn-segmentation', '\ttx-tcp-mangleid-segmentation', '\ttx-tcp6-segmentation', '\ttx-tcp-accecn-segmentation'],
  gso: ['generic-segmentation-offload'],
  gro: ['generic-receive-offload'],
  lro: ['large-receive-offload'],
  rxvlan: ['rx-vlan-offload'],
  txvlan: ['tx-vlan-offload'],
  ntuple: ['ntuple-filters'],
  rxhash: ['receive-hashing'],
};

/** e1000_gstrings_stats names, in order. */
const E1000_STATS = [
  'rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes', 'rx_broadcast', 'tx_broadcast', 'rx_multicast', 'tx_multicast', 'rx_errors', 'tx_errors',
  'tx_dropped', 'multicast', 'collisions', 'rx_length_errors', 'rx_over_errors', 'rx_crc_errors', 'rx_frame_errors', 'rx_no_buffer_count',
  'rx_missed_errors', 'tx_aborted_errors', 'tx_carrier_errors', 'tx_fifo_errors', 'tx_heartbeat_errors', 'tx_window_errors', 'tx_abort_late_coll',
  'tx_deferred_ok', 'tx_single_coll_ok', 'tx_multi_coll_ok', 'tx_timeout_count', 'tx_restart_queue', 'rx_long_length_errors',
  'rx_short_length_errors', 'rx_align_errors', 'tx_tcp_seg_good', 'tx_tcp_seg_failed', 'rx_flow_control_xon', 'rx_flow_control_xoff',
  'tx_flow_control_xon', 'tx_flow_control_xoff', 'rx_long_byte_count', 'rx_csum_offload_good', 'rx_csum_offload_errors', 'alloc_rx_buff_failed',
  'tx_smbus', 'rx_smbus', 'dropped_smbus',
] as const;

function e1000StatValue(a: E1000Adapter, name: string): number {
  const s = a.stats;
  const d = a.netdev.stats;
  switch (name) {
    case 'rx_packets': return s.gprc;
    case 'tx_packets': return s.gptc;
    case 'rx_bytes': case 'rx_long_byte_count': return s.gorcl;
    case 'tx_bytes': return s.gotcl;
    case 'rx_broadcast': return s.bprc;
    case 'tx_broadcast': return s.bptc;
    case 'rx_multicast': case 'multicast': return s.mprc;
    case 'tx_multicast': return s.mptc;
    case 'tx_dropped': return d.tx_dropped;
    case 'rx_no_buffer_count': return s.rnbc;
    case 'rx_missed_errors': return s.mpc;
    case 'rx_long_length_errors': return s.roc;
    case 'rx_length_errors': return s.roc;
    case 'rx_errors': return a.netdev.stats.rx_errors;
    case 'tx_timeout_count': return s.txTimeoutCount;
    case 'tx_restart_queue': return s.restartQueue;
    case 'tx_tcp_seg_good': return s.tsctc;
    case 'tx_tcp_seg_failed': return s.tsctfc;
    case 'rx_csum_offload_good': return s.hwCsumGood;
    case 'rx_csum_offload_errors': return s.hwCsumErr;
    case 'alloc_rx_buff_failed': return s.allocRxBuffFailed;
    default: return 0;
  }
}

/** The feature states of a device as letters (see LO_FEATURES). */
function featureStates(dev: NetDevice): string[] {
  const st = new Map<string, string>();
  if (isE1000(dev)) {
    const f = adapterOf(dev).features;
    for (const n of FEATURES) st.set(n, 'f');
    const b = (on: boolean): string => (on ? '1' : '0');
    st.set('rx-checksumming', b(f.rxcsum));
    st.set('\ttx-checksum-ip-generic', b(f.txcsum));
    st.set('\ttx-scatter-gather', b(f.sg));
    st.set('\ttx-tcp-segmentation', b(f.tso));
    st.set('\ttx-tcp-mangleid-segmentation', '0');
    st.set('generic-segmentation-offload', b(f.gso));
    st.set('generic-receive-offload', b(f.gro));
    st.set('rx-vlan-offload', '1');
    st.set('tx-vlan-offload', 'F');
    st.set('highdma', 'F');
    st.set('rx-vlan-filter', 'F');
    st.set('tx-nocache-copy', '0');
    st.set('rx-fcs', '0');
    st.set('rx-all', '0');
    st.set('rx-gro-list', '0');
    st.set('rx-udp-gro-forwarding', '0');
  } else {
    const tmpl = dev.ops.kind === 'loopback' ? LO_FEATURES : dev.ops.kind === 'veth' ? VETH_FEATURES : null;
    FEATURES.forEach((n, i) => st.set(n, tmpl ? (tmpl[i] as string) : 'f'));
    if (!tmpl) {
      // snull: ether_setup plus NETIF_F_HW_CSUM; only the software features can change
      st.set('\ttx-checksum-ip-generic', 'F');
      st.set('generic-segmentation-offload', '1');
      st.set('tx-nocache-copy', '0');
      st.set('rx-gro-list', '0');
      st.set('rx-udp-gro-forwarding', '0');
    }
    st.set('generic-receive-offload', !(dev.features & NETIF_F_GRO) ? '0' : (st.get('generic-receive-offload') as string));
  }
  // a group line is on when a child is
  const out = FEATURES.map((n) => st.get(n) as string);
  FEATURES.forEach((n, i) => {
    if (n.startsWith('\t') || n === 'rx-checksumming') return;
    let j = i + 1;
    let any = false;
    let kids = false;
    while (j < FEATURES.length && (FEATURES[j] as string).startsWith('\t')) {
      kids = true;
      const v = out[j] as string;
      if (v === '1' || v === 'F') any = true;
      j++;
    }
    if (kids) out[i] = any ? '1' : '0';
  });
  return out;
}

function stateText(c: string): string {
  return c === '1' ? 'on' : c === '0' ? 'off' : c === 'F' ? 'on [fixed]' : 'off [fixed]';
}

/** Bytes a netlink attribute header for the device name takes (ethnla_fill_header), for extack offsets. */
function nameAttrLen(dev: string): number {
  return 4 + Math.ceil((dev.length + 1) / 4) * 4;
}

function* ethtool(ctx: ProcCtx): Proc {
  const argv = ctx.argv.slice(1);
  const out = (s: string): void => ctx.stdout.write(s);
  const err = (s: string): void => ctx.stderr.write(s);
  const bad = (): number => {
    err('ethtool: bad command line argument(s)\nFor more information run ethtool -h\n');
    return 1;
  };
  if (argv[0] === '--version') {
    out('ethtool version 6.1\n');
    return 0;
  }
  let mode = '';
  let rest = argv;
  if (argv[0]?.startsWith('-')) {
    mode = argv[0];
    rest = argv.slice(1);
  }
  const long: Record<string, string> = {
    '--show-ring': '-g', '--set-ring': '-G', '--show-coalesce': '-c', '--coalesce': '-C', '--show-features': '-k', '--show-offload': '-k',
    '--features': '-K', '--offload': '-K', '--statistics': '-S', '--driver': '-i',
  };
  mode = long[mode] ?? mode;
  if (mode !== '' && !['-g', '-G', '-c', '-C', '-k', '-K', '-S', '-i'].includes(mode)) return bad();
  const name = rest[0];
  if (name === undefined) return bad();
  const params = rest.slice(1);
  if (['-g', '-c', '-k', '-S', '-i', ''].includes(mode) && params.length) return bad();
  const dev = ctx.net.devByName.get(name);
  const noDev = (): number => {
    err('netlink error: no device matches name (offset 24)\nnetlink error: No such device\n');
    return 1;
  };
  const e1000 = dev && isE1000(dev) ? adapterOf(dev) : null;
  switch (mode) {
    case '': {
      if (!dev) {
        err('netlink error: no device matches name (offset 24)\nnetlink error: No such device\n'.repeat(3) + 'netlink error: no device matches name (offset 24)\nnetlink error: No such device\n');
        out('No data available\n');
        return 75;
      }
      out(linkSettings(dev));
      return 0;
    }
    case '-g': {
      if (!dev) return noDev();
      if (!e1000) {
        err('netlink error: Operation not supported\n');
        return 1;
      }
      const r = e1000_get_ringparam(e1000);
      out(`Ring parameters for ${name}:\nPre-set maximums:\nRX:\t\t${r.rxMax}\nRX Mini:\tn/a\nRX Jumbo:\tn/a\nTX:\t\t${r.txMax}\n`);
      out(`Current hardware settings:\nRX:\t\t${r.rx}\nRX Mini:\tn/a\nRX Jumbo:\tn/a\nTX:\t\t${r.tx}\nRX Buf Len:\t\tn/a\nCQE Size:\t\tn/a\nTX Push:\toff\nTCP data split:\tn/a\n`);
      return 0;
    }
    case '-G': {
      const known = ['rx', 'rx-mini', 'rx-jumbo', 'tx', 'rx-buf-len', 'cqe-size', 'tx-push'];
      const req = new Map<string, number>();
      for (let i = 0; i < params.length; i += 2) {
        const p = params[i] as string;
        if (!known.includes(p)) {
          err(`ethtool (-G): unknown parameter '${p}'\n`);
          return 1;
        }
        const v = params[i + 1];
        if (v === undefined) {
          err(`ethtool (-G): no value for parameter '${p}'\n`);
          return 1;
        }
        if (p === 'tx-push') {
          if (v !== 'on' && v !== 'off') {
            err(`ethtool (-G): invalid value '${v}' for parameter '${p}'\n`);
            return 1;
          }
          req.set(p, v === 'on' ? 1 : 0);
          continue;
        }
        if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) {
          err(`ethtool (-G): invalid value '${v}' for parameter '${p}'\n`);
          return 1;
        }
        req.set(p, Number(v));
      }
      if (!dev) return noDev();
      if (!e1000) {
        err('netlink error: Operation not supported\n');
        return 81;
      }
      const cur = e1000_get_ringparam(e1000);
      for (const p of ['rx-buf-len', 'cqe-size', 'tx-push']) {
        if (req.has(p) && req.get(p) !== 0) {
          err('netlink error: Operation not supported\n');
          return 81;
        }
      }
      const rx = req.get('rx') ?? cur.rx;
      const tx = req.get('tx') ?? cur.tx;
      if ((req.get('rx-mini') ?? 0) > 0 || (req.get('rx-jumbo') ?? 0) > 0 || rx > cur.rxMax || tx > cur.txMax) {
        err('netlink error: requested ring size exceeds maximum\nnetlink error: Invalid argument\n');
        return 81;
      }
      if (rx === cur.rx && tx === cur.tx) return 0;
      e1000_set_ringparam(e1000, rx, tx);
      return 0;
    }
    case '-c': {
      if (!dev) return noDev();
      if (!e1000) {
        err('netlink error: Operation not supported\n');
        return 1;
      }
      const na = 'n/a';
      out(`Coalesce parameters for ${name}:\nAdaptive RX: ${na}  TX: ${na}\nstats-block-usecs: ${na}\nsample-interval: ${na}\npkt-rate-low: ${na}\npkt-rate-high: ${na}\n\n`);
      out(`rx-usecs: ${e1000_get_coalesce(e1000)}\nrx-frames: ${na}\nrx-usecs-irq: ${na}\nrx-frames-irq: ${na}\n\n`);
      out(`tx-usecs: ${na}\ntx-frames: ${na}\ntx-usecs-irq: ${na}\ntx-frames-irq: ${na}\n\n`);
      out(`rx-usecs-low: ${na}\nrx-frame-low: ${na}\ntx-usecs-low: ${na}\ntx-frame-low: ${na}\n\n`);
      out(`rx-usecs-high: ${na}\nrx-frame-high: ${na}\ntx-usecs-high: ${na}\ntx-frame-high: ${na}\n\n`);
      out(`CQE mode RX: ${na}  TX: ${na}\n\n`);
      return 0;
    }
    case '-C': {
      const u32 = [
        'sample-interval', 'stats-block-usecs', 'pkt-rate-low', 'pkt-rate-high', 'rx-usecs', 'rx-frames', 'rx-usecs-irq', 'rx-frames-irq', 'tx-usecs',
        'tx-frames', 'tx-usecs-irq', 'tx-frames-irq', 'rx-usecs-low', 'rx-frames-low', 'tx-usecs-low', 'tx-frames-low', 'rx-usecs-high',
        'rx-frames-high', 'tx-usecs-high', 'tx-frames-high',
      ];
      const bools = ['adaptive-rx', 'adaptive-tx', 'cqe-mode-rx', 'cqe-mode-tx'];
      const req: [string, number][] = [];
      for (let i = 0; i < params.length; i += 2) {
        const p = params[i] as string;
        if (!u32.includes(p) && !bools.includes(p)) {
          err(`ethtool (-C): unknown parameter '${p}'\n`);
          return 1;
        }
        const v = params[i + 1];
        if (v === undefined) {
          err(`ethtool (-C): no value for parameter '${p}'\n`);
          return 1;
        }
        if (bools.includes(p) ? v !== 'on' && v !== 'off' : !/^\d+$/.test(v) || Number(v) > 0xffffffff) {
          err(`ethtool (-C): invalid value '${v}' for parameter '${p}'\n`);
          return 1;
        }
        req.push([p, bools.includes(p) ? (v === 'on' ? 1 : 0) : Number(v)]);
      }
      if (!dev) return noDev();
      if (!e1000) {
        err('netlink error: Operation not supported\n');
        return 1;
      }
      let off = 20 + 4 + nameAttrLen(name);
      let usecs: number | null = null;
      for (const [p, v] of req) {
        if (p !== 'rx-usecs') {
          err(`netlink error: cannot modify an unsupported parameter (offset ${off})\nnetlink error: Invalid argument\n`);
          return 1;
        }
        usecs = v;
        off += 8;
      }
      if (usecs === null || usecs === e1000_get_coalesce(e1000)) return 0;
      if (e1000_set_coalesce(e1000, usecs) < 0) {
        err('netlink error: Invalid argument\n');
        return 1;
      }
      return 0;
    }
    case '-k': {
      if (!dev) return noDev();
      const s = featureStates(dev);
      let o = `Features for ${name}:\n`;
      FEATURES.forEach((n, i) => {
        o += `${n}: ${stateText(s[i] as string)}\n`;
      });
      out(o);
      return 0;
    }
    case '-K': {
      const want = new Map<string, boolean>();
      for (let i = 0; i < params.length; i += 2) {
        const p = params[i] as string;
        const v = params[i + 1];
        if (v !== 'on' && v !== 'off') {
          err(`ethtool (-K): flag '${v ?? '(null)'}' for parameter '(null)' is not followed by 'on' or 'off'\n`);
          return 1;
        }
        const targets = LEGACY[p] ?? (FEATURES.find((f) => f.replace('\t', '') === p) ? [FEATURES.find((f) => f.replace('\t', '') === p) as string] : null);
        if (!targets) {
          if (!dev) return noDev();
          err(`netlink error: bit name not found (offset ${32 + nameAttrLen(name) + 12})\nnetlink error: Operation not supported\n`);
          return 92;
        }
        for (const t of targets) {
          want.set(t, v === 'on');
        }
      }
      if (!dev) return noDev();
      const before = featureStates(dev);
      let changedAny = false;
      const refused: string[] = [];
      for (const [f, on] of want) {
        const i = FEATURES.indexOf(f as (typeof FEATURES)[number]);
        const cur = before[i] as string;
        if (cur === 'F' || cur === 'f') {
          if ((cur === 'F') !== on) refused.push(f);
          continue;
        }
        if ((cur === '1') === on) continue;
        changedAny = applyFeature(dev, f, on) || changedAny;
      }
      const after = featureStates(dev);
      // what changed besides the request (netdev_fix_features: TSO needs checksum offload and SG)
      const diffs = FEATURES.filter((f, i) => before[i] !== after[i] && !(/^[a-z]/.test(f) && (f === 'tx-checksumming' || f === 'scatter-gather' || f === 'tcp-segmentation-offload')));
      const unrequested = diffs.filter((f) => !want.has(f));
      if (refused.length || unrequested.length) {
        let o = 'Actual changes:\n';
        for (const f of diffs) {
          const i = FEATURES.indexOf(f);
          o += `${f.replace('\t', '')}: ${stateText(after[i] as string)}${want.has(f) ? '' : ' [not requested]'}\n`;
        }
        for (const f of refused) o += `${f.replace('\t', '')}: ${stateText(after[FEATURES.indexOf(f as (typeof FEATURES)[number])] as string).replace(' [fixed]', '')} [requested ${want.get(f) ? 'on' : 'off'}]\n`;
        out(o);
        if (!changedAny && refused.length) {
          err('Could not change any device features\n');
          return 1;
        }
      }
      return 0;
    }
    case '-S': {
      if (!dev) {
        err('Cannot get stats strings information: No such device\n');
        return 96;
      }
      if (e1000) {
        let o = 'NIC statistics:\n';
        for (const n of E1000_STATS) o += `     ${n}: ${e1000StatValue(e1000, n)}\n`;
        out(o);
        return 0;
      }
      if (dev.ops.kind === 'veth') {
        let o = `NIC statistics:\n     peer_ifindex: ${dev.peer?.ifindex ?? 0}\n`;
        for (const n of ['rx_queue_0_xdp_packets', 'rx_queue_0_xdp_bytes', 'rx_queue_0_drops', 'rx_queue_0_xdp_redirect', 'rx_queue_0_xdp_drops', 'rx_queue_0_xdp_tx', 'rx_queue_0_xdp_tx_errors', 'tx_queue_0_xdp_xmit', 'tx_queue_0_xdp_xmit_errors']) o += `     ${n}: 0\n`;
        out(o);
        return 0;
      }
      out('no stats available\n');
      return 94;
    }
    case '-i': {
      if (!dev) {
        err('Cannot get driver information: No such device\n');
        return 71;
      }
      if (e1000) {
        out(`driver: e1000\nversion: 6.18.26\nfirmware-version: \nexpansion-rom-version: \nbus-info: ${e1000.pdev.slot}\nsupports-statistics: yes\nsupports-test: yes\nsupports-eeprom-access: yes\nsupports-register-dump: yes\nsupports-priv-flags: no\n`);
        return 0;
      }
      if (dev.ops.kind === 'veth') {
        out('driver: veth\nversion: 1.0\nfirmware-version: \nexpansion-rom-version: \nbus-info: \nsupports-statistics: yes\nsupports-test: no\nsupports-eeprom-access: no\nsupports-register-dump: no\nsupports-priv-flags: no\n');
        return 0;
      }
      err('Cannot get driver information: Operation not supported\n');
      return 71;
    }
  }
  return bad();
}

/** Applies one changeable feature; returns whether it changed. */
function applyFeature(dev: NetDevice, f: string, on: boolean): boolean {
  if (isE1000(dev)) {
    const a = adapterOf(dev);
    const ft = a.features;
    switch (f) {
      case 'rx-checksumming': ft.rxcsum = on; return true;
      case '\ttx-checksum-ip-generic':
        ft.txcsum = on;
        if (!on) ft.tso = false; // netdev_fix_features: TSO needs checksumming
        return true;
      case '\ttx-scatter-gather':
        ft.sg = on;
        if (!on) ft.tso = false; // TSO needs SG
        return true;
      case '\ttx-tcp-segmentation':
        if (on && (!ft.txcsum || !ft.sg)) return false;
        ft.tso = on;
        return true;
      case 'generic-segmentation-offload': ft.gso = on; return true;
      case 'generic-receive-offload': e1000_set_gro(a, on); return true;
      default: return false;
    }
  }
  if (f === 'generic-receive-offload') {
    if (on) dev.features |= NETIF_F_GRO;
    else dev.features &= ~NETIF_F_GRO;
    return true;
  }
  return false;
}

/** `ethtool DEV`: the link settings (e1000: a copper 10/100/1000 PHY with autonegotiation). */
function linkSettings(dev: NetDevice): string {
  const up = (dev.flags & IFF_UP) !== 0 && dev.carrier;
  if (!isE1000(dev)) {
    if (dev.ops.kind === 'veth') {
      return `Settings for ${dev.name}:\n\tSupported ports: [  ]\n\tSupported link modes:   Not reported\n\tSupported pause frame use: No\n\tSupports auto-negotiation: No\n\tSupported FEC modes: Not reported\n\tAdvertised link modes:  Not reported\n\tAdvertised pause frame use: No\n\tAdvertised auto-negotiation: No\n\tAdvertised FEC modes: Not reported\n\tSpeed: 10000Mb/s\n\tDuplex: Full\n\tAuto-negotiation: off\n\tPort: Twisted Pair\n\tPHYAD: 0\n\tTransceiver: internal\n\tMDI-X: Unknown\n\tLink detected: ${up ? 'yes' : 'no'}\n`;
    }
    return `Settings for ${dev.name}:\n\tLink detected: ${up ? 'yes' : 'no'}\n`;
  }
  const a = adapterOf(dev);
  const modes = '10baseT/Half 10baseT/Full\n\t                        100baseT/Half 100baseT/Full\n\t                        1000baseT/Full';
  let s = `Settings for ${dev.name}:\n\tSupported ports: [ TP ]\n\tSupported link modes:   ${modes}\n\tSupported pause frame use: No\n\tSupports auto-negotiation: Yes\n\tSupported FEC modes: Not reported\n`;
  s += `\tAdvertised link modes:  ${modes}\n\tAdvertised pause frame use: No\n\tAdvertised auto-negotiation: Yes\n\tAdvertised FEC modes: Not reported\n`;
  s += up ? `\tSpeed: ${a.linkSpeed()}Mb/s\n\tDuplex: Full\n` : '\tSpeed: Unknown!\n\tDuplex: Unknown! (255)\n';
  s += `\tAuto-negotiation: on\n\tPort: Twisted Pair\n\tPHYAD: 0\n\tTransceiver: internal\n\tMDI-X: ${up ? 'off (auto)' : 'Unknown (auto)'}\n\tSupports Wake-on: umbg\n\tWake-on: d\n`;
  s += `        Current message level: 0x00000007 (7)\n                               drv probe link\n\tLink detected: ${up ? 'yes' : 'no'}\n`;
  return s;
}

export function registerEthtool(commands: Map<string, Command>): void {
  commands.set('ethtool', ethtool);
}
