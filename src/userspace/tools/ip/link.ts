// ip/iplink.c + ip/link_veth.c: `ip link add|set|delete|show`, and what the
// kernel's rtnl_newlink()/do_setlink()/rtnl_dellink() do with the request.
import {
  IFF_ALLMULTI,
  IFF_DEBUG,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_PROMISC,
  IFF_UP,
  type NetDevice,
} from '../../../kernel/core/netdevice.ts';
import { dev_change_net_namespace, dev_close, dev_open, dev_set_mtu, register_netdevice } from '../../../kernel/core/rtnetlink.ts';
import { veth_setup } from '../../../kernel/drivers/veth.ts';
import { br_add_if, br_del_if, br_dev_registered, br_dev_setup, br_set_mac_address, netdev_priv_br } from '../../../kernel/bridge/br_device.ts';
import { call_netdevice_notifiers } from '../../../kernel/core/rtnetlink.ts';
import type { NetBridge } from '../../../kernel/bridge/br_private.ts';
import { sleep as sleepWait, type Proc } from '../../../sim/sched.ts';
import type { Net } from '../../../kernel/net_namespace.ts';
import { AF_PACKET, Args, devByName, getInteger, Ip, IpExit, llAddrA2n, matches, validAltIfname, validIfname } from './common.ts';
import { dev_change_name, unregister_link } from '../../../kernel/core/rtnetlink.ts';
import { linkNet, peernet2idAlloc } from './nsid.ts';
import { ipaddrList, noteCarrier, noteCreated, noteMoved, noteState, setGflag } from './show.ts';
import { LINK_USAGE } from './usage.ts';

const IFF_DYNAMIC = 0x8000;

/** What iplink_parse() put in the request (one ifinfomsg and its attributes). */
interface LinkReq {
  flags: number;
  change: number;
  name: string | null;
  dev: string | null;
  address: number[] | null;
  broadcast: number[] | null;
  mtu: number | null;
  qlen: number | null;
  netns: Net | 'pid' | null;
  group: number | null;
  alias: string | null;
  master: NetDevice | 0 | null;
  index: number;
  /** the peer of a veth */
  peer: LinkReq | null;
  type: string | null;
  /** bridge_parse_opt(): IFLA_BR_* values, already in kernel units */
  br: BridgeOpts | null;
}

interface BridgeOpts {
  ageingTime?: number;
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  stpState?: number;
  priority?: number;
  vlanFiltering?: number;
  groupFwdMask?: number;
  mcastSnooping?: number;
}

function newReq(): LinkReq {
  return {
    flags: 0,
    change: 0,
    name: null,
    dev: null,
    address: null,
    broadcast: null,
    mtu: null,
    qlen: null,
    netns: null,
    group: null,
    alias: null,
    master: null,
    index: 0,
    peer: null,
    type: null,
    br: null,
  };
}

function usage(ip: Ip): never {
  ip.err(LINK_USAGE);
  throw new IpExit(255);
}

