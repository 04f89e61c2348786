// iproute2's `bridge` (6.1): `bridge fdb show|add|del` and `bridge link
// show|set`, a client of rtnetlink (AF_BRIDGE RTM_*NEIGH and RTM_GETLINK/SETLINK).
import { formatMac, parseMac } from '../../wire/ethernet.ts';
import {
  AF_BRIDGE,
  type FdbMsg,
  IFF_UP,
  type IflaBrportAttrs,
  ifinfomsg,
  type LinkMsg,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NTF_MASTER,
  NTF_SELF,
  NUD_NOARP,
  NUD_PERMANENT,
  NUD_REACHABLE,
  NUD_STALE,
  RTM_DELNEIGH,
  RTM_GETLINK,
  RTM_GETNEIGH,
  RTM_NEWNEIGH,
  RTM_SETLINK,
  rtnl_talk,
} from '../../kernel/uapi/rtnetlink.ts';
import type { Net } from '../../kernel/net_namespace.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { getAddrIpv4, rtnlGetLink, strerror } from './ip/common.ts';
import { ipv4ToString } from '../../wire/ipv4.ts';
import { BR_STATE_NAMES } from './ip/link_bridge.ts';
import { linkFlags } from './ip/show.ts';

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -c[ompressvlans] -color -p[retty] -j[son] }
`;

const FDB_USAGE = `Usage: bridge fdb { add | append | del | replace } ADDR dev DEV
              [ self ] [ master ] [ use ] [ router ] [ extern_learn ]
              [ sticky ] [ local | static | dynamic ] [ vlan VID ]
              { [ dst IPADDR ] [ port PORT] [ vni VNI ] | [ nhid NHID ] }
	      [ via DEV ] [ src_vni VNI ]
       bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ]
              [ state STATE ] [ dynamic ] ]
       bridge fdb get [ to ] LLADDR [ br BRDEV ] { brport | dev } DEV
              [ vlan VID ] [ vni VNI ] [ self ] [ master ] [ dynamic ]
       bridge fdb flush dev DEV [ brport DEV ] [ vlan VID ]
              [ self ] [ master ] [ [no]permanent | [no]static | [no]dynamic ]
              [ [no]added_by_user ] [ [no]extern_learn ] [ [no]sticky ]
              [ [no]offloaded ]
`;

const LINK_USAGE = `Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]
                               [ guard {on | off} ]
                               [ hairpin {on | off} ]
                               [ fastleave {on | off} ]
                               [ root_block {on | off} ]
                               [ learning {on | off} ]
                               [ learning_sync {on | off} ]
                               [ flood {on | off} ]
                               [ mcast_router MULTICAST_ROUTER ]
                               [ mcast_flood {on | off} ]
                               [ bcast_flood {on | off} ]
                               [ mcast_to_unicast {on | off} ]
                               [ neigh_suppress {on | off} ]
                               [ vlan_tunnel {on | off} ]
                               [ isolated {on | off} ]
                               [ locked {on | off} ]
                               [ hwmode {vepa | veb} ]
                               [ backup_port DEVICE ] [ nobackup_port ]
                               [ self ] [ master ]
       bridge link show [dev DEV]
