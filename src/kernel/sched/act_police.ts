// net/sched/act_police.c: a token bucket per action. Each packet no longer
// than mtu takes len/rate of time from a bucket of `burst` (and from a peak
// bucket when peakrate is set); a packet that fits gets the conform result
// (TCA_POLICE_RESULT, ok by default), one that does not counts an overlimit
// and gets the exceed action (drop by default: `conform-exceed EXCEED/CONFORM`).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import type { NetDevice } from '../core/netdevice.ts';
import { EINVAL } from '../uapi/errno.ts';
import {
  TC_ACT_EXT_CMP,
  TC_ACT_GOTO_CHAIN,
  TC_ACT_OK,
  TC_ACT_SHOT,
  type TcfT,
  type TcPoliceOptions,
  type TcRatespec,
} from '../uapi/pkt_cls.ts';
import {
  type Extack,
  type TcAction,
  type TcActionOps,
  tcf_action_check_ctrlact,
  tcf_action_update_bstats,
  tcf_lastuse_update,
} from './act_api.ts';
import type { TcfResult } from './cls_api.ts';

/** struct psched_ratecfg */
interface PschedRatecfg {
  rate_bytes_ps: bigint;
  mult: bigint;
  shift: bigint;
  overhead: number;
  mpu: number;
  linklayer: number;
}

/** struct tcf_police_params + the bucket state */
interface TcfPolice {
  result: number;
  burst: bigint;
  mtu: number;
  mtu_ptoks: bigint;
  rate_present: boolean;
  peak_present: boolean;
  rate: PschedRatecfg | null;
  peak: PschedRatecfg | null;
  parm: { rate: TcRatespec; peakrate: TcRatespec; burst: number; mtu: number; limit: number };
  rate64: number;
  prate64: number;
  t_c: bigint;
  toks: bigint;
  ptoks: bigint;
}

/** psched_ratecfg_precompute(): mult/shift so that len * mult >> shift is len/rate in ns. */
function psched_ratecfg_precompute(conf: TcRatespec, rate64: number): PschedRatecfg {
  const r: PschedRatecfg = {
    rate_bytes_ps: BigInt(Math.max(conf.rate >>> 0, rate64)),
    mult: 1n,
    shift: 0n,
    overhead: conf.overhead,
    mpu: conf.mpu,
    linklayer: conf.linklayer & 0x0f,
  };
  if (r.rate_bytes_ps > 0n) {
    let factor = 1_000_000_000n;
    for (;;) {
      r.mult = factor / r.rate_bytes_ps;
      if (r.mult & (1n << 31n) || factor & (1n << 63n)) break;
      factor <<= 1n;
      r.shift++;
    }
  }
  return r;
}

/** psched_l2t_ns(): the time `len` bytes take at the rate (ATM cells when linklayer says so). */
function psched_l2t_ns(r: PschedRatecfg, lenIn: number): bigint {
  let len = lenIn + r.overhead;
  if (len < r.mpu) len = r.mpu;
  if (r.linklayer === 2) len = Math.ceil(len / 48) * 53; // TC_LINKLAYER_ATM
  return (BigInt(len) * r.mult) >> r.shift;
}

/** PSCHED_TICKS2NS() */
function ticks2ns(t: number): bigint {
  return BigInt(t >>> 0) << 6n;
}

/** tcf_police_act() */
function tcf_police_act(skb: SkBuff, a: TcAction, _res: TcfResult): number {
  const p = a.priv as TcfPolice;
  const k = (skb.dev as NetDevice).net.kernel;
  tcf_lastuse_update(k, a);
  tcf_action_update_bstats(a, skb);
  let ret = a.tcfa_action;
  const len = skb.len;
  if (len <= p.mtu) {
    if (!p.rate_present) return p.result;
    const now = BigInt(Math.trunc(k.now));
    let toks = now - p.t_c < p.burst ? now - p.t_c : p.burst;
    let ptoks = 0n;
    if (p.peak_present && p.peak) {
      ptoks = toks + p.ptoks;
      if (ptoks > p.mtu_ptoks) ptoks = p.mtu_ptoks;
      ptoks -= psched_l2t_ns(p.peak, len);
    }
    toks += p.toks;
    if (toks > p.burst) toks = p.burst;
    toks -= psched_l2t_ns(p.rate as PschedRatecfg, len);
    if (toks >= 0n && ptoks >= 0n) {
      p.t_c = now;
      p.toks = toks;
      p.ptoks = ptoks;
      ret = p.result;
      if (ret === TC_ACT_SHOT) a.qstats.drops++;
      return ret;
    }
  }
  a.qstats.overlimits++;
  if (ret === TC_ACT_SHOT) a.qstats.drops++;
  return ret;
}