/** iplink_parse(): fills `req`; returns how many arguments it used, or -1 after an error message. */
function iplinkParse(ip: Ip, args: Args, req: LinkReq, create: boolean): number {
  let devFromName = false;
  const onOff = (what: string, v: string, bit: number, inverse = false): void => {
    req.change |= bit;
    if (v === (inverse ? 'off' : 'on')) req.flags |= bit;
    else if (v === (inverse ? 'on' : 'off')) req.flags &= ~bit;
    else ip.fail(`Error: argument of "${what}" must be "on" or "off", not "${v}"`, 1);
  };
  for (; args.more; args.skip()) {
    const a = args.cur;
    if (a === 'up') {
      req.change |= IFF_UP;
      req.flags |= IFF_UP;
    } else if (a === 'down') {
      req.change |= IFF_UP;
      req.flags &= ~IFF_UP;
    } else if (a === 'name') {
      const v = args.next();
      if (req.name !== null) ip.duparg('name', v);
      if (!validIfname(v)) ip.invarg('"name" not a valid ifname', v);
      req.name = v;
      if (req.dev === null) {
        req.dev = v;
        devFromName = true;
      }
    } else if (a === 'index') {
      const v = args.next();
      if (req.index) ip.duparg('index', v);
      const n = Number.parseInt(v, 10);
      if (!(n > 0)) ip.invarg('Invalid "index" value', v);
      req.index = n;
    } else if (matches(a, 'link')) {
      args.next();
    } else if (matches(a, 'address')) {
      const v = args.next();
      const mac = llAddrA2n(ip, v, 32);
      if (!mac) return -1;
      req.address = mac;
    } else if (matches(a, 'broadcast') || a === 'brd') {
      const v = args.next();
      const mac = llAddrA2n(ip, v, 32);
      if (!mac) return -1;
      req.broadcast = mac;
    } else if (matches(a, 'txqueuelen') || a === 'qlen' || matches(a, 'txqlen')) {
      const v = args.next();
      if (req.qlen !== null) ip.duparg('txqueuelen', v);
      const n = getInteger(v);
      if (n === null) ip.invarg('Invalid "txqueuelen" value\n', v);
      req.qlen = n;
    } else if (a === 'mtu') {
      const v = args.next();
      if (req.mtu !== null) ip.duparg('mtu', v);
      const n = getInteger(v);
      if (n === null) ip.invarg('Invalid "mtu" value\n', v);
      req.mtu = n;
    } else if (a === 'netns') {
      const v = args.next();
      if (req.netns !== null) ip.duparg('netns', v);
      const net = ip.ctx.world.netns.get(v);
      if (net) req.netns = net;
      else if (getInteger(v) !== null) req.netns = 'pid';
      else ip.invarg('Invalid "netns" value\n', v);
    } else if (a === 'multicast') {
      onOff('multicast', args.next(), IFF_MULTICAST);
    } else if (a === 'allmulticast') {
      onOff('allmulticast', args.next(), IFF_ALLMULTI);
    } else if (a === 'promisc') {
      onOff('promisc', args.next(), IFF_PROMISC);
    } else if (a === 'trailers') {
      onOff('trailers', args.next(), IFF_NOTRAILERS, true);
    } else if (a === 'arp') {
      onOff('arp', args.next(), IFF_NOARP, true);
    } else if (matches(a, 'dynamic')) {
      onOff('dynamic', args.next(), IFF_DYNAMIC);
    } else if (matches(a, 'master')) {
      const v = args.next();
      const m = devByName(ip.net, v);
      if (!m) ip.invarg('Device does not exist\n', v);
      req.master = m;
    } else if (matches(a, 'nomaster')) {
      req.master = 0;
    } else if (matches(a, 'type')) {
      req.type = args.next();
      args.skip();
      break;
    } else if (matches(a, 'alias')) {
      const v = args.next();
      if (v.length >= 256) ip.invarg('alias too long\n', v);
      req.alias = v;
    } else if (a === 'group') {
      const v = args.next();
      if (req.group !== null) ip.duparg('group', v);
      const g = v === 'default' ? 0 : getInteger(v);
      if (g === null) ip.invarg('Invalid "group" value\n', v);
      req.group = g;
    } else {
      if (matches(a, 'help')) usage(ip);
      let v = a;
      if (a === 'dev') v = args.next();
      if (req.dev !== null && !devFromName) ip.duparg2('dev', v);
      if (!validAltIfname(v)) ip.invarg('"dev" not a valid ifname', v);
      req.dev = v;
      devFromName = false;
    }
  }
  if (req.name === null) req.name = req.dev;
  else if (req.dev === null) req.dev = req.name;
  if (create && req.name !== req.dev) ip.fail('both "name" and "dev" cannot be used when creating devices.', 255);
  return 0;
}

/** rtnetlink's answer to a failed request, as `ip` prints it. */
function answer(ip: Ip, errno: number, extack: string | null = null): never {
  return ip.rtnlError(errno, extack);
}

function validMac(mac: number[]): boolean {
  return ((mac[0] as number) & 1) === 0 && mac.some((b) => b !== 0);
}

/** eth_random_addr() from the simulation's RNG. */
function randomMac(ip: Ip): number[] {
  const rng = ip.ctx.world.sim.rng;
  const a = rng.u32();
  const b = rng.u32();
  const mac = [a & 255, (a >>> 8) & 255, (a >>> 16) & 255, (a >>> 24) & 255, b & 255, (b >>> 8) & 255];
  mac[0] = ((mac[0] as number) & 0xfe) | 0x02;
  return mac;
}

