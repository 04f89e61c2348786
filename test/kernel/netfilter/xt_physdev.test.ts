// xt_physdev's physdev_mt() on its own: a packet with no bridge info matches
// only negated options; a bridged one by its ports, '+' prefixes and '!'.
import { describe, expect, it } from 'vitest';
import { physdev_mt } from '../../../src/kernel/netfilter/xt_physdev.ts';
import type { XtActionParam } from '../../../src/kernel/netfilter/x_tables.ts';
import {
  type PhysdevMatch,
  XT_PHYSDEV_OP_BRIDGED,
  XT_PHYSDEV_OP_IN,
  XT_PHYSDEV_OP_ISIN,
  XT_PHYSDEV_OP_ISOUT,
  XT_PHYSDEV_OP_OUT,
} from '../../../src/kernel/uapi/x_tables.ts';

const net = {};
const dev = (name: string) => ({ name, net });
/** The fields physdev_mt reads: skb->nf_bridge and the namespace. */
function param(nfBridge: { physindev: unknown; physoutdev: unknown } | null): XtActionParam {
  return { net, skb: { nfBridge } } as unknown as XtActionParam;
}
const info = (bitmask: number, invert = 0, physindev = '', physoutdev = ''): PhysdevMatch => ({
  name: 'physdev',
  physindev,
  physoutdev,
  invert,
  bitmask,
});
const match = (p: XtActionParam, m: PhysdevMatch): boolean => physdev_mt.match(p, m);

describe('physdev_mt', () => {
  it('matches a packet that was not bridged only through negated options', () => {
    const p = param(null);
    expect(match(p, info(XT_PHYSDEV_OP_ISIN))).toBe(false);
    expect(match(p, info(XT_PHYSDEV_OP_ISIN, XT_PHYSDEV_OP_ISIN))).toBe(true);
    expect(match(p, info(XT_PHYSDEV_OP_IN, XT_PHYSDEV_OP_IN, 'p1'))).toBe(true);
    expect(match(p, info(XT_PHYSDEV_OP_IN | XT_PHYSDEV_OP_BRIDGED, XT_PHYSDEV_OP_IN, 'p1'))).toBe(false);
  });

  it('tells ports apart by name, with + for a prefix and ! to negate', () => {
    const fwd = param({ physindev: dev('p1'), physoutdev: dev('p2') });
    expect(match(fwd, info(XT_PHYSDEV_OP_IN, 0, 'p1'))).toBe(true);
    expect(match(fwd, info(XT_PHYSDEV_OP_IN, 0, 'p2'))).toBe(false);
    expect(match(fwd, info(XT_PHYSDEV_OP_OUT, 0, '', 'p+'))).toBe(true);
    expect(match(fwd, info(XT_PHYSDEV_OP_OUT, XT_PHYSDEV_OP_OUT, '', 'p+'))).toBe(false);
    expect(match(fwd, info(XT_PHYSDEV_OP_BRIDGED | XT_PHYSDEV_OP_ISIN | XT_PHYSDEV_OP_ISOUT))).toBe(true);
  });

  it('sees a packet for the bridge itself (INPUT) as in but not bridged', () => {
    const input = param({ physindev: dev('p1'), physoutdev: null });
    expect(match(input, info(XT_PHYSDEV_OP_BRIDGED))).toBe(false);
    expect(match(input, info(XT_PHYSDEV_OP_BRIDGED, XT_PHYSDEV_OP_BRIDGED))).toBe(true);
    expect(match(input, info(XT_PHYSDEV_OP_ISOUT, XT_PHYSDEV_OP_ISOUT))).toBe(true);
    // --physdev-out with no out port never matches, negated or not
    expect(match(input, info(XT_PHYSDEV_OP_OUT, XT_PHYSDEV_OP_OUT, '', 'p2'))).toBe(false);
  });

  it('forgets a port that moved to another namespace', () => {
    const moved = param({ physindev: { name: 'p1', net: {} }, physoutdev: null });
    expect(match(moved, info(XT_PHYSDEV_OP_ISIN))).toBe(false);
  });
});
