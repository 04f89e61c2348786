// net/sched/act_mirred.c: mirror or redirect a packet to another device's
// egress (dev_queue_xmit) or ingress (netif_receive_skb from tc ingress,
// netif_rx from egress). A redirect at ingress sends the skb itself (the
// filter's verdict becomes TC_ACT_CONSUMED); otherwise a clone goes. The MAC
// header is pushed back for a device that transmits with one, pulled for an
// ingress target. A device that is down, or nesting deeper than
// MIRRED_NEST_LIMIT, makes a redirect TC_ACT_SHOT; a failed send counts an
// overlimit.
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { IFF_UP } from '../core/netdevice.ts';
import { dev_queue_xmit, netif_receive_skb, netif_rx } from '../core/dev.ts';
import { EINVAL, ENODEV } from '../uapi/errno.ts';
import {
  TC_ACT_CONSUMED,
  TC_ACT_QUEUED,
  TC_ACT_SHOT,
  TC_ACT_STOLEN,
  TC_ACT_TRAP,
  TCA_EGRESS_MIRROR,
  TCA_EGRESS_REDIR,
  TCA_INGRESS_MIRROR,
  TCA_INGRESS_REDIR,
  type TcfT,
  type TcMirredOptions,
} from '../uapi/pkt_cls.ts';
import {
  type Extack,
  type TcAction,
  type TcActionOps,
  tcf_action_check_ctrlact,
  tcf_action_inc_overlimit_qstats,
  tcf_action_update_bstats,
  tcf_lastuse_update,
} from './act_api.ts';
import type { TcfResult } from './cls_api.ts';

const MOD = 'act_mirred: ';
const MIRRED_NEST_LIMIT = 4;
const ARPHRD_ETHER = 1;

/** struct tcf_mirred */
interface TcfMirred {
  eaction: number;
  dev: NetDevice | null;
  mac_header_xmit: boolean;
  blockid: number;
}

function tcf_mirred_is_act_redirect(action: number): boolean {
  return action === TCA_EGRESS_REDIR || action === TCA_INGRESS_REDIR;
}

function tcf_mirred_act_wants_ingress(action: number): boolean {
  return action === TCA_INGRESS_REDIR || action === TCA_INGRESS_MIRROR;
}

function tcf_mirred_can_reinsert(action: number): boolean {
  return action === TC_ACT_SHOT || action === TC_ACT_STOLEN || action === TC_ACT_QUEUED || action === TC_ACT_TRAP;
}

/** dev_is_mac_header_xmit(): Ethernet-like devices transmit with a MAC header. */
function dev_is_mac_header_xmit(dev: NetDevice): boolean {
  return dev.type === ARPHRD_ETHER || dev.type === 772; // ARPHRD_LOOPBACK
}

/** tcf_mirred_forward() */
function tcf_mirred_forward(at_ingress: boolean, want_ingress: boolean, skb: SkBuff): number {
  if (!want_ingress) return dev_queue_xmit(skb);
  if (!at_ingress) return netif_rx(skb);
  return netif_receive_skb(skb);
}

/** tcf_mirred_to_dev() */
function tcf_mirred_to_dev(
  skb: SkBuff,
  a: TcAction,
  dev: NetDevice,
  m_mac_header_xmit: boolean,
  m_eaction: number,
  retvalIn: number,
): number {
  let retval = retvalIn;
  const is_redirect = tcf_mirred_is_act_redirect(m_eaction);
  if (!(dev.flags & IFF_UP) || !dev.carrierOk) {
    // net_notice_ratelimited("tc mirred to Houston: device %s is down\n")
    if (is_redirect) retval = TC_ACT_SHOT;
    tcf_action_inc_overlimit_qstats(a);
    return retval;
  }
  const at_ingress = skb.tcAtIngress;
  const dont_clone = at_ingress && is_redirect && tcf_mirred_can_reinsert(retval);
  const skb_to_send = dont_clone ? skb : skb.clone();
  const want_ingress = tcf_mirred_act_wants_ingress(m_eaction);
  // nf_reset_ct()
  skb_to_send._nfct = null;
  skb_to_send.nfctinfo = 0;
  if (want_ingress && !at_ingress) skb_to_send.dst = null;
  const expects_nh = want_ingress || !m_mac_header_xmit;
  const at_nh = skb.data === skb.networkHeader;
  if (at_nh !== expects_nh) {
    const mac_len = at_ingress ? skb.macLen : skb.networkHeader - skb.data;
    if (expects_nh) skb_to_send.pull(mac_len);
    else skb_to_send.push(mac_len);
  }
  skb_to_send.skbIif = (skb.dev as NetDevice).ifindex;
  skb_to_send.dev = dev;
  if (is_redirect) {
    if (skb === skb_to_send) retval = TC_ACT_CONSUMED;
    // skb_set_redirected()
    skb_to_send.tcRedirected = true;
    skb_to_send.tcFromIngress = skb_to_send.tcAtIngress;
  }
  const err = tcf_mirred_forward(at_ingress, want_ingress, skb_to_send);
  if (err) tcf_action_inc_overlimit_qstats(a);
  return retval;
}