/** veth_validate() */
function vethValidate(ip: Ip, r: LinkReq): void {
  if (r.address) {
    if (r.address.length !== 6) answer(ip, 22);
    if (!validMac(r.address)) answer(ip, 99);
  }
  if (r.mtu !== null && (r.mtu < 68 || r.mtu > 65535)) answer(ip, 22);
}

/** dev_alloc_name("veth%d") */
function allocName(net: Net, pattern: string): string {
  for (let i = 0; ; i++) {
    const n = pattern.replace('%d', String(i));
    if (!net.devByName.has(n)) return n;
  }
}

/** rtnl_newlink() creating a veth pair (veth_newlink()). */
function newVeth(ip: Ip, req: LinkReq): void {
  const src = ip.net;
  const destNet = typeof req.netns === 'object' && req.netns ? req.netns : src;
  const p = req.peer ?? newReq();
  if (p.netns === 'pid' || req.netns === 'pid') answer(ip, 3);
  const peerNet = typeof p.netns === 'object' && p.netns ? p.netns : src;
  vethValidate(ip, req);
  vethValidate(ip, p);
  const peerName = p.name ?? allocName(peerNet, 'veth%d');
  if (peerNet.devByName.has(peerName)) answer(ip, 17);
  if (p.index && peerNet.devByIndex.has(p.index)) answer(ip, 16);
  const peer = veth_setup(peerName);
  peer.devAddr.set(p.address ?? randomMac(ip));
  if (p.mtu !== null) peer.mtu = p.mtu;
  if (p.qlen !== null) peer.txQueueLen = p.qlen;
  if (p.group !== null) peer.group = p.group;
  if (p.alias !== null) peer.alias = p.alias;
  register_netdevice(peerNet, peer, p.index);
  noteCreated(peer);
  const devName = req.name ?? allocName(destNet, 'veth%d');
  if (destNet.devByName.has(devName) || (req.index && destNet.devByIndex.has(req.index))) {
    unregister_link(peer);
    answer(ip, destNet.devByName.has(devName) ? 17 : 16);
  }
  const dev = veth_setup(devName);
  dev.devAddr.set(req.address ?? randomMac(ip));
  if (req.mtu !== null) dev.mtu = req.mtu;
  if (req.qlen !== null) dev.txQueueLen = req.qlen;
  if (req.group !== null) dev.group = req.group;
  if (req.alias !== null) dev.alias = req.alias;
  register_netdevice(destNet, dev, req.index);
  noteCreated(dev);
  dev.peer = peer;
  peer.peer = dev;
  applyFlags(peer, p);
  applyFlags(dev, req);
  // the RTM_NEWLINK of the first device names its peer's namespace
  linkNet(dev);
}

/** The flag part of dev_change_flags(). */
function applyFlags(dev: NetDevice, r: LinkReq): void {
  const plain = (IFF_DEBUG | IFF_NOTRAILERS | IFF_NOARP | IFF_DYNAMIC | IFF_MULTICAST) & r.change;
  dev.flags = (dev.flags & ~plain) | (r.flags & plain);
  if (r.change & IFF_PROMISC) setGflag(dev, IFF_PROMISC, (r.flags & IFF_PROMISC) !== 0);
  if (r.change & IFF_ALLMULTI) setGflag(dev, IFF_ALLMULTI, (r.flags & IFF_ALLMULTI) !== 0);
  if (r.change & IFF_UP) {
    if (r.flags & IFF_UP) dev_open(dev);
    else dev_close(dev);
  }
  noteState(dev);
  if (dev.peer) noteCarrier(dev.peer);
}

