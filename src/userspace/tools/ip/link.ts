// ip/iplink.c + ip/link_veth.c + ip/iplink_bridge.c: `ip link add|set|delete|
// show`, sent as RTM_NEWLINK/RTM_DELLINK (the kernel's rtnl_newlink() and
// do_setlink() do the rest).
import {
  IFF_ALLMULTI,
  IFF_DYNAMIC,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_PROMISC,
  IFF_UP,
  type IflaAttrs,
  type IflaInfoData,
  ifinfomsg,
  type LinkBody,
  type LinkMsg,
  NLM_F_CREATE,
  NLM_F_EXCL,
  RTM_DELLINK,
  RTM_NEWLINK,
  rtnl_talk,
} from '../../../kernel/uapi/rtnetlink.ts';
import { sleep as sleepWait, type Proc } from '../../../sim/sched.ts';
import type { Net } from '../../../kernel/net_namespace.ts';
import {
  AF_PACKET,
  Args,
  getInteger,
  type Ip,
  IpExit,
  llAddrA2n,
  llLinkByName,
  llNameToIndex,
  matches,
  validAltIfname,
  validIfname,
} from './common.ts';
import { ipaddrList } from './show.ts';
import { vlanParseOpt } from './iplink_vlan.ts';
import { macvlanParseOpt } from './iplink_macvlan.ts';
import { vxlanParseOpt } from './iplink_vxlan.ts';
import { LINK_USAGE } from './usage.ts';

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
  /** the master's ifindex, 0 for nomaster */
  master: number | null;
  index: number;
  /** the peer of a veth */
  peer: LinkReq | null;
  type: string | null;
  /** `link DEV` (IFLA_LINK when creating) */
  link: string | null;
  linkIndex: number;
  /** a link_util's parse_opt() (bridge_parse_opt, vxlan, vlan, macvlan): IFLA_INFO_DATA in kernel units */
  data: IflaInfoData | null;
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
    link: null,
    linkIndex: 0,
    data: null,
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
      req.link = args.next();
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
      const m = llNameToIndex(ip, v);
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
  if (create && req.link !== null) {
    req.linkIndex = llNameToIndex(ip, req.link);
    if (!req.linkIndex) {
      ip.err(`Cannot find device "${req.link}"\n`);
      return -1;
    }
  }
  return 0;
}

/** The request iplink_modify() sends for one end: the ifinfomsg and its attributes. */
function toBody(r: LinkReq, index: number): LinkBody {
  const ifi = ifinfomsg(0, index);
  ifi.ifi_flags = r.flags;
  ifi.ifi_change = r.change;
  const attrs: IflaAttrs = {};
  if (r.name !== null) attrs.IFLA_IFNAME = r.name;
  if (r.address) attrs.IFLA_ADDRESS = new Uint8Array(r.address);
  if (r.broadcast) attrs.IFLA_BROADCAST = new Uint8Array(r.broadcast);
  if (r.mtu !== null) attrs.IFLA_MTU = r.mtu;
  if (r.qlen !== null) attrs.IFLA_TXQLEN = r.qlen;
  if (r.netns === 'pid') attrs.IFLA_NET_NS_PID = 0;
  else if (r.netns) attrs.IFLA_NET_NS_FD = r.netns;
  if (r.group !== null) attrs.IFLA_GROUP = r.group;
  if (r.alias !== null) attrs.IFLA_IFALIAS = r.alias;
  if (r.master !== null) attrs.IFLA_MASTER = r.master;
  if (r.linkIndex) attrs.IFLA_LINK = r.linkIndex;
  if (r.type !== null) {
    attrs.IFLA_LINKINFO = { IFLA_INFO_KIND: r.type };
    if (r.peer) attrs.IFLA_LINKINFO.IFLA_INFO_DATA = { VETH_INFO_PEER: toBody(r.peer, r.peer.index) };
    else if (r.data) attrs.IFLA_LINKINFO.IFLA_INFO_DATA = r.data;
  }
  return { ifi, attrs };
}