/** tcf_mirred_act() */
function tcf_mirred_act(skb: SkBuff, a: TcAction, _res: TcfResult): number {
  const m = a.priv as TcfMirred;
  let retval = a.tcfa_action;
  const net = (skb.dev as NetDevice).net;
  const k = net.kernel;
  const sd = k.tcMirredNest;
  k.tcMirredNest = sd + 1;
  try {
    if (sd + 1 > MIRRED_NEST_LIMIT) {
      // net_warn_ratelimited("Packet exceeded mirred recursion limit on dev %s\n")
      return TC_ACT_SHOT;
    }
    tcf_lastuse_update(k, a);
    tcf_action_update_bstats(a, skb);
    const dev = m.dev;
    if (!dev || dev.net.devByIndex.get(dev.ifindex) !== dev) {
      // pr_notice_once("tc mirred: target device is gone\n")
      tcf_action_inc_overlimit_qstats(a);
      return retval;
    }
    retval = tcf_mirred_to_dev(skb, a, dev, m.mac_header_xmit, m.eaction, retval);
    return retval;
  } finally {
    k.tcMirredNest = sd;
  }
}

/** tcf_mirred_init() */
function tcf_mirred_init(net: Net, opts: object | undefined, a: TcAction, created: boolean, extack: Extack): number {
  if (!opts) {
    extack.msg = `${MOD}Mirred requires attributes to be passed`;
    return -EINVAL;
  }
  const o = opts as TcMirredOptions;
  const parm = o.TCA_MIRRED_PARMS;
  if (!parm) {
    extack.msg = `${MOD}Missing required mirred parameters`;
    return -EINVAL;
  }
  if (o.TCA_MIRRED_BLOCKID !== undefined && parm.ifindex) {
    extack.msg = `${MOD}Cannot specify Block ID and dev simultaneously`;
    return -EINVAL;
  }
  switch (parm.eaction) {
    case TCA_EGRESS_MIRROR:
    case TCA_EGRESS_REDIR:
    case TCA_INGRESS_REDIR:
    case TCA_INGRESS_MIRROR:
      break;
    default:
      extack.msg = `${MOD}Unknown mirred option`;
      return -EINVAL;
  }
  if (created && !parm.ifindex && o.TCA_MIRRED_BLOCKID === undefined) {
    extack.msg = `${MOD}Must specify device or block`;
    return -EINVAL;
  }
  const err = tcf_action_check_ctrlact(parm.action, extack);
  if (err < 0) return err;
  const m: TcfMirred = (a.priv as TcfMirred | null) ?? { eaction: 0, dev: null, mac_header_xmit: false, blockid: 0 };
  if (parm.ifindex) {
    const ndev = net.devByIndex.get(parm.ifindex);
    if (!ndev) return -ENODEV;
    m.dev = ndev;
    m.mac_header_xmit = dev_is_mac_header_xmit(ndev);
    m.blockid = 0;
  } else if (o.TCA_MIRRED_BLOCKID !== undefined) {
    m.dev = null;
    m.mac_header_xmit = false;
    m.blockid = o.TCA_MIRRED_BLOCKID;
  }
  a.tcfa_action = parm.action;
  m.eaction = parm.eaction;
  a.priv = m;
  return 0;
}

/** tcf_mirred_dump() */
function tcf_mirred_dump(a: TcAction, refcnt: number, bindcnt: number, tm: TcfT): TcMirredOptions {
  const m = a.priv as TcfMirred;
  const o: TcMirredOptions = {
    TCA_MIRRED_PARMS: {
      index: a.index,
      capab: 0,
      action: a.tcfa_action,
      refcnt,
      bindcnt,
      eaction: m.eaction,
      ifindex: m.dev ? m.dev.ifindex : 0,
    },
  };
  if (m.blockid) o.TCA_MIRRED_BLOCKID = m.blockid;
  o.TCA_MIRRED_TM = tm;
  return o;
}

export const act_mirred_ops: Readonly<TcActionOps> = {
  kind: 'mirred',
  act: tcf_mirred_act,
  init: tcf_mirred_init,
  dump: tcf_mirred_dump,
  index_of: (o) => (o as TcMirredOptions | undefined)?.TCA_MIRRED_PARMS?.index ?? 0,
};