/** tcf_police_init() */
function tcf_police_init(net: Net, opts: object | undefined, a: TcAction, _created: boolean, extack: Extack): number {
  if (!opts) return -EINVAL;
  const o = opts as TcPoliceOptions;
  const parm = o.TCA_POLICE_TBF;
  if (!parm) return -EINVAL;
  const err = tcf_action_check_ctrlact(parm.action, extack);
  if (err < 0) return err;
  let rate: PschedRatecfg | null = null;
  let peak: PschedRatecfg | null = null;
  if (parm.rate.rate) {
    if (!o.TCA_POLICE_RATE) return -EINVAL; // qdisc_get_rtab()
    if (parm.peakrate.rate) {
      if (!o.TCA_POLICE_PEAKRATE) return -EINVAL;
      peak = psched_ratecfg_precompute(parm.peakrate, o.TCA_POLICE_PEAKRATE64 ?? 0);
    }
    rate = psched_ratecfg_precompute(parm.rate, o.TCA_POLICE_RATE64 ?? 0);
  }
  if (o.TCA_POLICE_AVRATE !== undefined) return -EINVAL; // no estimator
  let result = TC_ACT_OK;
  if (o.TCA_POLICE_RESULT !== undefined) {
    result = o.TCA_POLICE_RESULT;
    if (TC_ACT_EXT_CMP(result, TC_ACT_GOTO_CHAIN)) {
      extack.msg = 'goto chain not allowed on fallback';
      return -EINVAL;
    }
  }
  let mtu = parm.mtu >>> 0;
  if (!mtu) {
    mtu = 0xffffffff;
    if (rate) mtu = 255 << parm.rate.cell_log;
  }
  const burst = ticks2ns(parm.burst);
  const p: TcfPolice = {
    result,
    burst,
    mtu,
    mtu_ptoks: peak ? psched_l2t_ns(peak, mtu) : 0n,
    rate_present: rate !== null,
    peak_present: peak !== null,
    rate,
    peak,
    parm: { rate: { ...parm.rate }, peakrate: { ...parm.peakrate }, burst: parm.burst, mtu: parm.mtu, limit: parm.limit },
    rate64: o.TCA_POLICE_RATE64 ?? 0,
    prate64: o.TCA_POLICE_PEAKRATE64 ?? 0,
    t_c: BigInt(Math.trunc(net.kernel.now)),
    toks: burst,
    ptoks: 0n,
  };
  if (peak) p.ptoks = p.mtu_ptoks;
  a.tcfa_action = parm.action;
  a.priv = p;
  return 0;
}

/** tcf_police_dump() */
function tcf_police_dump(a: TcAction, refcnt: number, bindcnt: number, tm: TcfT): TcPoliceOptions {
  const p = a.priv as TcfPolice;
  const o: TcPoliceOptions = {
    TCA_POLICE_TBF: {
      index: a.index,
      action: a.tcfa_action,
      limit: p.parm.limit,
      burst: Number(p.burst >> 6n),
      mtu: p.mtu,
      rate: { ...p.parm.rate, rate: Math.min(Number(p.rate?.rate_bytes_ps ?? 0n), 0xffffffff) },
      peakrate: { ...p.parm.peakrate, rate: Math.min(Number(p.peak?.rate_bytes_ps ?? 0n), 0xffffffff) },
      refcnt,
      bindcnt,
      capab: 0,
    },
  };
  if (p.rate && p.rate.rate_bytes_ps >= 0x100000000n) o.TCA_POLICE_RATE64 = Number(p.rate.rate_bytes_ps);
  if (p.peak && p.peak.rate_bytes_ps >= 0x100000000n) o.TCA_POLICE_PEAKRATE64 = Number(p.peak.rate_bytes_ps);
  if (p.result) o.TCA_POLICE_RESULT = p.result;
  o.TCA_POLICE_TM = tm;
  return o;
}

export const act_police_ops: Readonly<TcActionOps> = {
  kind: 'police',
  act: tcf_police_act,
  init: tcf_police_init,
  dump: tcf_police_dump,
  index_of: (o) => (o as TcPoliceOptions | undefined)?.TCA_POLICE_TBF?.index ?? 0,
};