/** do_setlink(), in the kernel's order. */
function setLink(ip: Ip, dev: NetDevice, req: LinkReq): void {
  let d = dev;
  if (req.netns !== null) {
    if (req.netns === 'pid') answer(ip, 3);
    const to = req.netns;
    if (to !== d.net) {
      if (d === d.net.loopbackDev) answer(ip, 22, 'The interface netns is immutable');
      const newName = req.name !== null && req.name !== d.name ? req.name : d.name;
      if (to.devByName.has(newName)) answer(ip, 17);
      peernet2idAlloc(d.net, to);
      noteMoved(d);
      const err = dev_change_net_namespace(d, to, newName);
      if (err) answer(ip, -err);
      noteCarrier(d);
      if (d.peer) noteCarrier(d.peer);
    }
  }
  if (req.address) {
    if (!validMac(req.address)) answer(ip, 99);
    const br = netdev_priv_br(d);
    if (br) br_set_mac_address(br, new Uint8Array(req.address));
    else {
      d.devAddr.set(req.address);
      call_netdevice_notifiers('CHANGEADDR', d);
    }
  }
  if (req.mtu !== null) {
    if (req.mtu < 0 || req.mtu < d.minMtu) answer(ip, 22, 'mtu less than device minimum');
    const max = d.maxMtu >= 0x7fffffff ? 0 : d.maxMtu;
    if (max > 0 && req.mtu > max) answer(ip, 22, 'mtu greater than device maximum');
    if (d.mtu !== req.mtu) {
      const err = dev_set_mtu(d, req.mtu);
      if (err) answer(ip, -err);
    }
  }
  if (req.group !== null) d.group = req.group;
  if (req.name !== null && req.name !== d.name) {
    const err = dev_change_name(d, req.name);
    if (err) answer(ip, -err);
  }
  if (req.alias !== null) d.alias = req.alias;
  if (req.broadcast) d.broadcast.set(req.broadcast.slice(0, 6));
  if (req.change) applyFlags(d, req);
  if (req.master !== null) doSetMaster(ip, d, req.master);
  if (req.br) {
    const br = netdev_priv_br(d);
    if (br) bridgeChangelink(ip, br, req.br);
  }
  if (req.qlen !== null) {
    if (req.qlen < 0) answer(ip, 22);
    d.txQueueLen = req.qlen;
  }
  d = dev;
  linkNet(d);
}

/** iplink_modify() */
function iplinkModify(ip: Ip, argv: readonly string[], cmd: 'add' | 'set' | 'del'): number {
  const create = cmd === 'add';
  const req = newReq();
  const args = new Args(ip, argv);
  if (iplinkParse(ip, args, req, create) < 0) return 1;
  let dev: NetDevice | null = null;
  if (!create) {
    if (req.dev === null) ip.fail('Not enough information: "dev" argument is required.', 255);
    dev = devByName(ip.net, req.dev);
    if (!dev) {
      ip.err(`Cannot find device "${req.dev}"\n`);
      return 1;
    }
    if (req.address && req.address.length !== 6) {
      ip.err(`Invalid address length ${req.address.length} - must be 6 bytes\n`);
      return 1;
    }
    if (req.index && req.netns === null) ip.fail('index can be used only when creating devices or when moving device to another netns.', 255);
  }
  if (req.type !== null) {
    const rest = args.rest();
    if (req.type === 'veth' && rest.length) {
      if (rest[0] !== 'peer') {
        ip.err("Usage: ip link <options> type veth [peer <options>]\nTo get <options> type 'ip link add help'\n");
        return 1;
      }
      const peer = newReq();
      const pargs = new Args(ip, rest.slice(1));
      if (iplinkParse(ip, pargs, peer, create) < 0) return 1;
      if (peer.type !== null) ip.duparg('type', rest[rest.length - 1 - pargs.left] ?? peer.type);
      req.peer = peer;
    } else if (req.type === 'bridge') {
      req.br = bridgeParseOpt(ip, rest);
    } else if (req.type !== 'veth' && rest.length) {
      if (matches(rest[0] as string, 'help')) usage(ip);
      ip.fail(`Garbage instead of arguments "${rest[0]} ...". Try "ip link help".`, 1);
    }
  } else if (create) {
    ip.err('Not enough information: "type" argument is required\n');
    return 1;
  }

  if (cmd === 'del') {
    if (!dev) return 1;
    if (dev.ops.kind !== 'veth' && dev.ops.kind !== 'bridge') answer(ip, 95);
    unregister_link(dev);
    return 0;
  }
  if (cmd === 'set') {
    if (!dev) return 1;
    if (req.type !== null && req.type !== (dev.ops.kind === 'loopback' ? '' : dev.ops.kind)) answer(ip, 95);
    setLink(ip, dev, req);
    return 0;
  }
  // create: an existing name in the requester's namespace is "File exists"
  if (req.name !== null && ip.net.devByName.has(req.name)) answer(ip, 17);
  if (req.type === 'bridge') {
    newBridge(ip, req);
    return 0;
  }
  if (req.type !== 'veth') answer(ip, 95, 'Unknown device type');
  newVeth(ip, req);
  return 0;
}

