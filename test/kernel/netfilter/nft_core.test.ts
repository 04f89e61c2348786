// nf_tables driven through its user API as the nft tool drives it: base
// chains on the IPv4 hooks, policies, verdicts, jumps, counters, errors.
import { describe, expect, it } from 'vitest';
import { NF_DROP, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT } from '../../../src/kernel/uapi/netfilter.ts';
import {
  NF_CT_STATE_ESTABLISHED_BIT,
  NF_CT_STATE_RELATED_BIT,
  NFT_CMP_NEQ,
  NFT_CT_STATE,
  NFT_OBJECT_COUNTER,
  NFT_OBJECT_QUOTA,
  NFT_REG_1,
  NFT_TABLE_F_DORMANT,
  type NftExpr,
  nft_getchain,
  nft_getgen,
  nft_getobj,
  nft_getrule,
} from '../../../src/kernel/uapi/nf_tables.ts';
import { NF_ACCEPT, NFPROTO_ARP, NFPROTO_BRIDGE, NFPROTO_INET, NFPROTO_IPV6 } from '../../../src/kernel/uapi/netfilter.ts';
import { run, twoHosts } from '../helpers.ts';
import { accept, batch, baseChain, counter, drop, l4proto, le32, nfprotoIpv4, rule, table } from './nft_helpers.ts';

const ping = (h: ReturnType<typeof twoHosts>): number => run(h.world, h.a, ['ping', '-c', '1', '-W', '1', '10.0.0.2']).status;

describe('nf_tables base chains', () => {
  it('an inet input chain with a drop policy drops the ping; an accept rule lets it in and counts it', () => {
    const h = twoHosts();
    expect(ping(h)).toBe(0);
    const r = batch(h.b, [table('filter'), baseChain('filter', 'input', NF_INET_LOCAL_IN, NF_DROP)]);
    expect(r.end.error).toBe(0);
    expect(ping(h)).toBe(1);
    expect(batch(h.b, [rule('filter', 'input', [...nfprotoIpv4, ...l4proto(1), counter, accept])]).end.error).toBe(0);
    expect(ping(h)).toBe(0);
    const rules = nft_getrule(h.b, { table: 'filter' });
    if (typeof rules === 'number') throw new Error(String(rules));
    const c = rules[0]?.expressions.find((e) => e.name === 'counter');
    expect(c).toEqual({ name: 'counter', packets: 1, bytes: 84 });
    const chains = nft_getchain(h.b, {});
    expect(chains).toMatchObject([{ name: 'input', handle: 1, use: 1, policy: NF_DROP }]);
    void drop;
    void NF_INET_LOCAL_OUT;
  });
});

describe('nf_tables scale', () => {
  it('a 10,000-rule batch loads in linear time and the last rule still decides', () => {
    const h = twoHosts();
    const msgs: Parameters<typeof batch>[1] = [table('filter'), baseChain('filter', 'input', NF_INET_LOCAL_IN)];
    for (let i = 0; i < 10000; i++) msgs.push(rule('filter', 'input', [...nfprotoIpv4, ...l4proto(200 + (i % 50)), counter, drop]));
    msgs.push(rule('filter', 'input', [...nfprotoIpv4, ...l4proto(1), counter, drop]));
    const t0 = performance.now();
    const r = batch(h.b, msgs);
    expect(r.end.error).toBe(0);
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(ping(h)).toBe(1);
    const rules = nft_getrule(h.b, { table: 'filter' });
    expect(typeof rules === 'number' ? rules : rules.length).toBe(10001);
  });
});

