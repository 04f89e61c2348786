// ethtool 6.1 (netlink interface): -g/-G rings, -c/-C coalescing, -k/-K
// features, -S statistics, -i driver info and the link settings, for the
// devices skbpath models (e1000 and snull NICs from skbpath-nic, veth, lo).
// Messages and exit codes are the real tool's on Linux 6.18.
import type { Net } from '../../kernel/net_namespace.ts';
import { EINVAL, ENODEV, EOPNOTSUPP } from '../../kernel/uapi/errno.ts';
import {
  ethtool_coalesce_get,
  ethtool_coalesce_set,
  ethtool_debug_get,
  ethtool_feature_names,
  ethtool_features_get,
  ethtool_features_set,
  ethtool_get_drvinfo,
  ethtool_linkmodes_get,
  ethtool_linkstate_get,
  ethtool_rings_get,
  ethtool_rings_set,
  ethtool_stats_get,
  ethtool_wol_get,
  type EthtoolLinkKsettings,
  type EthtoolWolinfo,
  type Reply,
  type RingsRequest,
} from '../../kernel/uapi/ethtool.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';

/** The features ethtool -k prints indented under a group line (off_flag_def: tx-checksumming, scatter-gather, tcp-segmentation-offload). */
const CHILDREN: ReadonlySet<string> = new Set([
  'tx-checksum-ipv4',
  'tx-checksum-ip-generic',
  'tx-checksum-ipv6',
  'tx-checksum-fcoe-crc',
  'tx-checksum-sctp',
  'tx-scatter-gather',
  'tx-scatter-gather-fraglist',
  'tx-tcp-segmentation',
  'tx-tcp-ecn-segmentation',
  'tx-tcp-mangleid-segmentation',
  'tx-tcp6-segmentation',
  'tx-tcp-accecn-segmentation',
]);

/** The kernel's feature names (ETH_SS_FEATURES) in the order ethtool -k prints them; a tab marks a child of the line above. */
const FEATURES: readonly string[] = ethtool_feature_names().map((n) => (CHILDREN.has(n) ? `\t${n}` : n));

/** ethtool's short names for -K (the legacy flags) and the features they stand for. */
const LEGACY: Record<string, string[]> = {
  rx: ['rx-checksumming'],
  tx: ['\ttx-checksum-ipv4', '\ttx-checksum-ip-generic', '\ttx-checksum-ipv6', '\ttx-checksum-fcoe-crc'],
  'tx-checksumming': ['\ttx-checksum-ipv4', '\ttx-checksum-ip-generic', '\ttx-checksum-ipv6', '\ttx-checksum-fcoe-crc'],
  sg: ['\ttx-scatter-gather'],
  'scatter-gather': ['\ttx-scatter-gather'],
  tso: [
    '\ttx-tcp-segmentation',
    '\ttx-tcp-ecn-segmentation',
    '\ttx-tcp-mangleid-segmentation',
    '\ttx-tcp6-segmentation',
    '\ttx-tcp-accecn-segmentation',
  ],
  'tcp-segmentation-offload': [
    '\ttx-tcp-segmentation',
    '\ttx-tcp-ecn-segmentation',
    '\ttx-tcp-mangleid-segmentation',
    '\ttx-tcp6-segmentation',
    '\ttx-tcp-accecn-segmentation',
  ],
  gso: ['generic-segmentation-offload'],
  gro: ['generic-receive-offload'],
  lro: ['large-receive-offload'],
  rxvlan: ['rx-vlan-offload'],
  txvlan: ['tx-vlan-offload'],
  ntuple: ['ntuple-filters'],
  rxhash: ['receive-hashing'],
};