/** rtnl_talk(): the request, and the kernel's answer printed when it failed. */
function talk(ip: Ip, req: LinkMsg): number {
  const r = rtnl_talk(ip.net, req);
  if (r.error) return ip.rtnlError(-r.error, r.extack);
  return 0;
}

/** iplink_modify() */
function iplinkModify(ip: Ip, argv: readonly string[], cmd: 'add' | 'set' | 'del'): number {
  const create = cmd === 'add';
  const req = newReq();
  const args = new Args(ip, argv);
  if (iplinkParse(ip, args, req, create) < 0) return 1;
  let dev: LinkMsg | null = null;
  if (!create) {
    if (req.dev === null) ip.fail('Not enough information: "dev" argument is required.', 255);
    dev = llLinkByName(ip, req.dev);
    if (!dev) {
      ip.err(`Cannot find device "${req.dev}"\n`);
      return 1;
    }
    if (req.address && req.address.length !== 6) {
      ip.err(`Invalid address length ${req.address.length} - must be 6 bytes\n`);
      return 1;
    }
    if (req.index && req.netns === null)
      ip.fail('index can be used only when creating devices or when moving device to another netns.', 255);
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
      req.data = bridgeParseOpt(ip, rest);
    } else if (req.type === 'vlan' && rest.length) {
      // lu->parse_opt() of ip/iplink_vlan.c
      const d = vlanParseOpt(ip, rest);
      if (!d) return 1;
      req.data = d;
    } else if ((req.type === 'macvlan' || req.type === 'macvtap') && rest.length) {
      req.data = macvlanParseOpt(ip, rest, req.type);
    } else if (req.type === 'vxlan') {
      const data = vxlanParseOpt(ip, rest, !create);
      if (!data) return 1;
      req.data = data;
    } else if (req.type !== 'veth' && rest.length) {
      if (matches(rest[0] as string, 'help')) usage(ip);
      ip.fail(`Garbage instead of arguments "${rest[0]} ...". Try "ip link help".`, 1);
    }
  } else if (create) {
    ip.err('Not enough information: "type" argument is required\n');
    return 1;
  }

  if (!create) {
    if (!dev) return 1;
    const index = dev.ifi.ifi_index;
    if (cmd === 'del') return talk(ip, { nlmsg_type: RTM_DELLINK, nlmsg_flags: 0, ifi: ifinfomsg(0, index), attrs: {} });
    // `ip link set` is an RTM_NEWLINK without NLM_F_CREATE
    return talk(ip, { nlmsg_type: RTM_NEWLINK, nlmsg_flags: 0, ...toBody(req, index) });
  }
  return talk(ip, { nlmsg_type: RTM_NEWLINK, nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL, ...toBody(req, req.index) });
}

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

/** bridge_parse_opt() from ip/iplink_bridge.c: IFLA_BR_* as given (times in clock_t). */
function bridgeParseOpt(ip: Ip, argv: readonly string[]): IflaInfoData {
  const o: IflaInfoData = {};
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
    if (matches(a, 'ageing_time')) o.IFLA_BR_AGEING_TIME = num('ageing_time');
    else if (matches(a, 'forward_delay')) o.IFLA_BR_FORWARD_DELAY = num('forward_delay');
    else if (matches(a, 'hello_time')) o.IFLA_BR_HELLO_TIME = num('hello_time');
    else if (matches(a, 'max_age')) o.IFLA_BR_MAX_AGE = num('max_age');
    else if (matches(a, 'stp_state')) o.IFLA_BR_STP_STATE = num('stp_state');
    else if (matches(a, 'priority')) o.IFLA_BR_PRIORITY = num('priority');
    else if (matches(a, 'vlan_filtering')) o.IFLA_BR_VLAN_FILTERING = num('vlan_filtering');
    else if (matches(a, 'group_fwd_mask')) o.IFLA_BR_GROUP_FWD_MASK = num('group_fwd_mask');
    else if (matches(a, 'mcast_snooping')) o.IFLA_BR_MCAST_SNOOPING = num('mcast_snooping');
    else if (matches(a, 'help')) usage(ip);
    else {
      ip.err(`bridge: unknown command "${a}"?\n${BRIDGE_USAGE}`);
      throw new IpExit(1);
    }
  }
  return o;
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
