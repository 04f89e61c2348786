// nf_tables chains and verdicts through the user API: jump/goto/return,
// the jump stack, rule positions and handles, errors as 6.18 returns them,
// limit, reject, netdev ingress, nftrace events and the generation.
import { describe, expect, it } from 'vitest';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_INET_LOCAL_IN,
  NF_INET_PRE_ROUTING,
  NF_NETDEV_INGRESS,
  NFPROTO_INET,
  NFPROTO_IPV4,
  NFPROTO_NETDEV,
} from '../../../src/kernel/uapi/netfilter.ts';
import {
  NFT_GOTO,
  NFT_JUMP,
  NFT_LIMIT_PKTS,
  NFT_META_NFTRACE,
  NFT_REG_1,
  NFT_REJECT_ICMPX_ADMIN_PROHIBITED,
  NFT_REJECT_ICMPX_UNREACH,
  NFT_RETURN,
  NFT_TRACETYPE_POLICY,
  NFT_TRACETYPE_RULE,
  type NftRulesetEvent,
  type NftTraceEvent,
  nft_getgen,
  nft_getrule,
  nft_gettable,
  nft_subscribe,
  nft_unsubscribe,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
} from '../../../src/kernel/uapi/nf_tables.ts';
import { run, twoHosts } from '../helpers.ts';
import { accept, batch, baseChain, chain, counter, drop, l4proto, nfprotoIpv4, nftkScenario, rule, table, verdict } from './nft_helpers.ts';

const ping = (h: ReturnType<typeof twoHosts>, n = 1): { status: number; out: string } =>
  run(h.world, h.a, ['ping', '-c', String(n), '-i', '0.2', '-W', '1', '10.0.0.2']);

const handles = (h: ReturnType<typeof twoHosts>, c: string): number[] => {
  const r = nft_getrule(h.b, { chain: c });
  return typeof r === 'number' ? [r] : r.map((x) => x.handle as number);
};