/** The feature states as letters in FEATURES order (1 on, 0 off, F on [fixed], f off [fixed]); a group line is on when a child is. */
function featureStates(net: Net, dev: string): string[] | null {
  const r = ethtool_features_get(net, dev);
  if (!('ok' in r)) return null;
  const names = ethtool_feature_names();
  const st = new Map<string, string>();
  names.forEach((n, i) => st.set(n, r.ok.hw[i] ? (r.ok.active[i] ? '1' : '0') : r.ok.active[i] ? 'F' : 'f'));
  const out = FEATURES.map((n) => st.get(n.replace('\t', '')) ?? 'f');
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
    '--show-ring': '-g',
    '--set-ring': '-G',
    '--show-coalesce': '-c',
    '--coalesce': '-C',
    '--show-features': '-k',
    '--show-offload': '-k',
    '--features': '-K',
    '--offload': '-K',
    '--statistics': '-S',
    '--driver': '-i',
  };
  mode = long[mode] ?? mode;
  if (mode !== '' && !['-g', '-G', '-c', '-C', '-k', '-K', '-S', '-i'].includes(mode)) return bad();
  const name = rest[0];
  if (name === undefined) return bad();
  const params = rest.slice(1);
  if (['-g', '-c', '-k', '-S', '-i', ''].includes(mode) && params.length) return bad();
  const net = ctx.net;
  const noDev = (): number => {
    err('netlink error: no device matches name (offset 24)\nnetlink error: No such device\n');
    return 1;
  };
  const failed = <T>(r: Reply<T>): r is Exclude<Reply<T>, { ok: T }> => !('ok' in r);
  switch (mode) {
    case '': {
      const lm = ethtool_linkmodes_get(net, name);
      if (failed(lm)) {
        err('netlink error: no device matches name (offset 24)\nnetlink error: No such device\n'.repeat(4));
        out('No data available\n');
        return 75;
      }
      const link = ethtool_linkstate_get(net, name);
      const wol = ethtool_wol_get(net, name);
      const msg = ethtool_debug_get(net, name);
      out(linkSettings(name, lm.ok, 'ok' in link && link.ok, 'ok' in wol ? wol.ok : null, 'ok' in msg ? msg.ok : null));
      return 0;
    }
    case '-g': {
      const r = ethtool_rings_get(net, name);
      if (failed(r)) {
        if (r.err === -ENODEV) return noDev();
        err('netlink error: Operation not supported\n');
        return 1;
      }
      const g = r.ok;
      out(
        `Ring parameters for ${name}:\nPre-set maximums:\nRX:\t\t${g.rx_max_pending}\nRX Mini:\tn/a\nRX Jumbo:\tn/a\nTX:\t\t${g.tx_max_pending}\n`,
      );
      out(
        `Current hardware settings:\nRX:\t\t${g.rx_pending}\nRX Mini:\tn/a\nRX Jumbo:\tn/a\nTX:\t\t${g.tx_pending}\nRX Buf Len:\t\tn/a\nCQE Size:\t\tn/a\nTX Push:\toff\nTCP data split:\tn/a\n`,
      );
      return 0;
    }
    case '-G': {
      const known: Record<string, keyof RingsRequest> = {
        rx: 'rx',
        'rx-mini': 'rx_mini',
        'rx-jumbo': 'rx_jumbo',
        tx: 'tx',
        'rx-buf-len': 'rx_buf_len',
        'cqe-size': 'cqe_size',
        'tx-push': 'tx_push',
      };
      const req: RingsRequest = {};
      for (let i = 0; i < params.length; i += 2) {
        const p = params[i] as string;
        const field = known[p];
        if (!field) {
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
          req[field] = v === 'on' ? 1 : 0;
          continue;
        }
        if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) {
          err(`ethtool (-G): invalid value '${v}' for parameter '${p}'\n`);
          return 1;
        }
        req[field] = Number(v);
      }
      const r = ethtool_rings_set(net, name, req);
      if (failed(r)) {
        if (r.err === -ENODEV) return noDev();
        err(`${r.extack ? `netlink error: ${r.extack}\n` : ''}netlink error: ${strerror(r.err)}\n`);
        return 81;
      }
      return 0;
    }
    case '-c': {
      const r = ethtool_coalesce_get(net, name);
      if (failed(r)) {
        if (r.err === -ENODEV) return noDev();
        err('netlink error: Operation not supported\n');
        return 1;
      }
      const na = 'n/a';
      out(
        `Coalesce parameters for ${name}:\nAdaptive RX: ${na}  TX: ${na}\nstats-block-usecs: ${na}\nsample-interval: ${na}\npkt-rate-low: ${na}\npkt-rate-high: ${na}\n\n`,
      );
      out(`rx-usecs: ${r.ok.rx_coalesce_usecs}\nrx-frames: ${na}\nrx-usecs-irq: ${na}\nrx-frames-irq: ${na}\n\n`);
      out(`tx-usecs: ${na}\ntx-frames: ${na}\ntx-usecs-irq: ${na}\ntx-frames-irq: ${na}\n\n`);
      out(`rx-usecs-low: ${na}\nrx-frame-low: ${na}\ntx-usecs-low: ${na}\ntx-frame-low: ${na}\n\n`);
      out(`rx-usecs-high: ${na}\nrx-frame-high: ${na}\ntx-usecs-high: ${na}\ntx-frame-high: ${na}\n\n`);
      out(`CQE mode RX: ${na}  TX: ${na}\n\n`);
      return 0;
    }
    case '-C': {
      const u32 = [
        'sample-interval',
        'stats-block-usecs',
        'pkt-rate-low',
        'pkt-rate-high',
        'rx-usecs',
        'rx-frames',
        'rx-usecs-irq',
        'rx-frames-irq',
        'tx-usecs',
        'tx-frames',
        'tx-usecs-irq',
        'tx-frames-irq',
        'rx-usecs-low',
        'rx-frames-low',
        'tx-usecs-low',
        'tx-frames-low',
        'rx-usecs-high',
        'rx-frames-high',
        'tx-usecs-high',
        'tx-frames-high',
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
      const r = ethtool_coalesce_set(net, name, req);
      if (failed(r)) {
        if (r.err === -ENODEV) return noDev();
        if (r.err === -EOPNOTSUPP) {
          err('netlink error: Operation not supported\n');
          return 1;
        }
        // the attribute's offset: nlmsghdr, genlmsghdr, the header nest with the name, 8 bytes per u32 before it
        const off = 20 + 4 + nameAttrLen(name) + 8 * (r.attr ?? 0);
        err(`${r.extack ? `netlink error: ${r.extack} (offset ${off})\n` : ''}netlink error: ${strerror(r.err)}\n`);
        return 1;
      }
      return 0;
    }
    case '-k': {
      const s = featureStates(net, name);
      if (!s) return noDev();
      let o = `Features for ${name}:\n`;
      FEATURES.forEach((n, i) => {
        o += `${n}: ${stateText(s[i] as string)}\n`;
      });
      out(o);
      return 0;
    }
    case '-K': {
      const names = ethtool_feature_names();
      const exists = 'ok' in ethtool_features_get(net, name);
      const want = new Map<string, boolean>();
      for (let i = 0; i < params.length; i += 2) {
        const p = params[i] as string;
        const v = params[i + 1];
        if (v !== 'on' && v !== 'off') {
          err(`ethtool (-K): flag '${v ?? '(null)'}' for parameter '(null)' is not followed by 'on' or 'off'\n`);
          return 1;
        }
        const targets = LEGACY[p] ?? (names.includes(p) ? [FEATURES.find((f) => f.replace('\t', '') === p) as string] : null);
        if (!targets) {
          if (!exists) return noDev();
          err(`netlink error: bit name not found (offset ${32 + nameAttrLen(name) + 12})\nnetlink error: Operation not supported\n`);
          return 92;
        }
        for (const t of targets) want.set(t, v === 'on');
      }
      const before = featureStates(net, name);
      if (!before) return noDev();
      const refused: string[] = [];
      const send: [string, boolean][] = [];
      for (const [f, on] of want) {
        const cur = before[FEATURES.indexOf(f)] as string;
        if (cur === 'F' || cur === 'f') {
          if ((cur === 'F') !== on) refused.push(f);
          continue;
        }
        send.push([f.replace('\t', ''), on]);
      }
      const r = ethtool_features_set(net, name, send);
      const changedAny = 'ok' in r && r.ok.changed;
      const after = featureStates(net, name) as string[];
      // what changed besides the request (netdev_fix_features: TSO needs checksum offload and SG)
      const diffs = FEATURES.filter(
        (f, i) =>
          before[i] !== after[i] &&
          !(/^[a-z]/.test(f) && (f === 'tx-checksumming' || f === 'scatter-gather' || f === 'tcp-segmentation-offload')),
      );
      const unrequested = diffs.filter((f) => !want.has(f));
      if (refused.length || unrequested.length) {
        let o = 'Actual changes:\n';
        for (const f of diffs) {
          const i = FEATURES.indexOf(f);
          o += `${f.replace('\t', '')}: ${stateText(after[i] as string)}${want.has(f) ? '' : ' [not requested]'}\n`;
        }
        for (const f of refused)
          o += `${f.replace('\t', '')}: ${stateText(after[FEATURES.indexOf(f)] as string).replace(' [fixed]', '')} [requested ${want.get(f) ? 'on' : 'off'}]\n`;
        out(o);
        if (!changedAny && refused.length) {
          err('Could not change any device features\n');
          return 1;
        }
      }
      return 0;
    }
    case '-S': {
      const r = ethtool_stats_get(net, name);
      if (failed(r)) {
        err('Cannot get stats strings information: No such device\n');
        return 96;
      }
      if (!r.ok.length) {
        out('no stats available\n');
        return 94;
      }
      let o = 'NIC statistics:\n';
      for (const [n, v] of r.ok) o += `     ${n}: ${v}\n`;
      out(o);
      return 0;
    }
    case '-i': {
      const r = ethtool_get_drvinfo(net, name);
      if (failed(r)) {
        err(`Cannot get driver information: ${strerror(r.err)}\n`);
        return 71;
      }
      const d = r.ok;
      const yn = (n: number): string => (n ? 'yes' : 'no');
      out(
        `driver: ${d.driver}\nversion: ${d.version}\nfirmware-version: ${d.fw_version}\nexpansion-rom-version: ${d.erom_version}\nbus-info: ${d.bus_info}\n` +
          `supports-statistics: ${yn(d.n_stats)}\nsupports-test: ${yn(d.testinfo_len)}\nsupports-eeprom-access: ${yn(d.eedump_len)}\n` +
          `supports-register-dump: ${yn(d.regdump_len)}\nsupports-priv-flags: ${yn(d.n_priv_flags)}\n`,
      );
      return 0;
    }
  }
  return bad();
}