/** do_set_master(): leave the old master, then enslave to the new one (ndo_add_slave = br_add_if). */
function doSetMaster(ip: Ip, dev: NetDevice, master: NetDevice | 0): void {
  const cur = dev.master;
  if (master && cur === master) return;
  if (cur) {
    const br = netdev_priv_br(cur);
    if (br) br_del_if(br, dev);
  }
  if (!master) return;
  const br = netdev_priv_br(master);
  if (!br) answer(ip, 95);
  const err = br_add_if(br, dev);
  if (err) answer(ip, err.errno, err.extack ?? null);
}

const USER_HZ = 100;

/** explain() of ip/iplink_bridge.c */
const BRIDGE_USAGE = `Usage: ... bridge [ fdb_flush ]
		  [ forward_delay FORWARD_DELAY ]
		  [ hello_time HELLO_TIME ]
		  [ max_age MAX_AGE ]
		  [ ageing_time AGEING_TIME ]
		  [ stp_state STP_STATE ]
		  [ priority PRIORITY ]
		  [ group_fwd_mask MASK ]
		  [ group_address ADDRESS ]
		  [ no_linklocal_learn NO_LINKLOCAL_LEARN ]
		  [ vlan_filtering VLAN_FILTERING ]
		  [ vlan_protocol VLAN_PROTOCOL ]
		  [ vlan_default_pvid VLAN_DEFAULT_PVID ]
		  [ vlan_stats_enabled VLAN_STATS_ENABLED ]
		  [ vlan_stats_per_port VLAN_STATS_PER_PORT ]
		  [ mcast_snooping MULTICAST_SNOOPING ]
		  [ mcast_vlan_snooping MULTICAST_VLAN_SNOOPING ]
		  [ mcast_router MULTICAST_ROUTER ]
		  [ mcast_query_use_ifaddr MCAST_QUERY_USE_IFADDR ]
		  [ mcast_querier MULTICAST_QUERIER ]
		  [ mcast_hash_elasticity HASH_ELASTICITY ]
		  [ mcast_hash_max HASH_MAX ]
		  [ mcast_last_member_count LAST_MEMBER_COUNT ]
		  [ mcast_startup_query_count STARTUP_QUERY_COUNT ]
		  [ mcast_last_member_interval LAST_MEMBER_INTERVAL ]
		  [ mcast_membership_interval MEMBERSHIP_INTERVAL ]
		  [ mcast_querier_interval QUERIER_INTERVAL ]
		  [ mcast_query_interval QUERY_INTERVAL ]
		  [ mcast_query_response_interval QUERY_RESPONSE_INTERVAL ]
		  [ mcast_startup_query_interval STARTUP_QUERY_INTERVAL ]
		  [ mcast_stats_enabled MCAST_STATS_ENABLED ]
		  [ mcast_igmp_version IGMP_VERSION ]
		  [ mcast_mld_version MLD_VERSION ]
		  [ nf_call_iptables NF_CALL_IPTABLES ]
		  [ nf_call_ip6tables NF_CALL_IP6TABLES ]
		  [ nf_call_arptables NF_CALL_ARPTABLES ]

Where: VLAN_PROTOCOL := { 802.1Q | 802.1ad }
`;


/** bridge_parse_opt() from ip/iplink_bridge.c, with the kernel's clock_t → jiffies conversion. */
function bridgeParseOpt(ip: Ip, argv: readonly string[]): BridgeOpts {
  const o: BridgeOpts = {};
  const HZ = 250;
  const jiff = (v: number): number => Math.floor((v * HZ) / USER_HZ);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v = argv[i + 1];
    const num = (what: string): number => {
      if (v === undefined) ip.fail('Command line is not complete. Try option "help"', 255);
      const n = getInteger(v);
      if (n === null || n < 0) ip.invarg(`invalid ${what}`, v);
      i++;
      return n;
    };
    if (matches(a, 'ageing_time')) o.ageingTime = jiff(num('ageing_time'));
    else if (matches(a, 'forward_delay')) o.forwardDelay = jiff(num('forward_delay'));
    else if (matches(a, 'hello_time')) o.helloTime = jiff(num('hello_time'));
    else if (matches(a, 'max_age')) o.maxAge = jiff(num('max_age'));
    else if (matches(a, 'stp_state')) o.stpState = num('stp_state');
    else if (matches(a, 'priority')) o.priority = num('priority');
    else if (matches(a, 'vlan_filtering')) o.vlanFiltering = num('vlan_filtering');
    else if (matches(a, 'group_fwd_mask')) o.groupFwdMask = num('group_fwd_mask');
    else if (matches(a, 'mcast_snooping')) o.mcastSnooping = num('mcast_snooping');
    else if (matches(a, 'help')) usage(ip);
    else {
      ip.err(`bridge: unknown command "${a}"?\n${BRIDGE_USAGE}`);
      throw new IpExit(1);
    }
  }
  return o;
}