`;

class BridgeExit {
  constructor(readonly code: number) {}
}

interface Opts {
  stats: boolean;
  details: boolean;
}

function matches(prefix: string, word: string): boolean {
  return prefix.length > 0 && word.startsWith(prefix);
}

class Bridge {
  private outBuf = '';

  constructor(
    readonly ctx: ProcCtx,
    readonly net: Net,
    readonly opts: Opts,
  ) {}

  out(s: string): void {
    this.outBuf += s;
  }

  flush(): void {
    if (this.outBuf) this.ctx.stdout.write(this.outBuf);
    this.outBuf = '';
  }

  fail(msg: string, code = 255): never {
    this.flush();
    this.ctx.stderr.write(`${msg}\n`);
    throw new BridgeExit(code);
  }

  /** ll_name_to_index(): the device's ifindex, or the message and exit. */
  dev(name: string): number {
    const m = rtnlGetLink(this.net, { name });
    if (!m) this.fail(`Cannot find device "${name}"`, 255);
    return m.ifi.ifi_index;
  }

  name(ifindex: number): string {
    return rtnlGetLink(this.net, { index: ifindex })?.attrs.IFLA_IFNAME ?? `if${ifindex}`;
  }

  /** The kernel's refusal, as libnetlink prints it. */
  rtnlFail(errno: number, extack: string | null): never {
    if (extack !== null) this.fail(`Error: ${extack.endsWith('.') ? extack : `${extack}.`}`, 255);
    return this.fail(`RTNETLINK answers: ${strerror(errno)}`, 255);
  }

  /** print_fdb() */
  fdbLine(m: FdbMsg, filterIndex: number): string {
    const a = m.attrs;
    let s = `${formatMac(a.NDA_LLADDR ?? new Uint8Array(6))} `;
    if (!filterIndex && m.ndm.ndm_ifindex) s += `dev ${this.name(m.ndm.ndm_ifindex)} `;
    if (a.NDA_DST !== undefined) s += `dst ${ipv4ToString(a.NDA_DST)} `;
    if (a.NDA_VLAN) s += `vlan ${a.NDA_VLAN} `;
    if (a.NDA_PORT !== undefined) s += `port ${a.NDA_PORT} `;
    if (a.NDA_VNI !== undefined) s += `vni ${a.NDA_VNI} `;
    if (a.NDA_SRC_VNI !== undefined) s += `src_vni ${a.NDA_SRC_VNI} `;
    if (a.NDA_IFINDEX !== undefined)
      s += a.NDA_LINK_NETNSID !== undefined ? `via ifindex ${a.NDA_IFINDEX} ` : `via ${this.name(a.NDA_IFINDEX)} `;
    if (a.NDA_LINK_NETNSID !== undefined) s += `link-netnsid ${a.NDA_LINK_NETNSID} `;
    if (this.opts.stats && a.NDA_CACHEINFO) {
      const ci = a.NDA_CACHEINFO;
      s += `used ${Math.floor(ci.ndm_used / 100)}/${Math.floor(ci.ndm_updated / 100)} `;
    }
    if (m.ndm.ndm_flags & NTF_SELF) s += 'self ';
    if (a.NDA_MASTER) s += `master ${this.name(a.NDA_MASTER)} `;
    return s + stateName(m.ndm.ndm_state);
  }

  /** fdb_show(): RTM_GETNEIGH dump of AF_BRIDGE, with the bridge (NDA_MASTER) and port (ndm_ifindex) filters. */
  fdbShow(argv: readonly string[]): number {
    let brName: string | null = null;
    let devName: string | null = null;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string;
      const next = (): string => {
        const v = argv[++i];
        if (v === undefined) this.fail('Command line is not complete. Try option "help"', 255);
        return v;
      };
      if (a === 'dev' || a === 'brport') devName = next();
      else if (a === 'br') brName = next();
      else if (matches(a, 'help')) {
        this.ctx.stderr.write(FDB_USAGE);
        throw new BridgeExit(255);
      } else devName = a;
    }
    const brIndex = brName !== null ? this.dev(brName) : 0;
    const filterIndex = devName !== null ? this.dev(devName) : 0;
    const req: FdbMsg = {
      nlmsg_type: RTM_GETNEIGH,
      nlmsg_flags: NLM_F_DUMP,
      ndm: { ndm_family: AF_BRIDGE, ndm_ifindex: filterIndex, ndm_state: 0, ndm_flags: 0, ndm_type: 0 },
      attrs: {},
    };
    if (brIndex) req.attrs.NDA_MASTER = brIndex;
    const r = rtnl_talk(this.net, req);
    if (r.error) this.rtnlFail(-r.error, r.extack);
    for (const m of r.msgs) this.out(`${this.fdbLine(m, filterIndex)}\n`);
    return 0;
  }

  /** fdb_modify(): RTM_NEWNEIGH/DELNEIGH of AF_BRIDGE (NTF_SELF unless master is asked for). */
  fdbModify(cmd: 'add' | 'append' | 'replace' | 'del', argv: readonly string[]): number {
    let addr: Uint8Array | null = null;
    let devName: string | null = null;
    let flags = 0;
    let state = NUD_NOARP;
    let vid = 0;
    let dst: number | null = null;
    let port = 0;
    let vni = -1;
    let via = 0;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string;
      const next = (): string => {
        const v = argv[++i];
        if (v === undefined) this.fail('Command line is not complete. Try option "help"', 255);
        return v;
      };
      if (a === 'dev') devName = next();
      else if (a === 'dst') {
        const v = next();
        if (dst !== null) this.fail(`Error: either "dst" is duplicate, or "${v}" is a garbage.`, 255);
        dst = getAddrIpv4(v);
        if (dst === null) this.fail(`Error: any valid address is expected rather than "${v}".`, 1);
      } else if (a === 'port') {
        const v = next();
        const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
        if (!(n <= 0xffff)) this.fail(`Error: argument "${v}" is wrong: invalid port\n`, 255);
        port = n;
      } else if (a === 'vni') {
        const v = next();
        const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
        if (!(n < 1 << 24)) this.fail(`Error: argument "${v}" is wrong: invalid VNI\n`, 255);
        vni = n;
      } else if (a === 'via') {
        const v = next();
        const m = rtnlGetLink(this.net, { name: v });
        if (!m) this.fail(`Cannot find device "${v}"`, 255);
        via = m.ifi.ifi_index;
      } else if (a === 'master') flags |= NTF_MASTER;
      else if (a === 'self') flags |= NTF_SELF;
      else if (a === 'local' || a === 'permanent') state |= NUD_PERMANENT;
      else if (a === 'static' || a === 'temp') state |= NUD_REACHABLE;
      else if (a === 'dynamic') {
        state |= NUD_REACHABLE;
        state &= ~NUD_NOARP;
      } else if (a === 'vlan') vid = Number(next());
      else if (a === 'use' || a === 'router' || a === 'extern_learn' || a === 'sticky') continue;
      else if (addr === null) {
        addr = parseMac(a);
        if (!addr) this.fail(`Invalid mac address ${a}`, 255);
      } else if (matches(a, 'help')) {
        this.ctx.stderr.write(FDB_USAGE);
        throw new BridgeExit(255);
      } else this.fail(`Error: either "dev" is duplicate, or "${a}" is a garbage.`, 255);
    }
    if (addr === null || devName === null) this.fail('Device and address are required arguments.', 255);
    // assume permanent, assume self
    if (!(state & (NUD_PERMANENT | NUD_REACHABLE))) state |= NUD_PERMANENT;
    if (!(flags & (NTF_SELF | NTF_MASTER))) flags |= NTF_SELF;
    const ifindex = this.dev(devName);
    const nlFlags =
      cmd === 'add'
        ? NLM_F_CREATE | NLM_F_EXCL
        : cmd === 'append'
          ? NLM_F_CREATE | NLM_F_APPEND
          : cmd === 'replace'
            ? NLM_F_CREATE | NLM_F_REPLACE
            : 0;
    const req: FdbMsg = {
      nlmsg_type: cmd === 'del' ? RTM_DELNEIGH : RTM_NEWNEIGH,
      nlmsg_flags: nlFlags,
      ndm: { ndm_family: AF_BRIDGE, ndm_ifindex: ifindex, ndm_state: state, ndm_flags: flags, ndm_type: 0 },
      attrs: { NDA_LLADDR: addr },
    };
    if (dst !== null) req.attrs.NDA_DST = dst;
    if (vid) req.attrs.NDA_VLAN = vid;
    if (port) req.attrs.NDA_PORT = port;
    if (vni >= 0) req.attrs.NDA_VNI = vni;
    if (via) req.attrs.NDA_IFINDEX = via;
    const r = rtnl_talk(this.net, req);
    if (r.error) this.rtnlFail(-r.error, r.extack);
    return 0;
  }

  /** brlink_modify(): RTM_SETLINK of AF_BRIDGE with the port's IFLA_PROTINFO. */
  linkSet(argv: readonly string[]): number {
    let devName: string | null = null;
    const tb: IflaBrportAttrs = {};
    const FLAGS: Record<string, keyof IflaBrportAttrs> = {
      guard: 'IFLA_BRPORT_GUARD',
      hairpin: 'IFLA_BRPORT_MODE',
      fastleave: 'IFLA_BRPORT_FAST_LEAVE',
      root_block: 'IFLA_BRPORT_PROTECT',
      learning: 'IFLA_BRPORT_LEARNING',
      flood: 'IFLA_BRPORT_UNICAST_FLOOD',
      mcast_flood: 'IFLA_BRPORT_MCAST_FLOOD',
      bcast_flood: 'IFLA_BRPORT_BCAST_FLOOD',
      mcast_to_unicast: 'IFLA_BRPORT_MCAST_TO_UCAST',
      neigh_suppress: 'IFLA_BRPORT_NEIGH_SUPPRESS',
      vlan_tunnel: 'IFLA_BRPORT_VLAN_TUNNEL',
      isolated: 'IFLA_BRPORT_ISOLATED',
    };
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string;
      const next = (): string => {
        const v = argv[++i];
        if (v === undefined) this.fail('Command line is not complete. Try option "help"', 255);
        return v;
      };
      const attr = FLAGS[a];
      if (a === 'dev') devName = next();
      else if (attr !== undefined) {
        const v = next();
        if (v !== 'on' && v !== 'off') this.fail(`Error: argument of "${a}" must be one of "off", "on", not "${v}"`, 234);
        (tb as Record<string, number>)[attr] = v === 'on' ? 1 : 0;
      } else if (a === 'cost') tb.IFLA_BRPORT_COST = Number(next());
      else if (a === 'priority') tb.IFLA_BRPORT_PRIORITY = Number(next());
      else if (a === 'state') {
        const v = next();
        const byName = (BR_STATE_NAMES as readonly string[]).indexOf(v);
        const state = byName >= 0 ? byName : Number.parseInt(v, 10);
        if (Number.isNaN(state)) this.fail(`Error: invalid state "${v}"`, 255);
        tb.IFLA_BRPORT_STATE = state;
      } else if (a === 'master' || a === 'self') continue;
      else {
        this.flush();
        this.ctx.stderr.write(LINK_USAGE);
        throw new BridgeExit(255);
      }
    }
    if (devName === null) this.fail('Device is a required argument.', 255);
    const dev = rtnlGetLink(this.net, { name: devName });
    if (!dev) this.fail(`Cannot find bridge device "${devName}"`, 255);
    const req: LinkMsg = {
      nlmsg_type: RTM_SETLINK,
      nlmsg_flags: 0,
      ifi: ifinfomsg(AF_BRIDGE, dev.ifi.ifi_index),
      attrs: { IFLA_PROTINFO: tb },
    };
    const r = rtnl_talk(this.net, req);
    if (r.error) this.rtnlFail(-r.error, r.extack);
    return 0;
  }

  /** RTM_GETLINK dump of AF_BRIDGE (br_getlink for each port), as print_linkinfo() in bridge/link.c shows it. */
  linkShow(argv: readonly string[]): number {
    let devName: string | null = null;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string;
      if (a === 'dev') {
        const v = argv[++i];
        if (v === undefined) this.fail('Command line is not complete. Try option "help"', 255);
        devName = v;
      } else if (matches(a, 'help')) {
        this.ctx.stderr.write(LINK_USAGE);
        throw new BridgeExit(255);
      } else devName = a;
    }
    const only = devName !== null ? this.dev(devName) : 0;
    const r = rtnl_talk(this.net, { nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_DUMP, ifi: ifinfomsg(AF_BRIDGE), attrs: {} });
    for (const m of r.msgs) {
      if (only && m.ifi.ifi_index !== only) continue;
      const a = m.attrs;
      const p = a.IFLA_PROTINFO ?? {};
      // IFLA_LINK without its netns id: the peer's ifindex named in this namespace
      let name = a.IFLA_IFNAME ?? '';
      let mdown = false;
      if (a.IFLA_LINK !== undefined) {
        const local = rtnlGetLink(this.net, { index: a.IFLA_LINK });
        name += local ? `@${local.attrs.IFLA_IFNAME}` : `@if${a.IFLA_LINK}`;
        mdown = local !== null && !(local.ifi.ifi_flags & IFF_UP);
      }
      const state = p.IFLA_BRPORT_STATE ?? 0;
      let s = `${m.ifi.ifi_index}: ${name}: ${linkFlags(m.ifi.ifi_flags, mdown)}mtu ${a.IFLA_MTU} master ${this.name(a.IFLA_MASTER ?? 0)} `;
      s += `state ${BR_STATE_NAMES[state] ?? state} priority ${p.IFLA_BRPORT_PRIORITY} cost ${p.IFLA_BRPORT_COST} `;
      this.out(`${s}\n`);
      if (this.opts.details) {
        const o = (v: number | undefined): string => (v ? 'on' : 'off');
        let d = `    hairpin ${o(p.IFLA_BRPORT_MODE)} guard ${o(p.IFLA_BRPORT_GUARD)} root_block ${o(p.IFLA_BRPORT_PROTECT)} fastleave ${o(p.IFLA_BRPORT_FAST_LEAVE)} `;
        d += `learning ${o(p.IFLA_BRPORT_LEARNING)} flood ${o(p.IFLA_BRPORT_UNICAST_FLOOD)} mcast_flood ${o(p.IFLA_BRPORT_MCAST_FLOOD)} bcast_flood ${o(p.IFLA_BRPORT_BCAST_FLOOD)} mcast_router ${p.IFLA_BRPORT_MULTICAST_ROUTER} `;
        d += `mcast_to_unicast ${o(p.IFLA_BRPORT_MCAST_TO_UCAST)} neigh_suppress ${o(p.IFLA_BRPORT_NEIGH_SUPPRESS)} vlan_tunnel ${o(p.IFLA_BRPORT_VLAN_TUNNEL)} isolated ${o(p.IFLA_BRPORT_ISOLATED)} locked ${o(p.IFLA_BRPORT_LOCKED)} \n`;
        this.out(d);
      }
    }
    return 0;
  }
}

/** state_n2a() of bridge/fdb.c */
function stateName(s: number): string {
  if (s & NUD_PERMANENT) return 'permanent';
  if (s & NUD_NOARP) return 'static';
  if (s & NUD_STALE) return 'stale';
  if (s & NUD_REACHABLE) return '';
  return `state ${s ? `0x${s.toString(16)}` : '0'}`;
}

function doFdb(b: Bridge, argv: readonly string[]): number {
  const sub = argv[0];
  if (sub === undefined) return b.fdbShow([]);
  const rest = argv.slice(1);
  if (matches(sub, 'add')) return b.fdbModify('add', rest);
  if (matches(sub, 'append')) return b.fdbModify('append', rest);
  if (matches(sub, 'replace')) return b.fdbModify('replace', rest);
  if (matches(sub, 'delete')) return b.fdbModify('del', rest);
  if (matches(sub, 'show') || matches(sub, 'lst') || matches(sub, 'list')) return b.fdbShow(rest);
  if (matches(sub, 'help')) {
    b.ctx.stderr.write(FDB_USAGE);
    throw new BridgeExit(255);
  }
  return b.fail(`Command "${sub}" is unknown, try "bridge fdb help".`, 255);
}

function doLink(b: Bridge, argv: readonly string[]): number {
  const sub = argv[0];
  if (sub === undefined) return b.linkShow([]);
  const rest = argv.slice(1);
  if (matches(sub, 'show') || matches(sub, 'lst') || matches(sub, 'list')) return b.linkShow(rest);
  if (matches(sub, 'set') || matches(sub, 'change')) return b.linkSet(rest);
  if (matches(sub, 'help')) {
    b.ctx.stderr.write(LINK_USAGE);
    throw new BridgeExit(255);
  }
  return b.fail(`Command "${sub}" is unknown, try "bridge link help".`, 255);
}

function* bridgeCommand(ctx: ProcCtx): Proc {
  const opts: Opts = { stats: false, details: false };
  let net = ctx.net;
  const argv = ctx.argv.slice(1);
  let i = 0;
  const b0 = (): Bridge => new Bridge(ctx, net, opts);
  try {
    for (; i < argv.length; i++) {
      const a = argv[i] as string;
      if (!a.startsWith('-')) break;
      const o = a.replace(/^--?/, '-');
      if (matches(o, '-statistics') || o === '-s') opts.stats = true;
      else if (matches(o, '-details') || o === '-d') opts.details = true;
      else if (matches(o, '-netns') || o === '-n') {
        const v = argv[++i];
        const n = v === undefined ? undefined : ctx.world.netns.get(v);
        if (!n) {
          ctx.stderr.write(
            v === undefined
              ? 'Command line is not complete. Try option "help"\n'
              : `Cannot open network namespace "${v}": No such file or directory\n`,
          );
          return 255;
        }
        net = n;
      } else if (matches(o, '-Version') || o === '-V') {
        ctx.stdout.write('bridge utility, 6.1.0\n');
        return 0;
      } else if (matches(o, '-help') || o === '-h') {
        ctx.stderr.write(USAGE);
        return 255;
      } else b0().fail(`Option "${a}" is unknown, try "bridge help".`, 255);
    }
    const b = b0();
    const obj = argv[i];
    const rest = argv.slice(i + 1);
    try {
      if (obj === undefined) {
        ctx.stderr.write(USAGE);
        return 255;
      }
      if (matches(obj, 'fdb')) return doFdb(b, rest);
      if (matches(obj, 'link')) return doLink(b, rest);
      if (matches(obj, 'help')) {
        ctx.stderr.write(USAGE);
        return 255;
      }
      if (matches(obj, 'mdb') || matches(obj, 'vlan') || matches(obj, 'monitor')) {
        ctx.stderr.write(`skbpath: bridge ${obj} is not simulated\n`);
        return 1;
      }
      return b.fail(`Object "${obj}" is unknown, try "bridge help".`, 255);
    } finally {
      b.flush();
    }
  } catch (e) {
    if (e instanceof BridgeExit) return e.code;
    throw e;
  }
}

export function registerBridge(commands: Map<string, Command>): void {
  commands.set('bridge', bridgeCommand);
}