describe('nf_tables chains', () => {
  it('jump returns to the next rule, goto does not; return leaves a chain', () => {
    const h = twoHosts();
    const r = batch(h.b, [
      table('f'),
      baseChain('f', 'input', NF_INET_LOCAL_IN, NF_DROP),
      chain('f', 'j'),
      chain('f', 'g'),
      rule('f', 'j', [counter, verdict(NFT_RETURN)]),
      rule('f', 'j', [counter, drop]),
      rule('f', 'g', [counter]),
      rule('f', 'input', [counter, verdict(NFT_JUMP, 'j')]),
      rule('f', 'input', [counter, accept]),
    ]);
    expect(r.end.error).toBe(0);
    expect(ping(h).status).toBe(0);
    // goto g: g ends without a verdict, the base chain's policy (drop) decides
    expect(batch(h.b, [{ ...rule('f', 'input', [verdict(NFT_GOTO, 'g')]), nlFlags: NLM_F_CREATE }]).end.error).toBe(0);
    expect(ping(h).status).toBe(1);
    const rules = nft_getrule(h.b, { table: 'f' });
    if (typeof rules === 'number') throw new Error();
    const count = (c: string): unknown[] => rules.filter((x) => x.chain === c).map((x) => x.expressions.find((e) => e.name === 'counter'));
    expect(count('j')).toEqual([
      { name: 'counter', packets: 1, bytes: 84 },
      { name: 'counter', packets: 0, bytes: 0 },
    ]);
    expect(count('g')).toEqual([{ name: 'counter', packets: 1, bytes: 84 }]);
  });

  it('handles come from the table: chains and rules share them; insert, position and replace', () => {
    const h = twoHosts();
    expect(
      batch(h.b, [table('f'), baseChain('f', 'input', NF_INET_LOCAL_IN), rule('f', 'input', [counter]), rule('f', 'input', [counter])]).end
        .error,
    ).toBe(0);
    expect(handles(h, 'input')).toEqual([2, 3]);
    // insert (no NLM_F_APPEND) goes first; with a position, before that rule; append with a position, after it
    expect(batch(h.b, [{ ...rule('f', 'input', [counter]), nlFlags: NLM_F_CREATE }]).end.error).toBe(0);
    expect(batch(h.b, [{ ...rule('f', 'input', [counter]), position: 3, nlFlags: NLM_F_CREATE }]).end.error).toBe(0);
    expect(batch(h.b, [{ ...rule('f', 'input', [counter]), position: 2, nlFlags: NLM_F_CREATE | NLM_F_APPEND }]).end.error).toBe(0);
    expect(handles(h, 'input')).toEqual([4, 2, 6, 5, 3]);
    // replace keeps the handle
    expect(batch(h.b, [{ ...rule('f', 'input', [accept]), handle: 6, nlFlags: NLM_F_REPLACE }]).end.error).toBe(0);
    expect(handles(h, 'input')).toEqual([4, 2, 6, 5, 3]);
    const del = batch(h.b, [{ msg: 'NFT_MSG_DELRULE', family: NFPROTO_INET, table: 'f', chain: 'input', handle: 99 }]);
    expect(del.end).toEqual({ error: -2, badAttr: 'handle' });
    expect(batch(h.b, [{ msg: 'NFT_MSG_DELRULE', family: NFPROTO_INET, table: 'f', chain: 'input', handle: 5 }]).end.error).toBe(0);
    expect(handles(h, 'input')).toEqual([4, 2, 6, 3]);
    // handles are not given back: a rule refused for its expression used one, one refused at
    // validation two (the kernel replays the batch), a missing position none
    expect(batch(h.b, [rule('f', 'input', [verdict(NFT_JUMP, 'input')])]).end.error).toBe(-95);
    expect(batch(h.b, [rule('f', 'input', [{ name: 'masq' }])]).end.error).toBe(-95);
    expect(batch(h.b, [{ ...rule('f', 'input', [counter]), position: 99 }]).end.error).toBe(-2);
    expect(batch(h.b, [rule('f', 'input', [counter])]).end.error).toBe(0);
    expect(handles(h, 'input')).toEqual([4, 2, 6, 3, 10]);
  });

  it('errors: ENOENT, EEXIST, EBUSY, EOPNOTSUPP, ELOOP, EMLINK as 6.18 answers; a failed batch changes nothing', () => {
    const h = twoHosts();
    expect(batch(h.b, [table('f'), baseChain('f', 'input', NF_INET_LOCAL_IN), chain('f', 'c')]).end.error).toBe(0);
    const gen = nft_getgen(h.b).id;
    const err = (m: Parameters<typeof batch>[1]): number => batch(h.b, m).end.error;
    expect(err([{ msg: 'NFT_MSG_DELTABLE', family: NFPROTO_INET, name: 'nope' }])).toBe(-2);
    expect(err([{ ...table('f'), nlFlags: NLM_F_CREATE | NLM_F_EXCL }])).toBe(-17);
    expect(err([rule('f', 'input', [verdict(NFT_JUMP, 'nope')])])).toBe(-2);
    expect(err([rule('f', 'c', [verdict(NFT_JUMP, 'input')])])).toBe(-95);
    expect(err([rule('f', 'input', [verdict(NFT_JUMP, 'c')]), rule('f', 'c', [verdict(NFT_JUMP, 'c')])])).toBe(-31);
    expect(err([rule('f', 'input', [{ name: 'masq' }])])).toBe(-95);
    expect(err([baseChain('f', 'n', NF_INET_PRE_ROUTING, NF_ACCEPT, -300, 'nat')])).toBe(-95);
    expect(err([{ msg: 'NFT_MSG_NEWCHAIN', family: NFPROTO_INET, table: 'f', name: 'x', policy: NF_DROP }])).toBe(-95);
    expect(err([rule('f', 'input', [{ name: 'nosuchexpr' } as never])])).toBe(-2);
    // a jump chain in use cannot be deleted; a chain with only its own rules can
    expect(
      err([rule('f', 'input', [verdict(NFT_JUMP, 'c')]), { msg: 'NFT_MSG_DELCHAIN', family: NFPROTO_INET, table: 'f', name: 'c' }]),
    ).toBe(-16);
    // 17 chains deep: the jump stack holds 16
    const deep: Parameters<typeof batch>[1] = [];
    for (let i = 0; i < 17; i++) deep.push(chain('f', `d${i}`));
    for (let i = 0; i < 16; i++) deep.push(rule('f', `d${i}`, [verdict(NFT_JUMP, `d${i + 1}`)]));
    deep.push(rule('f', 'input', [verdict(NFT_JUMP, 'd0')]));
    expect(err(deep)).toBe(-31);
    // nothing of the failed batches stayed; the generation did not move
    expect(nft_getgen(h.b).id).toBe(gen);
    expect(handles(h, 'input')).toEqual([]);
    expect(nft_gettable(h.b)).toEqual([{ family: NFPROTO_INET, name: 'f', flags: 0, handle: 1, use: 2 }]);
  });

  it('limit rate 2/second with the default burst of 5 lets a flood through in part', () => {
    const h = twoHosts();
    expect(
      batch(h.b, [
        table('f'),
        baseChain('f', 'input', NF_INET_LOCAL_IN),
        rule('f', 'input', [
          ...nfprotoIpv4,
          ...l4proto(1),
          { name: 'limit', rate: 2, unit: 1, burst: 0, type: NFT_LIMIT_PKTS, flags: 0 },
          counter,
          accept,
        ]),
        rule('f', 'input', [...nfprotoIpv4, ...l4proto(1), counter, drop]),
      ]).end.error,
    ).toBe(0);
    const out = ping(h, 20).out;
    // 20 pings 0.2 s apart over ~4 s: 5 of the burst plus 2 per second
    expect(out).toMatch(/20 packets transmitted, 1[23] received/);
    const rules = nft_getrule(h.b, { chain: 'input' });
    if (typeof rules === 'number') throw new Error();
    expect(rules[0]?.expressions.find((e) => e.name === 'limit')).toEqual({ name: 'limit', rate: 2, unit: 1, burst: 5, type: 0, flags: 0 });
  });

  it('reject with icmpx admin-prohibited: ping says Packet filtered', () => {
    const h = twoHosts();
    expect(
      batch(h.b, [
        table('f'),
        baseChain('f', 'input', NF_INET_LOCAL_IN),
        rule('f', 'input', [
          ...nfprotoIpv4,
          ...l4proto(1),
          { name: 'reject', type: NFT_REJECT_ICMPX_UNREACH, icmpCode: NFT_REJECT_ICMPX_ADMIN_PROHIBITED },
        ]),
      ]).end.error,
    ).toBe(0);
    const r = ping(h);
    expect(r.status).toBe(1);
    expect(r.out).toContain('Packet filtered');
    // icmpx is for inet, netdev and bridge tables only
    expect(
      batch(h.b, [
        table('ip4', NFPROTO_IPV4),
        baseChain('ip4', 'input', NF_INET_LOCAL_IN, NF_ACCEPT, 0, 'filter', NFPROTO_IPV4),
        rule('ip4', 'input', [{ name: 'reject', type: NFT_REJECT_ICMPX_UNREACH, icmpCode: 3 }], NFPROTO_IPV4),
      ]).end.error,
    ).toBe(-22);
  });

  it('reject with tcp reset: the client sees the connection refused', () => {
    const res = nftkScenario(
      `for ns in a b; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip netns exec b nc -l 10.0.0.2 80 > /dev/null &
sleep 0.2
ip netns exec b nftk rst
echo hi | ip netns exec a nc -v -w 1 10.0.0.2 80 2>&1; echo rc=$?
`,
      {
        rst: (net) =>
          `${
            batch(net, [
              table('f'),
              baseChain('f', 'input', NF_INET_LOCAL_IN),
              rule('f', 'input', [...nfprotoIpv4, ...l4proto(6), { name: 'reject', type: 1 }]),
            ]).end.error
          }\n`,
      },
    );
    expect(res.transcript).toContain('0\n');
    expect(res.transcript).toContain('nc: connect to 10.0.0.2 port 80 (tcp) failed: Connection refused\nrc=1');
  });

  it('a netdev ingress chain drops before the IP layer, at nft_do_chain', () => {
    const h = twoHosts();
    const drops: string[] = [];
    h.world.kernel.dropObservers.push((net, _s, _r, loc) => void (net === h.b && drops.push(loc)));
    expect(
      batch(h.b, [
        table('nd', NFPROTO_NETDEV),
        {
          msg: 'NFT_MSG_NEWCHAIN',
          family: NFPROTO_NETDEV,
          table: 'nd',
          name: 'in',
          hook: { hooknum: NF_NETDEV_INGRESS, priority: 0, dev: 'vb' },
          policy: NF_ACCEPT,
          type: 'filter',
        },
        rule('nd', 'in', [counter, drop], NFPROTO_NETDEV),
      ]).end.error,
    ).toBe(0);
    expect(ping(h).status).toBe(1);
    expect(drops[0]).toBe('nft_do_chain');
    // a's ARP requests (28 bytes past the MAC header, as ingress sees them) went unanswered: two counted
    const rules = nft_getrule(h.b, { family: NFPROTO_NETDEV });
    expect(typeof rules === 'number' ? rules : rules[0]?.expressions[0]).toEqual({ name: 'counter', packets: 2, bytes: 56 });
  });

  it('meta nftrace set 1: NFT_MSG_TRACE events name the rule that decided, then the policy', () => {
    const h = twoHosts();
    const events: NftTraceEvent[] = [];
    const rs: NftRulesetEvent[] = [];
    const sub = nft_subscribe(h.b, { trace: (e) => events.push(e), ruleset: (e) => rs.push(e) });
    expect(
      batch(h.b, [
        table('f'),
        baseChain('f', 'pre', NF_INET_PRE_ROUTING, NF_ACCEPT, -300),
        rule('f', 'pre', [
          ...nfprotoIpv4,
          ...l4proto(1),
          { name: 'immediate', dreg: NFT_REG_1, data: { value: new Uint8Array([1, 0, 0, 0]) } },
          { name: 'meta', key: NFT_META_NFTRACE, sreg: NFT_REG_1 },
        ]),
        baseChain('f', 'input', NF_INET_LOCAL_IN),
        rule('f', 'input', [...nfprotoIpv4, ...l4proto(1), counter, drop]),
      ]).end.error,
    ).toBe(0);
    expect(rs.map((e) => e.msg)).toEqual([
      'NFT_MSG_NEWTABLE',
      'NFT_MSG_NEWCHAIN',
      'NFT_MSG_NEWRULE',
      'NFT_MSG_NEWCHAIN',
      'NFT_MSG_NEWRULE',
      'NFT_MSG_NEWGEN',
    ]);
    ping(h);
    nft_unsubscribe(sub);
    expect(events.map((e) => [e.chain, e.type, e.ruleHandle, e.verdict?.code ?? e.policy])).toEqual([
      ['pre', NFT_TRACETYPE_RULE, 2, -1],
      // the end of the chain: a RULE event with no handle (6.18 masks the verdict before telling CONTINUE apart)
      ['pre', NFT_TRACETYPE_RULE, undefined, -1],
      ['pre', NFT_TRACETYPE_POLICY, undefined, NF_ACCEPT],
      ['input', NFT_TRACETYPE_RULE, 4, NF_DROP],
    ]);
    // one id per packet; its headers in the first event only
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(events[0]?.networkHeader?.length).toBe(20);
    expect(events[0]?.transportHeader?.length).toBe(20);
    expect(events[0]?.llHeader?.length).toBe(14);
    expect(events[0]?.iif).toBe(h.b.devByName.get('vb')?.ifindex);
    expect(events[1]?.networkHeader).toBeUndefined();
    expect(events[3]?.networkHeader).toBeDefined();
  });
});