/** br_changelink() for the options modelled here. */
function bridgeChangelink(ip: Ip, br: NetBridge, o: BridgeOpts): void {
  if (o.vlanFiltering) answer(ip, 95, 'VLAN filtering is not supported by this simulator');
  if (o.forwardDelay !== undefined) br.forwardDelay = o.forwardDelay;
  if (o.helloTime !== undefined) br.helloTime = o.helloTime;
  if (o.maxAge !== undefined) br.maxAge = o.maxAge;
  if (o.ageingTime !== undefined) br.ageingTime = o.ageingTime;
  if (o.priority !== undefined) br.priority = o.priority;
  if (o.groupFwdMask !== undefined) {
    if (o.groupFwdMask & 0x7) answer(ip, 22, 'Invalid group_fwd_mask');
    br.groupFwdMask = o.groupFwdMask;
  }
  if (o.mcastSnooping !== undefined) br.mcastSnooping = o.mcastSnooping !== 0;
  if (o.stpState !== undefined && o.stpState !== 0) answer(ip, 95, 'STP is not supported by this simulator');
}

/** rtnl_newlink() of a bridge (br_dev_setup, br_dev_newlink). */
function newBridge(ip: Ip, req: LinkReq): void {
  const net = ip.net;
  if (req.address && !validMac(req.address)) answer(ip, 99);
  const name = req.name ?? allocName(net, 'bridge%d');
  const dev = br_dev_setup(name, new Uint8Array(req.address ?? randomMac(ip)), req.address !== null);
  if (req.mtu !== null) {
    if (req.mtu < 68 || req.mtu > 65535) answer(ip, 22);
    dev.mtu = req.mtu;
  }
  if (req.qlen !== null) dev.txQueueLen = req.qlen;
  if (req.group !== null) dev.group = req.group;
  if (req.alias !== null) dev.alias = req.alias;
  const br = netdev_priv_br(dev) as NetBridge;
  if (req.br) bridgeChangelink(ip, br, req.br);
  const err = register_netdevice(net, dev, req.index);
  if (err) answer(ip, -err);
  br_dev_registered(dev);
  noteCreated(dev);
  applyFlags(dev, req);
  if (req.master) doSetMaster(ip, dev, req.master);
}

/**
 * What one `ip` process takes before its request reaches the kernel (fork,
 * exec, the netlink socket): about 3 ms on the oracle's machine. Timers armed
 * by one command (a bridge's first IGMP report) run before the next one.
 */
const IP_EXEC_NS = 3_000_000;

function* afterExec(fn: () => number): Proc {
  yield sleepWait(IP_EXEC_NS);
  return fn();
}

export function doIplink(ip: Ip, argv: readonly string[]): number | Proc {
  const sub = argv[0];
  const rest = argv.slice(1);
  if (sub === undefined) return linkList(ip, []);
  if (matches(sub, 'add')) return afterExec(() => iplinkModify(ip, rest, 'add'));
  if (matches(sub, 'set') || matches(sub, 'change')) return afterExec(() => iplinkModify(ip, rest, 'set'));
  if (matches(sub, 'delete')) return afterExec(() => iplinkModify(ip, rest, 'del'));
  if (matches(sub, 'show') || matches(sub, 'lst') || matches(sub, 'list')) return linkList(ip, rest);
  if (matches(sub, 'help')) usage(ip);
  return ip.fail(`Command "${sub}" is unknown, try "ip link help".`, 255);
}

function linkList(ip: Ip, argv: readonly string[]): number {
  ip.opts.family = AF_PACKET;
  return ipaddrList(ip, argv, true, false, () => usage(ip));
}