describe('nf_tables objects, conntrack state, dormant tables', () => {
  it('ct state established,related accepts the replies of what the host sent; new is dropped', () => {
    const h = twoHosts();
    const ctState = (bits: number): NftExpr[] => [
      { name: 'ct', key: NFT_CT_STATE, dreg: NFT_REG_1 },
      { name: 'bitwise', sreg: NFT_REG_1, dreg: NFT_REG_1, len: 4, op: 0, mask: le32(bits), xor: le32(0) },
      { name: 'cmp', sreg: NFT_REG_1, op: NFT_CMP_NEQ, data: le32(0) },
    ];
    expect(
      batch(h.a, [
        table('f'),
        baseChain('f', 'input', NF_INET_LOCAL_IN, NF_DROP),
        rule('f', 'input', [...ctState(NF_CT_STATE_ESTABLISHED_BIT | NF_CT_STATE_RELATED_BIT), counter, accept]),
      ]).end.error,
    ).toBe(0);
    // a pings b: the replies are ESTABLISHED and come in
    expect(ping(h)).toBe(0);
    // b pings a: NEW, dropped by the policy
    expect(run(h.world, h.b, ['ping', '-c', '1', '-W', '1', '10.0.0.1']).status).toBe(1);
    const rules = nft_getrule(h.a, {});
    expect(typeof rules === 'number' ? rules : rules[0]?.expressions[3]).toEqual({ name: 'counter', packets: 1, bytes: 84 });
  });

  it('named counter and quota objects: rules count into them; reset reads and zeroes', () => {
    const h = twoHosts();
    expect(
      batch(h.b, [
        table('f'),
        baseChain('f', 'input', NF_INET_LOCAL_IN),
        {
          msg: 'NFT_MSG_NEWOBJ',
          family: NFPROTO_INET,
          table: 'f',
          name: 'pings',
          data: { type: NFT_OBJECT_COUNTER, packets: 0, bytes: 0 },
        },
        {
          msg: 'NFT_MSG_NEWOBJ',
          family: NFPROTO_INET,
          table: 'f',
          name: 'q',
          data: { type: NFT_OBJECT_QUOTA, bytes: 100, consumed: 0, flags: 0 },
        },
        rule('f', 'input', [...nfprotoIpv4, ...l4proto(1), { name: 'objref', immType: NFT_OBJECT_COUNTER, immName: 'pings' }]),
        // quota until 100 bytes: the first ping (84) fits, the second goes over and is dropped
        rule('f', 'input', [...nfprotoIpv4, ...l4proto(1), { name: 'objref', immType: NFT_OBJECT_QUOTA, immName: 'q' }, accept]),
        rule('f', 'input', [...nfprotoIpv4, ...l4proto(1), drop]),
      ]).end.error,
    ).toBe(0);
    expect(ping(h)).toBe(0);
    expect(ping(h)).toBe(1);
    expect(nft_getobj(h.b, { reset: true })).toEqual([
      { family: NFPROTO_INET, table: 'f', name: 'pings', handle: 2, use: 1, data: { type: NFT_OBJECT_COUNTER, packets: 2, bytes: 168 } },
      {
        family: NFPROTO_INET,
        table: 'f',
        name: 'q',
        handle: 3,
        use: 1,
        data: { type: NFT_OBJECT_QUOTA, bytes: 100, consumed: 168, flags: 0 },
      },
    ]);
    const after = nft_getobj(h.b, { name: 'pings' });
    expect(typeof after === 'number' ? after : after[0]?.data).toEqual({ type: NFT_OBJECT_COUNTER, packets: 0, bytes: 0 });
    // an object a rule uses cannot go
    expect(
      batch(h.b, [{ msg: 'NFT_MSG_DELOBJ', family: NFPROTO_INET, table: 'f', name: 'pings', objType: NFT_OBJECT_COUNTER }]).end.error,
    ).toBe(-16);
  });

  it('a dormant table leaves its hooks; waking it puts them back', () => {
    const h = twoHosts();
    expect(batch(h.b, [table('f'), baseChain('f', 'input', NF_INET_LOCAL_IN, NF_DROP)]).end.error).toBe(0);
    expect(ping(h)).toBe(1);
    expect(batch(h.b, [{ ...table('f'), flags: NFT_TABLE_F_DORMANT }]).end.error).toBe(0);
    expect(ping(h)).toBe(0);
    expect(batch(h.b, [{ ...table('f'), flags: 0 }]).end.error).toBe(0);
    expect(ping(h)).toBe(1);
    expect(batch(h.b, [{ msg: 'NFT_MSG_DELTABLE', family: NFPROTO_INET, name: 'f' }]).end.error).toBe(0);
    expect(ping(h)).toBe(0);
    expect(nft_getgen(h.b).id).toBe(5);
  });
});

describe('nf_tables families', () => {
  it('ip6, arp and bridge tables and base chains can be made and listed; a hook a family lacks is EOPNOTSUPP', () => {
    const h = twoHosts();
    const fams = [NFPROTO_IPV6, NFPROTO_ARP, NFPROTO_BRIDGE];
    const msgs: Parameters<typeof batch>[1] = [];
    for (const f of fams)
      msgs.push(table('t', f), baseChain('t', 'c', f === NFPROTO_ARP ? 1 : NF_INET_LOCAL_IN, NF_ACCEPT, 0, 'filter', f));
    expect(batch(h.b, msgs).end.error).toBe(0);
    const chains = nft_getchain(h.b, {});
    expect(typeof chains === 'number' ? chains : chains.map((c) => [c.family, c.name, c.hook?.hooknum])).toEqual([
      [NFPROTO_IPV6, 'c', 1],
      [NFPROTO_ARP, 'c', 1],
      [NFPROTO_BRIDGE, 'c', 1],
    ]);
    // arp has no forward... but input/output; a nat chain needs ip, ip6 or inet
    expect(batch(h.b, [baseChain('t', 'x', 4, NF_ACCEPT, 0, 'filter', NFPROTO_ARP)]).end.error).toBe(-95);
    expect(batch(h.b, [baseChain('t', 'n', 0, NF_ACCEPT, -100, 'nat', NFPROTO_BRIDGE)]).end.error).toBe(-2);
  });
});
