// nf_tables sets through the user API: hash sets, intervals (rbtree),
// concatenated ranges (pipapo), timeouts, dynamic `add @set`, verdict maps,
// catch-all, and the load of big sets.
import { describe, expect, it } from 'vitest';
import { NF_ACCEPT, NF_DROP, NF_INET_LOCAL_IN, NFPROTO_INET } from '../../../src/kernel/uapi/netfilter.ts';
import {
  NFT_DATA_VERDICT,
  NFT_DYNSET_OP_ADD,
  NFT_JUMP,
  NFT_PAYLOAD_NETWORK_HEADER,
  NFT_REG_1,
  NFT_REG_VERDICT,
  NFT_SET_CONCAT,
  NFT_SET_ELEM_CATCHALL,
  NFT_SET_ELEM_INTERVAL_END,
  NFT_SET_EVAL,
  NFT_SET_INTERVAL,
  NFT_SET_MAP,
  NFT_SET_TIMEOUT,
  type NfTablesMsg,
  type NftExpr,
  type NftSetElem,
  nft_getrule,
  nft_getsetelem,
  NLM_F_CREATE,
  NLM_F_EXCL,
} from '../../../src/kernel/uapi/nf_tables.ts';
import { run, twoHosts } from '../helpers.ts';
import { batch, baseChain, be32, chain, counter, drop, ip4, nfprotoIpv4, rule, table, verdict } from './nft_helpers.ts';

const ping = (h: ReturnType<typeof twoHosts>): number => run(h.world, h.a, ['ping', '-c', '1', '-W', '1', '10.0.0.2']).status;

const set = (
  name: string,
  flags: number,
  keyLen: number,
  extra: Partial<Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWSET' }>> = {},
): NfTablesMsg => ({
  msg: 'NFT_MSG_NEWSET',
  family: NFPROTO_INET,
  table: 'f',
  name,
  flags,
  keyType: 7,
  keyLen,
  nlFlags: NLM_F_CREATE,
  ...extra,
});
const elems = (s: string, elements: NftSetElem[], nlFlags = NLM_F_CREATE): NfTablesMsg => ({
  msg: 'NFT_MSG_NEWSETELEM',
  family: NFPROTO_INET,
  table: 'f',
  set: s,
  elements,
  nlFlags,
});
const saddrLookup = (s: string): NftExpr[] => [
  ...nfprotoIpv4,
  { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 12, len: 4, dreg: NFT_REG_1 },
  { name: 'lookup', set: s, sreg: NFT_REG_1 },
];

