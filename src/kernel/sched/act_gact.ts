// net/sched/act_gact.c: the generic actions (pass/ok, drop/shot, reclassify,
// pipe, continue, goto chain, jump). With `random` (CONFIG_GACT_PROB) the
// verdict is the other action on some packets: netrand picks it with
// probability 1/pval from the scenario's seeded generator, determ on every
// pval-th packet.
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { EINVAL } from '../uapi/errno.ts';
import {
  MAX_RAND,
  PGACT_DETERM,
  PGACT_NETRAND,
  TC_ACT_EXT_CMP,
  TC_ACT_GOTO_CHAIN,
  TC_ACT_SHOT,
  type TcfT,
  type TcGactOptions,
} from '../uapi/pkt_cls.ts';
import {
  type Extack,
  type TcAction,
  type TcActionOps,
  tcf_action_check_ctrlact,
  tcf_action_inc_drop_qstats,
  tcf_action_update_bstats,
  tcf_lastuse_update,
} from './act_api.ts';
import type { TcfResult } from './cls_api.ts';

/** struct tcf_gact */
interface TcfGact {
  ptype: number;
  pval: number;
  paction: number;
  /** atomic packets (gact_determ) */
  packets: number;
}

/** get_random_u32_below(): multiply and shift (include/linux/random.h). */
function get_random_u32_below(rng: { u32(): number }, ceil: number): number {
  if (ceil <= 1) return 0;
  for (;;) {
    const mult = BigInt(ceil) * BigInt(rng.u32());
    if ((ceil & (ceil - 1)) === 0 || Number(mult & 0xffffffffn) >= 2 ** 32 % ceil) return Number(mult >> 32n);
  }
}

/** gact_net_rand(): the action, except with probability 1/pval the other one. */
function gact_net_rand(net: Net, a: TcAction, g: TcfGact): number {
  if (get_random_u32_below(net.kernel.sim.rng, g.pval)) return a.tcfa_action;
  return g.paction;
}

/** gact_determ(): every pval-th packet takes the other action. */
function gact_determ(a: TcAction, g: TcfGact): number {
  g.packets = (g.packets + 1) >>> 0;
  if (g.packets % g.pval) return a.tcfa_action;
  return g.paction;
}

/** tcf_gact_act() */
function tcf_gact_act(skb: SkBuff, a: TcAction, _res: TcfResult): number {
  const g = a.priv as TcfGact;
  const net = (skb.dev as NetDevice).net;
  let action = a.tcfa_action;
  if (g.ptype === PGACT_NETRAND) action = gact_net_rand(net, a, g);
  else if (g.ptype === PGACT_DETERM) action = gact_determ(a, g);
  tcf_action_update_bstats(a, skb);
  if (action === TC_ACT_SHOT) tcf_action_inc_drop_qstats(a);
  tcf_lastuse_update(net.kernel, a);
  return action;
}

/** tcf_gact_init() */
function tcf_gact_init(_net: Net, opts: object | undefined, a: TcAction, _created: boolean, extack: Extack): number {
  if (!opts) return -EINVAL;
  const o = opts as TcGactOptions;
  const parm = o.TCA_GACT_PARMS;
  if (!parm) return -EINVAL;
  const p = o.TCA_GACT_PROB;
  if (p) {
    if (p.ptype >= MAX_RAND) return -EINVAL;
    if (TC_ACT_EXT_CMP(p.paction, TC_ACT_GOTO_CHAIN)) {
      extack.msg = 'goto chain not allowed on fallback';
      return -EINVAL;
    }
  }
  const err = tcf_action_check_ctrlact(parm.action, extack);
  if (err < 0) return err;
  const g: TcfGact = (a.priv as TcfGact | null) ?? { ptype: 0, pval: 0, paction: 0, packets: 0 };
  a.tcfa_action = parm.action;
  if (p) {
    g.paction = p.paction;
    g.pval = Math.max(1, p.pval & 0xffff);
    g.ptype = p.ptype;
  }
  a.priv = g;
  return 0;
}

/** tcf_gact_dump() */
function tcf_gact_dump(a: TcAction, refcnt: number, bindcnt: number, tm: TcfT): TcGactOptions {
  const g = a.priv as TcfGact;
  const o: TcGactOptions = { TCA_GACT_PARMS: { index: a.index, capab: 0, action: a.tcfa_action, refcnt, bindcnt } };
  if (g.ptype) o.TCA_GACT_PROB = { ptype: g.ptype, pval: g.pval, paction: g.paction };
  o.TCA_GACT_TM = tm;
  return o;
}

export const act_gact_ops: Readonly<TcActionOps> = {
  kind: 'gact',
  act: tcf_gact_act,
  init: tcf_gact_init,
  dump: tcf_gact_dump,
  index_of: (o) => (o as TcGactOptions | undefined)?.TCA_GACT_PARMS?.index ?? 0,
};
