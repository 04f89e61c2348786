// u32 on an ingress qdisc (cls_api + cls_u32 + act_gact/act_mirred): what the
// filter matches is dropped with TC_INGRESS, the rest passes; handles and the
// dump are the kernel's (800: then 800::800, auto prefs 49152, 49151).
import { describe, expect, it } from 'vitest';
import { tc_dump_tfilter } from '../../../src/kernel/sched/cls_api.ts';
import {
  TC_ACT_PIPE,
  TC_ACT_SHOT,
  TC_ACT_STOLEN,
  TC_U32_TERMINAL,
  TCA_EGRESS_MIRROR,
  TCA_EGRESS_REDIR,
} from '../../../src/kernel/uapi/pkt_cls.ts';
import { run, twoHosts, vethPair, addAddr } from '../helpers.ts';
import { dev_open } from '../../../src/kernel/core/rtnetlink.ts';
import { dropReasonName } from '../../../src/kernel/trace/dropreason.ts';
import { addFilter, addTcQdisc, lookupOf } from './tc_helpers.ts';

const ETH_P_IP = 0x0800;
const icmpToB = {
  TCA_U32_SEL: {
    flags: TC_U32_TERMINAL,
    offshift: 0,
    nkeys: 2,
    offmask: 0,
    off: 0,
    offoff: 0,
    hoff: 0,
    hmask: 0,
    keys: [
      { mask: 0x00ff0000, val: 0x00010000, off: 8, offmask: 0 },
      { mask: 0xffffffff, val: 0x0a000002, off: 16, offmask: 0 },
    ],
  },
};

function drops(world: ReturnType<typeof twoHosts>['world']): string[] {
  const out: string[] = [];
  world.kernel.dropObservers.push((_net, _skb, reason) => out.push(dropReasonName(reason)));
  return out;
}

