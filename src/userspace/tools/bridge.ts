// iproute2's `bridge` (6.1): `bridge fdb show|add|del` and `bridge link show`,
// with the kernel's side (rtnl_fdb_dump, br_fdb_dump, ndo_dflt_fdb_dump,
// br_fdb_add/br_fdb_delete, br_getlink) answered from the model.
import { formatMac, parseMac } from '../../wire/ethernet.ts';
import { br_fdb_find } from '../../kernel/bridge/br_fdb.ts';
import { br_set_port_state } from '../../kernel/bridge/br_device.ts';
import {
  BR_BCAST_FLOOD,
  BR_BPDU_GUARD,
  BR_FLOOD,
  BR_HAIRPIN_MODE,
  BR_ISOLATED,
  BR_LEARNING,
  BR_MCAST_FLOOD,
  BR_MULTICAST_FAST_LEAVE,
  BR_MULTICAST_TO_UNICAST,
  BR_NEIGH_SUPPRESS,
  BR_ROOT_BLOCK,
  BR_STATE_NAMES,
  BR_VLAN_TUNNEL,
  br_port_get,
  netdev_priv_br,
  type FdbEntry,
  type NetBridge,
} from '../../kernel/bridge/br_private.ts';
import { ARPHRD_ETHER, IFF_UP, type NetDevice } from '../../kernel/core/netdevice.ts';
import type { Net } from '../../kernel/net_namespace.ts';
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';
import { devGetFlags, linkFlags } from './ip/show.ts';

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

/** Addresses a device added to its unicast list with `bridge fdb add … self` (dev->uc). */
const ucLists = new WeakMap<NetDevice, string[]>();