describe('nf_tables sets', () => {
  it('a named set of addresses: elements added later are seen by the rule at once', () => {
    const h = twoHosts();
    const r = batch(h.b, [
      table('f'),
      baseChain('f', 'input', NF_INET_LOCAL_IN),
      set('bad', 0, 4),
      rule('f', 'input', [...saddrLookup('bad'), counter, drop]),
    ]);
    expect(r.end.error).toBe(0);
    expect(ping(h)).toBe(0);
    expect(batch(h.b, [elems('bad', [{ key: be32(ip4('10.0.0.1')) }])]).end.error).toBe(0);
    expect(ping(h)).toBe(1);
    // NLM_F_EXCL on an element that exists: EEXIST; without it, nothing happens
    expect(batch(h.b, [elems('bad', [{ key: be32(ip4('10.0.0.1')) }], NLM_F_CREATE | NLM_F_EXCL)]).end.error).toBe(-17);
    expect(batch(h.b, [elems('bad', [{ key: be32(ip4('10.0.0.1')) }])]).end.error).toBe(0);
    // a set a rule uses cannot go
    expect(batch(h.b, [{ msg: 'NFT_MSG_DELSET', family: NFPROTO_INET, table: 'f', name: 'bad' }]).end.error).toBe(-16);
    expect(
      batch(h.b, [{ msg: 'NFT_MSG_DELSETELEM', family: NFPROTO_INET, table: 'f', set: 'bad', elements: [{ key: be32(ip4('10.0.0.1')) }] }])
        .end.error,
    ).toBe(0);
    expect(ping(h)).toBe(0);
  });

  it('intervals: the start and the end-flagged element just past the range; a key on the end is outside', () => {
    const h = twoHosts();
    const r = batch(h.b, [
      table('f'),
      baseChain('f', 'input', NF_INET_LOCAL_IN),
      set('nets', NFT_SET_INTERVAL, 4),
      elems('nets', [
        { key: be32(0), flags: NFT_SET_ELEM_INTERVAL_END },
        { key: be32(ip4('10.0.0.0')) },
        { key: be32(ip4('10.0.0.1')), flags: NFT_SET_ELEM_INTERVAL_END },
      ]),
      rule('f', 'input', [...saddrLookup('nets'), counter, drop]),
    ]);
    expect(r.end.error).toBe(0);
    // 10.0.0.1 is the end of [10.0.0.0, 10.0.0.1): not in
    expect(ping(h)).toBe(0);
    expect(
      batch(h.b, [elems('nets', [{ key: be32(ip4('10.0.0.1')) }, { key: be32(ip4('10.0.0.2')), flags: NFT_SET_ELEM_INTERVAL_END }])]).end
        .error,
    ).toBe(0);
    expect(ping(h)).toBe(1);
    const list = nft_getsetelem(h.b, { family: NFPROTO_INET, table: 'f', set: 'nets' });
    expect(typeof list === 'number' ? list : list.length).toBe(5);
  });

  it('concatenated ranges (pipapo): saddr . daddr with a key end', () => {
    const h = twoHosts();
    const key = (a: string, b: string): Uint8Array => new Uint8Array([...be32(ip4(a)), ...be32(ip4(b))]);
    const r = batch(h.b, [
      table('f'),
      baseChain('f', 'input', NF_INET_LOCAL_IN),
      set('pairs', NFT_SET_INTERVAL | NFT_SET_CONCAT, 8, { desc: { concat: [4, 4] } }),
      elems('pairs', [{ key: key('10.0.0.0', '10.0.0.2'), keyEnd: key('10.0.0.9', '10.0.0.2') }]),
      rule('f', 'input', [
        ...nfprotoIpv4,
        { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 12, len: 4, dreg: NFT_REG_1 },
        { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 16, len: 4, dreg: 9 },
        { name: 'lookup', set: 'pairs', sreg: NFT_REG_1 },
        drop,
      ]),
    ]);
    expect(r.end.error).toBe(0);
    expect(ping(h)).toBe(1);
  });

  it('a dynamic set with a timeout: `add @seen { ip saddr }` from the packet path, gone after the timeout', () => {
    const h = twoHosts();
    const r = batch(h.b, [
      table('f'),
      baseChain('f', 'input', NF_INET_LOCAL_IN),
      set('seen', NFT_SET_TIMEOUT | NFT_SET_EVAL, 4, { timeout: 2000 }),
      rule('f', 'input', [
        ...nfprotoIpv4,
        { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 12, len: 4, dreg: NFT_REG_1 },
        { name: 'dynset', setName: 'seen', op: NFT_DYNSET_OP_ADD, sregKey: NFT_REG_1, exprs: [{ name: 'counter', packets: 0, bytes: 0 }] },
      ]),
    ]);
    expect(r.end.error).toBe(0);
    expect(ping(h)).toBe(0);
    expect(ping(h)).toBe(0);
    const l = nft_getsetelem(h.b, { family: NFPROTO_INET, table: 'f', set: 'seen' });
    if (typeof l === 'number') throw new Error(String(l));
    expect(l).toHaveLength(1);
    expect(l[0]?.key).toEqual(be32(ip4('10.0.0.1')));
    expect(l[0]?.timeout).toBe(2000);
    expect(l[0]?.exprs).toEqual([{ name: 'counter', packets: 2, bytes: 168 }]);
    h.world.sim.runUntil(() => h.world.sim.now > 30e9);
    const l2 = nft_getsetelem(h.b, { family: NFPROTO_INET, table: 'f', set: 'seen' });
    expect(l2).toEqual([]);
    // a timeout on a set without the flag is refused (EINVAL), a dynset on intervals too (EOPNOTSUPP)
    expect(batch(h.b, [set('plain', 0, 4), elems('plain', [{ key: be32(1), timeout: 1000 }])]).end.error).toBe(-22);
  });

  it('a verdict map jumps to chains by address; the catch-all element takes the rest', () => {
    const h = twoHosts();
    const r = batch(h.b, [
      table('f'),
      baseChain('f', 'input', NF_INET_LOCAL_IN),
      chain('f', 'from_a'),
      chain('f', 'others'),
      rule('f', 'from_a', [counter]),
      rule('f', 'others', [counter, drop]),
      set('vm', NFT_SET_MAP, 4, { dataType: NFT_DATA_VERDICT }),
      elems('vm', [
        { key: be32(ip4('10.0.0.1')), data: { verdict: { code: NFT_JUMP, chain: 'from_a' } } },
        { flags: NFT_SET_ELEM_CATCHALL, data: { verdict: { code: NFT_JUMP, chain: 'others' } } },
      ]),
      rule('f', 'input', [
        ...nfprotoIpv4,
        { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 12, len: 4, dreg: NFT_REG_1 },
        { name: 'lookup', set: 'vm', sreg: NFT_REG_1, dreg: NFT_REG_VERDICT },
      ]),
    ]);
    expect(r.end.error).toBe(0);
    expect(ping(h)).toBe(0);
    const rules = nft_getrule(h.b, { chain: 'from_a' });
    expect(typeof rules === 'number' ? rules : rules[0]?.expressions).toEqual([{ name: 'counter', packets: 1, bytes: 84 }]);
    // a chain a map element jumps to is in use
    expect(batch(h.b, [{ msg: 'NFT_MSG_DELCHAIN', family: NFPROTO_INET, table: 'f', name: 'from_a' }]).end.error).toBe(-16);
    // a loop runs into the jump stack's depth: EMLINK, as 6.18 answers
    expect(
      batch(h.b, [rule('f', 'from_a', [verdict(NFT_JUMP, 'others')]), rule('f', 'others', [verdict(NFT_JUMP, 'from_a')])]).end.error,
    ).toBe(-31);
    void NF_ACCEPT;
    void NF_DROP;
  });

  it('100,000 elements load in one batch, quickly, and are found', () => {
    const h = twoHosts();
    const elements: NftSetElem[] = [];
    for (let i = 0; i < 100000; i++) elements.push({ key: be32((ip4('172.16.0.0') + i) >>> 0) });
    elements.push({ key: be32(ip4('10.0.0.1')) });
    const t0 = performance.now();
    const r = batch(h.b, [
      table('f'),
      baseChain('f', 'input', NF_INET_LOCAL_IN),
      set('big', 0, 4),
      elems('big', elements),
      rule('f', 'input', [...saddrLookup('big'), drop]),
    ]);
    const ms = performance.now() - t0;
    expect(r.end.error).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(ping(h)).toBe(1);
    const ivs: NftSetElem[] = [];
    for (let i = 0; i < 50000; i++)
      ivs.push({ key: be32((i * 4) >>> 0) }, { key: be32((i * 4 + 2) >>> 0), flags: NFT_SET_ELEM_INTERVAL_END });
    const t1 = performance.now();
    expect(batch(h.b, [set('bigiv', NFT_SET_INTERVAL, 4), elems('bigiv', ivs)]).end.error).toBe(0);
    expect(performance.now() - t1).toBeLessThan(5000);
  });
});
