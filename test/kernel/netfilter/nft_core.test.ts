// nf_tables driven through its user API as the nft tool drives it: base
// chains on the IPv4 hooks, policies, verdicts, jumps, counters, errors.
import { describe, expect, it } from 'vitest';
import { NF_DROP, NF_INET_LOCAL_IN, NF_INET_LOCAL_OUT } from '../../../src/kernel/uapi/netfilter.ts';
import { nft_getchain, nft_getrule } from '../../../src/kernel/uapi/nf_tables.ts';
import { run, twoHosts } from '../helpers.ts';
import { accept, batch, baseChain, counter, drop, l4proto, nfprotoIpv4, rule, table } from './nft_helpers.ts';

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