describe('cls_u32 at ingress', () => {
  it('drops pings with gact drop (TC_INGRESS) and counts them', () => {
    const { world, a, b } = twoHosts();
    const vb = b.devByName.get('vb');
    if (!vb) throw new Error('vb');
    const q = addTcQdisc(b, vb, 'ingress');
    const r = addFilter(b, vb, 0xffff0000, ETH_P_IP, 1, 'u32', {
      ...icmpToB,
      TCA_U32_ACT: [
        { TCA_ACT_KIND: 'gact', TCA_ACT_OPTIONS: { TCA_GACT_PARMS: { index: 0, capab: 0, action: TC_ACT_SHOT, refcnt: 0, bindcnt: 0 } } },
      ],
    });
    expect(r.error).toBe(0);
    const seen = drops(world);
    const p = run(world, a, ['ping', '-c', '2', '-i', '0.2', '-W', '1', '10.0.0.2']);
    expect(p.out).toContain('2 packets transmitted, 0 received, 100% packet loss');
    expect(seen.filter((x) => x === 'TC_INGRESS')).toHaveLength(2);
    // the ARP exchange passed (protocol ip only); the ingress qdisc counted every frame
    expect(q.qstats.drops).toBe(2);
    expect(q.bstats.packets).toBeGreaterThanOrEqual(3);
    const d = tc_dump_tfilter(b, lookupOf(b), {
      nlmsg_type: 46,
      nlmsg_flags: 0x300,
      tcm: { tcm_family: 0, tcm_ifindex: vb.ifindex, tcm_handle: 0, tcm_parent: 0xffff0000, tcm_info: 0 },
      attrs: {},
    });
    expect(d.msgs.map((m) => m.tcm.tcm_handle.toString(16))).toEqual(['0', '80000000', '80000800']);
    const opts = d.msgs[2]?.attrs.TCA_OPTIONS as {
      TCA_U32_ACT: { TCA_ACT_STATS: { basic: { packets: number; bytes: number }; queue: { drops: number } } }[];
      TCA_U32_FLAGS: number;
    };
    expect(opts.TCA_U32_FLAGS).toBe(8);
    expect(opts.TCA_U32_ACT[0]?.TCA_ACT_STATS.basic).toEqual({ bytes: 168, packets: 2 });
    expect(opts.TCA_U32_ACT[0]?.TCA_ACT_STATS.queue.drops).toBe(2);
  });

  it('allocates prefs downwards from 49152 and table ids 800:, 801:', () => {
    const { b } = twoHosts();
    const vb = b.devByName.get('vb');
    if (!vb) throw new Error('vb');
    addTcQdisc(b, vb, 'ingress');
    expect(addFilter(b, vb, 0xffff0000, ETH_P_IP, 0, 'u32', icmpToB).error).toBe(0);
    expect(addFilter(b, vb, 0xffff0000, ETH_P_IP, 0, 'u32', icmpToB).error).toBe(0);
    const d = tc_dump_tfilter(b, lookupOf(b), {
      nlmsg_type: 46,
      nlmsg_flags: 0x300,
      tcm: { tcm_family: 0, tcm_ifindex: vb.ifindex, tcm_handle: 0, tcm_parent: 0xffff0000, tcm_info: 0 },
      attrs: {},
    });
    expect(d.msgs.map((m) => `${(m.tcm.tcm_info >>> 16).toString()} ${m.tcm.tcm_handle.toString(16)}`)).toEqual([
      '49151 0',
      '49151 80100000',
      '49151 80100800',
      '49152 0',
      '49152 80000000',
      '49152 80000800',
    ]);
    const e = addFilter(b, vb, 0xffff0000, ETH_P_IP, 1, 'u32', { TCA_U32_CLASSID: 0x10001 });
    expect(e).toMatchObject({ error: -22, extack: 'cls_u32: Selector not specified' });
    expect(addFilter(b, vb, 0xffff0000, ETH_P_IP, 2, 'nosuch', {})).toMatchObject({ error: -2, extack: 'TC classifier not found' });
    expect(
      addFilter(b, vb, 0xffff0000, ETH_P_IP, 3, 'u32', { ...icmpToB, TCA_U32_ACT: [{ TCA_ACT_KIND: 'nat', TCA_ACT_OPTIONS: {} }] }),
    ).toMatchObject({
      error: -2,
      extack: 'Failed to load TC action module',
    });
  });

  function threeHosts() {
    const { world, a, b } = twoHosts();
    const c = world.createNet('c');
    vethPair(b, 'vbc', [2, 0, 0, 0, 1, 0x0b], c, 'vc', [2, 0, 0, 0, 1, 0x0c]);
    addAddr(b, 'vbc', 0x0a000102, 24);
    addAddr(c, 'vc', 0x0a000103, 24);
    for (const d of [b.devByName.get('vbc'), c.devByName.get('vc')]) if (d) dev_open(d);
    const vb = b.devByName.get('vb');
    const vbc = b.devByName.get('vbc');
    const vc = c.devByName.get('vc');
    if (!vb || !vbc || !vc) throw new Error('devs');
    addTcQdisc(b, vb, 'ingress');
    const mirred = (eaction: number, action: number) => [
      {
        TCA_ACT_KIND: 'mirred',
        TCA_ACT_OPTIONS: { TCA_MIRRED_PARMS: { index: 0, capab: 0, action, refcnt: 0, bindcnt: 0, eaction, ifindex: vbc.ifindex } },
      },
    ];
    return { world, a, b, vb, vc, mirred };
  }

  it('mirrors with pipe: the ping is answered and c gets a copy', () => {
    const { world, a, b, vb, vc, mirred } = threeHosts();
    expect(
      addFilter(b, vb, 0xffff0000, ETH_P_IP, 1, 'u32', { ...icmpToB, TCA_U32_ACT: mirred(TCA_EGRESS_MIRROR, TC_ACT_PIPE) }).error,
    ).toBe(0);
    const seen = drops(world);
    const p = run(world, a, ['ping', '-c', '2', '-i', '0.2', '-W', '1', '10.0.0.2']);
    expect(p.out).toContain('2 packets transmitted, 2 received');
    // c got the copies, addressed to b's MAC: not for it
    expect(vc.stats.rx_packets).toBe(2);
    expect(seen.filter((x) => x === 'OTHERHOST')).toHaveLength(2);
  });

  it('redirects with stolen: b never sees the ping, c gets it', () => {
    const { world, a, b, vb, vc, mirred } = threeHosts();
    expect(
      addFilter(b, vb, 0xffff0000, ETH_P_IP, 1, 'u32', { ...icmpToB, TCA_U32_ACT: mirred(TCA_EGRESS_REDIR, TC_ACT_STOLEN) }).error,
    ).toBe(0);
    const p2 = run(world, a, ['ping', '-c', '1', '-W', '1', '10.0.0.2']);
    expect(p2.out).toContain('1 packets transmitted, 0 received');
    expect(vc.stats.rx_packets).toBe(1);
  });
});
