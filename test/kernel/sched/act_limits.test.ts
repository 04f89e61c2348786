// The limits tc keeps on itself: a filter that keeps reclassifying is shot
// after 16 rounds (TC_RECLASSIFY_LOOP), a mirred that sends a packet back into
// the ingress it came from is shot past MIRRED_NEST_LIMIT (4), and police
// lets a burst through then drops what exceeds the rate.
import { describe, expect, it } from 'vitest';
import {
  TC_ACT_OK,
  TC_ACT_RECLASSIFY,
  TC_ACT_SHOT,
  TC_ACT_STOLEN,
  TC_U32_TERMINAL,
  TCA_INGRESS_REDIR,
} from '../../../src/kernel/uapi/pkt_cls.ts';
import { dropReasonName } from '../../../src/kernel/trace/dropreason.ts';
import { run, twoHosts } from '../helpers.ts';
import { addFilter, addTcQdisc } from './tc_helpers.ts';

const ETH_P_IP = 0x0800;
const ICMP = {
  TCA_U32_SEL: {
    flags: TC_U32_TERMINAL,
    offshift: 0,
    nkeys: 1,
    offmask: 0,
    off: 0,
    offoff: 0,
    hoff: 0,
    hmask: 0,
    keys: [{ mask: 0x00ff0000, val: 0x00010000, off: 8, offmask: 0 }],
  },
};

function setup() {
  const { world, a, b } = twoHosts();
  const vb = b.devByName.get('vb');
  if (!vb) throw new Error('vb');
  const q = addTcQdisc(b, vb, 'ingress');
  const drops: string[] = [];
  world.kernel.dropObservers.push((_n, _s, r) => drops.push(dropReasonName(r)));
  return { world, a, b, vb, q, drops };
}

describe('tc limits', () => {
  it('reclassify forever is TC_RECLASSIFY_LOOP', () => {
    const { world, a, b, vb, drops } = setup();
    const gact = {
      TCA_ACT_KIND: 'gact',
      TCA_ACT_OPTIONS: { TCA_GACT_PARMS: { index: 0, capab: 0, action: TC_ACT_RECLASSIFY, refcnt: 0, bindcnt: 0 } },
    };
    expect(addFilter(b, vb, 0xffff0000, ETH_P_IP, 1, 'u32', { ...ICMP, TCA_U32_ACT: [gact] }).error).toBe(0);
    const p = run(world, a, ['ping', '-c', '1', '-W', '1', '10.0.0.2']);
    expect(p.out).toContain('1 packets transmitted, 0 received');
    expect(drops).toContain('TC_RECLASSIFY_LOOP');
  });

  it('mirred back into its own ingress stops at the nest limit', () => {
    const { world, a, b, vb, q, drops } = setup();
    const mirred = {
      TCA_ACT_KIND: 'mirred',
      TCA_ACT_OPTIONS: {
        TCA_MIRRED_PARMS: {
          index: 0,
          capab: 0,
          action: TC_ACT_STOLEN,
          refcnt: 0,
          bindcnt: 0,
          eaction: TCA_INGRESS_REDIR,
          ifindex: vb.ifindex,
        },
      },
    };
    expect(addFilter(b, vb, 0xffff0000, ETH_P_IP, 1, 'u32', { ...ICMP, TCA_U32_ACT: [mirred] }).error).toBe(0);
    run(world, a, ['ping', '-c', '1', '-W', '1', '10.0.0.2']);
    // the ARP request, the ping and its four nested redirects pass the qdisc; the fifth nesting is shot
    expect(q.bstats.packets).toBe(6);
    expect(drops).toContain('TC_INGRESS');
  });

  it('police passes the burst and drops what exceeds the rate', () => {
    const { world, a, b, vb, drops } = setup();
    // 10000 bytes/s, burst of 2100 bytes (in 64 ns ticks): two 1028-byte frames fit
    const police = {
      TCA_ACT_KIND: 'police',
      TCA_ACT_OPTIONS: {
        TCA_POLICE_TBF: {
          index: 0,
          action: TC_ACT_SHOT,
          limit: 0,
          burst: Math.round((2100 / 10000) * 1e9) / 64,
          mtu: 0,
          rate: { cell_log: 3, linklayer: 1, overhead: 0, cell_align: -1, mpu: 0, rate: 10000 },
          peakrate: { cell_log: 0, linklayer: 0, overhead: 0, cell_align: 0, mpu: 0, rate: 0 },
          refcnt: 0,
          bindcnt: 0,
          capab: 0,
        },
        TCA_POLICE_RATE: new Array(256).fill(0),
        TCA_POLICE_RESULT: TC_ACT_OK,
      },
    };
    expect(addFilter(b, vb, 0xffff0000, ETH_P_IP, 1, 'u32', { ...ICMP, TCA_U32_ACT: [police] }).error).toBe(0);
    const p = run(world, a, ['ping', '-c', '5', '-i', '0.01', '-s', '1000', '-W', '1', '10.0.0.2']);
    expect(p.out).toContain('5 packets transmitted, 2 received');
    expect(drops.filter((d) => d === 'TC_INGRESS')).toHaveLength(3);
  });
});