function strerror(err: number): string {
  return err === -ENODEV
    ? 'No such device'
    : err === -EOPNOTSUPP
      ? 'Operation not supported'
      : err === -EINVAL
        ? 'Invalid argument'
        : `Unknown error ${-err}`;
}

/** The WAKE_* letters ethtool names. */
const WOL_NAMES: Record<string, string> = { p: 'p', u: 'u', m: 'm', b: 'b', a: 'a', g: 'g', s: 's', f: 'f', d: 'd' };
/** NETIF_MSG_* bits as ethtool names them (drv probe link ...). */
const MSG_NAMES = [
  'drv',
  'probe',
  'link',
  'timer',
  'ifdown',
  'ifup',
  'rx_err',
  'tx_err',
  'tx_queued',
  'intr',
  'tx_done',
  'rx_status',
  'pktdata',
  'hw',
  'wol',
];

/** `ethtool DEV`: what dump_link_settings, the WOL and debug replies print. */
function linkSettings(
  name: string,
  ks: EthtoolLinkKsettings | null,
  link: boolean,
  wol: EthtoolWolinfo | null,
  msglvl: number | null,
): string {
  let s = `Settings for ${name}:\n`;
  if (ks) {
    const modes = (m: readonly string[]): string => {
      if (!m.length) return 'Not reported';
      // ethtool puts two modes of a speed per line, the rest on lines of their own
      const lines: string[] = [];
      for (const x of m) {
        const last = lines[lines.length - 1];
        if (last !== undefined && last.split('/')[0] === x.split('/')[0] && !last.includes(' ')) lines[lines.length - 1] = `${last} ${x}`;
        else lines.push(x);
      }
      return lines.join('\n\t                        ');
    };
    s += `\tSupported ports: [ ${ks.supportedPorts.length ? ks.supportedPorts.map((p) => `${p} `).join('') : ' '}]\n\tSupported link modes:   ${modes(ks.supported)}\n\tSupported pause frame use: No\n`;
    s += `\tSupports auto-negotiation: ${ks.supportsAutoneg ? 'Yes' : 'No'}\n\tSupported FEC modes: Not reported\n`;
    s += `\tAdvertised link modes:  ${modes(ks.advertising)}\n\tAdvertised pause frame use: No\n\tAdvertised auto-negotiation: ${ks.supportsAutoneg ? 'Yes' : 'No'}\n\tAdvertised FEC modes: Not reported\n`;
    s += ks.speed < 0 ? '\tSpeed: Unknown!\n' : `\tSpeed: ${ks.speed}Mb/s\n`;
    s += ks.duplex === 1 ? '\tDuplex: Full\n' : ks.duplex === 0 ? '\tDuplex: Half\n' : `\tDuplex: Unknown! (${ks.duplex})\n`;
    s += `\tAuto-negotiation: ${ks.autoneg ? 'on' : 'off'}\n\tPort: Twisted Pair\n\tPHYAD: ${ks.phy_address}\n\tTransceiver: internal\n`;
    const mdix = ks.eth_tp_mdix === 1 ? 'off' : ks.eth_tp_mdix === 2 ? 'on' : 'Unknown';
    s += `\tMDI-X: ${mdix}${ks.eth_tp_mdix_ctrl === 3 ? ' (auto)' : ''}\n`;
  }
  if (wol) s += `\tSupports Wake-on: ${[...wol.supported].map((c) => WOL_NAMES[c] ?? '').join('')}\n\tWake-on: ${wol.wolopts}\n`;
  if (msglvl !== null) {
    const hex = msglvl.toString(16).padStart(8, '0');
    s += `        Current message level: 0x${hex} (${msglvl})\n                               ${MSG_NAMES.filter((_, i) => msglvl & (1 << i)).join(' ')}\n`;
  }
  return `${s}\tLink detected: ${link ? 'yes' : 'no'}\n`;
}

export function registerEthtool(commands: Map<string, Command>): void {
  commands.set('ethtool', ethtool);
}