/** The device's multicast list (dev->mc), in the order the stack added to it. */
function mcList(dev: NetDevice): string[] {
  if (dev.type !== ARPHRD_ETHER) return [];
  // addrconf joins ff02::1 at registration even with disable_ipv6
  const l = ['33:33:00:00:00:01'];
  const up = (dev.flags & IFF_UP) !== 0;
  const br = netdev_priv_br(dev);
  if (up && br?.mcastSnooping) l.push('01:00:5e:00:00:6a', '33:33:00:00:00:6a');
  if (up) l.push('01:00:5e:00:00:01');
  return l;
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

  dev(name: string): NetDevice {
    const d = this.net.devByName.get(name);
    if (!d) this.fail(`Cannot find device "${name}"`, 255);
    return d;
  }

  /** fdb_to_nud() as fdb_state_n2a prints it. */
  fdbState(br: NetBridge, f: FdbEntry): string {
    if (f.isLocal) return 'permanent';
    if (f.isStatic) return 'static';
    const k = this.net.kernel;
    const hold = br.topologyChange ? br.forwardDelay : br.ageingTime;
    if (((f.updated + hold - k.jiffies()) | 0) <= 0) return 'stale';
    return '';
  }

  fdbLine(br: NetBridge, f: FdbEntry, dev: NetDevice, filterDev: NetDevice | null): string {
    let s = `${formatMac(f.addr)} `;
    if (!filterDev) s += `dev ${dev.name} `;
    if (f.vid) s += `vlan ${f.vid} `;
    if (this.opts.stats) {
      const k = this.net.kernel;
      const toSec = (j: number): number => Math.floor(Math.floor((((k.jiffies() - j) >>> 0) * 100) / k.HZ) / 100);
      s += `used ${toSec(f.used)}/${toSec(f.updated)} `;
    }
    s += `master ${br.dev.name} `;
    return s + this.fdbState(br, f);
  }

  selfLines(dev: NetDevice, filterDev: NetDevice | null): void {
    for (const a of [...(ucLists.get(dev) ?? []), ...mcList(dev)]) {
      this.out(`${a} ${filterDev ? '' : `dev ${dev.name} `}self permanent\n`);
    }
  }

  /** br_fdb_dump(): the fdb list, newest first. */
  brFdbDump(br: NetBridge, filterDev: NetDevice | null, shownDev: NetDevice | null): void {
    const entries = [...br.fdb.values()].reverse();
    for (const f of entries) {
      if (filterDev) {
        if (f.dst?.dev !== filterDev) continue;
      } else if (f.dst) continue;
      this.out(`${this.fdbLine(br, f, f.dst ? f.dst.dev : br.dev, shownDev)}\n`);
    }
  }

  /** rtnl_fdb_dump() */
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
    const brDev = brName !== null ? this.dev(brName) : null;
    const only = devName !== null ? this.dev(devName) : null;
    for (const dev of this.net.devices) {
      if (only && dev !== only) continue;
      if (brDev) {
        const isPort = br_port_get(dev) !== null;
        if (dev !== brDev && !isPort) continue;
        if (dev.master !== brDev && !netdev_priv_br(dev)) continue;
      }
      const port = br_port_get(dev);
      if (port && (!brDev || port.br.dev === brDev)) this.brFdbDump(port.br, dev, only);
      const br = netdev_priv_br(dev);
      if (dev.type !== ARPHRD_ETHER) continue;
      this.selfLines(dev, only);
      if (br) this.brFdbDump(br, null, only);
    }
    return 0;
  }

  /** br_fdb_add() / br_fdb_delete(), or the device's own list with `self`. */
  fdbModify(cmd: 'add' | 'del', argv: readonly string[]): number {
    let addr: Uint8Array | null = null;
    let devName: string | null = null;
    let master = false;
    let self = false;
    let state: 'permanent' | 'static' | 'dynamic' = 'permanent';
    let vid = 0;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string;
      const next = (): string => {
        const v = argv[++i];
        if (v === undefined) this.fail('Command line is not complete. Try option "help"', 255);
        return v;
      };
      if (a === 'dev') devName = next();
      else if (a === 'master') master = true;
      else if (a === 'self') self = true;
      else if (a === 'local' || a === 'permanent') state = 'permanent';
      else if (a === 'static') state = 'static';
      else if (a === 'dynamic') state = 'dynamic';
      else if (a === 'vlan') vid = Number(next());
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
    const dev = this.dev(devName);
    if (!master && !self) self = true;
    if (vid) this.fail('RTNETLINK answers: Operation not supported', 255);
    if (master) {
      const p = br_port_get(dev);
      const br = p ? p.br : netdev_priv_br(dev);
      if (!br) this.fail('RTNETLINK answers: Operation not supported', 255);
      const old = br_fdb_find(br, addr, 0);
      if (cmd === 'del') {
        if (!old || (p && old.dst !== p)) this.fail('RTNETLINK answers: No such file or directory', 255);
        if (old.isLocal && !old.addedByUser) this.fail('RTNETLINK answers: No such file or directory', 255);
        br.fdb.delete(old.key);
        return 0;
      }
      if (old && (old.isLocal || old.addedByUser)) this.fail('RTNETLINK answers: File exists', 255);
      if (old) br.fdb.delete(old.key);
      const now = this.net.kernel.jiffies();
      const e: FdbEntry = {
        addr,
        key: old?.key ?? [...addr].map((x) => x.toString(16).padStart(2, '0')).join('') + '/0',
        dst: p,
        vid: 0,
        // NUD_PERMANENT makes a local entry: frames to it go up the bridge
        isLocal: state === 'permanent',
        isStatic: state !== 'dynamic',
        addedByUser: true,
        updated: now,
        used: now,
      };
      br.fdb.set(e.key, e);
    }
    if (self && !master) {
      const l = ucLists.get(dev) ?? [];
      const m = formatMac(addr);
      if (cmd === 'add') {
        if (l.includes(m)) this.fail('RTNETLINK answers: File exists', 255);
        l.push(m);
        ucLists.set(dev, l);
      } else {
        const i = l.indexOf(m);
        if (i < 0) this.fail('RTNETLINK answers: No such file or directory', 255);
        l.splice(i, 1);
      }
    }
    return 0;
  }

  /** br_setlink() → br_setport(): `bridge link set dev DEV …`. */
  linkSet(argv: readonly string[]): number {
    let devName: string | null = null;
    const flags: [number, boolean][] = [];
    let cost: number | null = null;
    let prio: number | null = null;
    let state: number | null = null;
    const FLAGS: Record<string, number> = {
      guard: BR_BPDU_GUARD,
      hairpin: BR_HAIRPIN_MODE,
      fastleave: BR_MULTICAST_FAST_LEAVE,
      root_block: BR_ROOT_BLOCK,
      learning: BR_LEARNING,
      flood: BR_FLOOD,
      mcast_flood: BR_MCAST_FLOOD,
      bcast_flood: BR_BCAST_FLOOD,
      mcast_to_unicast: BR_MULTICAST_TO_UNICAST,
      neigh_suppress: BR_NEIGH_SUPPRESS,
      vlan_tunnel: BR_VLAN_TUNNEL,
      isolated: BR_ISOLATED,
    };
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i] as string;
      const next = (): string => {
        const v = argv[++i];
        if (v === undefined) this.fail('Command line is not complete. Try option "help"', 255);
        return v;
      };
      const bit = FLAGS[a];
      if (a === 'dev') devName = next();
      else if (bit !== undefined) {
        const v = next();
        if (v !== 'on' && v !== 'off') this.fail(`Error: argument of "${a}" must be one of "off", "on", not "${v}"`, 234);
        flags.push([bit, v === 'on']);
      } else if (a === 'cost') cost = Number(next());
      else if (a === 'priority') prio = Number(next());
      else if (a === 'state') {
        const v = next();
        const byName = (BR_STATE_NAMES as readonly string[]).indexOf(v);
        state = byName >= 0 ? byName : Number.parseInt(v, 10);
        if (Number.isNaN(state)) this.fail(`Error: invalid state "${v}"`, 255);
      } else if (a === 'master' || a === 'self') continue;
      else {
        this.flush();
        this.ctx.stderr.write(LINK_USAGE);
        throw new BridgeExit(255);
      }
    }
    if (devName === null) this.fail('Device is a required argument.', 255);
    const dev = this.net.devByName.get(devName);
    if (!dev) this.fail(`Cannot find bridge device "${devName}"`, 255);
    const p = br_port_get(dev);
    if (!p) this.fail('RTNETLINK answers: Operation not supported', 255);
    for (const [bit, on] of flags) p.flags = on ? p.flags | bit : p.flags & ~bit;
    if (cost !== null) {
      if (cost < 1 || cost > 65535) this.fail('RTNETLINK answers: Invalid argument', 255);
      p.pathCost = cost;
    }
    if (prio !== null) {
      if (prio > 63) this.fail('RTNETLINK answers: Numerical result out of range', 255);
      p.priority = prio;
    }
    if (state !== null) {
      const err = br_set_port_state(p, state);
      if (err) this.fail(`RTNETLINK answers: ${err === 22 ? 'Invalid argument' : 'Network is down'}`, 255);
    }
    return 0;
  }

  /** br_getlink() for each port, as print_linkinfo() in bridge/link.c shows it. */
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
    const only = devName !== null ? this.dev(devName) : null;
    for (const dev of this.net.devices) {
      if (only && dev !== only) continue;
      const p = br_port_get(dev);
      if (!p) continue;
      // IFLA_LINK without its netns id: the peer's ifindex named in this namespace
      let name = dev.name;
      let mdown = false;
      if (dev.peer) {
        const idx = dev.peer.ifindex;
        const local = this.net.devByIndex.get(idx);
        name += local ? `@${local.name}` : `@if${idx}`;
        mdown = local !== undefined && !(local.flags & IFF_UP);
      }
      let s = `${dev.ifindex}: ${name}: ${linkFlags(devGetFlags(dev), mdown)}mtu ${dev.mtu} master ${p.br.dev.name} `;
      s += `state ${BR_STATE_NAMES[p.state] ?? p.state} priority ${p.priority} cost ${p.pathCost} `;
      this.out(`${s}\n`);
      if (this.opts.details) {
        const f = p.flags;
        const o = (bit: number): string => ((f & bit) !== 0 ? 'on' : 'off');
        let d = `    hairpin ${o(BR_HAIRPIN_MODE)} guard ${o(BR_BPDU_GUARD)} root_block ${o(BR_ROOT_BLOCK)} fastleave ${o(BR_MULTICAST_FAST_LEAVE)} `;
        d += `learning ${o(BR_LEARNING)} flood ${o(BR_FLOOD)} mcast_flood ${o(BR_MCAST_FLOOD)} bcast_flood ${o(BR_BCAST_FLOOD)} mcast_router 1 `;
        d += `mcast_to_unicast ${o(BR_MULTICAST_TO_UNICAST)} neigh_suppress ${o(BR_NEIGH_SUPPRESS)} vlan_tunnel ${o(BR_VLAN_TUNNEL)} isolated ${o(BR_ISOLATED)} locked off \n`;
        this.out(d);
      }
    }
    return 0;
  }
}

function doFdb(b: Bridge, argv: readonly string[]): number {
  const sub = argv[0];
  if (sub === undefined) return b.fdbShow([]);
  const rest = argv.slice(1);
  if (matches(sub, 'add') || matches(sub, 'append') || matches(sub, 'replace')) return b.fdbModify('add', rest);
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
          ctx.stderr.write(v === undefined ? 'Command line is not complete. Try option "help"\n' : `Cannot open network namespace "${v}": No such file or directory\n`);
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
