// The nf_tables interface iptables uses (src/kernel/uapi/nf_tables.ts): a batch
// is one transaction; the kernel checks each rule's extensions against its
// xt_match/xt_target registry and aborts leave the rule set as it was.
import { describe, expect, it } from 'vitest';
import { xt_af } from '../../src/kernel/netfilter/x_tables.ts';
import { NF_DROP } from '../../src/kernel/uapi/netfilter.ts';
import { nfnl_batch_abort, nfnl_batch_begin, nfnl_batch_end, nfnl_batch_send, nft_dump_table } from '../../src/kernel/uapi/nf_tables.ts';
import type { RuleSpec } from '../../src/kernel/uapi/x_tables.ts';
import { MATCHES, TARGETS } from '../../src/userspace/tools/iptables/extensions.ts';
import { twoHosts } from './helpers.ts';

const rule = (target: RuleSpec['target'], proto = 0): RuleSpec => ({
  src: 0,
  smsk: 0,
  dst: 0,
  dmsk: 0,
  iniface: '',
  outiface: '',
  proto,
  invflags: 0,
  frag: false,
  matches: [],
  target,
});

describe('nf_tables batches', () => {
  it('every iptables extension has its kernel match or target registered', () => {
    const { world } = twoHosts();
    const af = xt_af(world.kernel);
    for (const m of MATCHES) expect(af.matches.has(m.name), m.name).toBe(true);
    for (const t of TARGETS) expect(af.targets.has(t.kind), t.kind).toBe(true);
  });

  it('commits a table, chains and rules; a refused rule aborts the whole batch', () => {
    const { world, a } = twoHosts();
    const b = nfnl_batch_begin(a);
    expect(nfnl_batch_send(b, { type: 'NEWTABLE', table: 'filter' })).toBe(0);
    expect(nfnl_batch_send(b, { type: 'NEWCHAIN', table: 'filter', chain: 'INPUT', policy: NF_DROP })).toBe(0);
    expect(nfnl_batch_send(b, { type: 'NEWCHAIN', table: 'filter', chain: 'web' })).toBe(0);
    expect(
      nfnl_batch_send(b, {
        type: 'NEWRULE',
        table: 'filter',
        chain: 'INPUT',
        spec: rule({ kind: 'jump', chain: 'web', goto: false }),
        append: true,
      }),
    ).toBe(0);
    nfnl_batch_end(b);
    const before = nft_dump_table(a, 'filter');
    expect(before?.chains.map((c) => [c.name, c.hook, c.use, c.rules.length])).toEqual([
      ['INPUT', 1, 0, 1],
      ['web', -1, 1, 0],
    ]);

    const b2 = nfnl_batch_begin(a);
    expect(nfnl_batch_send(b2, { type: 'RENAMECHAIN', table: 'filter', chain: 'web', name: 'www' })).toBe(0);
    expect(nfnl_batch_send(b2, { type: 'DELRULE', table: 'filter', chain: 'INPUT' })).toBe(0);
    // DNAT is a nat table target: xt_check_target refuses it and says why
    expect(
      nfnl_batch_send(b2, {
        type: 'NEWRULE',
        table: 'filter',
        chain: 'INPUT',
        spec: rule({ kind: 'DNAT', range: { flags: 0, minAddr: 0, maxAddr: 0, minProto: 0, maxProto: 0, baseProto: 0 } }),
        append: true,
      }),
    ).toBe(-22);
    nfnl_batch_abort(b2);
    expect(nft_dump_table(a, 'filter')).toEqual(before);
    expect(world.kernel.kmsg.read().map((r) => r.text)).toEqual(['x_tables: ip_tables: DNAT target: only valid in nat table, not filter']);
  });

  it('a jump that would bring a target to a hook it may not run in fails validation (nft_chain_validate), silently', () => {
    const { world, a } = twoHosts();
    const b = nfnl_batch_begin(a);
    nfnl_batch_send(b, { type: 'NEWTABLE', table: 'nat' });
    nfnl_batch_send(b, { type: 'NEWCHAIN', table: 'nat', chain: 'X' });
    expect(
      nfnl_batch_send(b, {
        type: 'NEWRULE',
        table: 'nat',
        chain: 'X',
        spec: rule({ kind: 'MASQUERADE', range: { flags: 0, minAddr: 0, maxAddr: 0, minProto: 0, maxProto: 0, baseProto: 0 } }),
        append: true,
      }),
    ).toBe(0);
    nfnl_batch_send(b, { type: 'NEWCHAIN', table: 'nat', chain: 'PREROUTING' });
    expect(
      nfnl_batch_send(b, {
        type: 'NEWRULE',
        table: 'nat',
        chain: 'PREROUTING',
        spec: rule({ kind: 'jump', chain: 'X', goto: false }),
        append: true,
      }),
    ).toBe(-22);
    nfnl_batch_abort(b);
    expect(nft_dump_table(a, 'nat')).toBeNull();
    expect(world.kernel.kmsg.read()).toEqual([]);
  });
});
