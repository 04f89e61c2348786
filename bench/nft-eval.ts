// nf_tables rule evaluation in skbpath: packets through nft_do_chain for a
// linear chain of 1,000 `ip saddr X drop` rules (none matching, then accept)
// against one rule looking the source up in a 1,000-element set. Prints the
// packets per second of both, the rule evaluations per second of the linear
// chain, and the ratio. Not a test.
//   npx tsx bench/nft-eval.ts [PACKETS]    (or node dist/bench-nft-eval.js)
import { performance } from 'node:perf_hooks';
import type { NfHookEntry, NfHookState } from '../src/kernel/netfilter/core.ts';
import type { Net } from '../src/kernel/net_namespace.ts';
import { alloc_skb } from '../src/kernel/skbuff.ts';
import { NF_ACCEPT, NF_DROP, NF_INET_LOCAL_IN, NFPROTO_IPV4 } from '../src/kernel/uapi/netfilter.ts';
import {
  type NfTablesMsg,
  NFT_CMP_EQ,
  NFT_PAYLOAD_NETWORK_HEADER,
  NFT_REG_1,
  NFT_REG_VERDICT,
  type NftExpr,
  nft_batch_begin,
  nft_batch_end,
  nft_batch_msg,
  NLM_F_APPEND,
  NLM_F_CREATE,
} from '../src/kernel/uapi/nf_tables.ts';
import { MemVfs, SimWorld } from '../src/machine/world.ts';

const N = Number(process.argv[2] ?? 200_000);
const RULES = 1000;
const be32 = (v: number): Uint8Array => new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
const verdict = (code: number): NftExpr => ({ name: 'immediate', dreg: NFT_REG_VERDICT, data: { verdict: { code } } });
const saddr: NftExpr = { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 12, len: 4, dreg: NFT_REG_1 };

function ruleset(net: Net, msgs: NfTablesMsg[]): void {
  const b = nft_batch_begin(net);
  for (const m of msgs) {
    const a = nft_batch_msg(b, m);
    if (a.error) throw new Error(`${m.msg}: ${a.error}`);
  }
  const e = nft_batch_end(b);
  if (e.error) throw new Error(`commit: ${e.error}`);
}

function setup(net: Net, withSet: boolean): NfHookEntry {
  const fam = NFPROTO_IPV4;
  const msgs: NfTablesMsg[] = [
    { msg: 'NFT_MSG_NEWTABLE', family: fam, name: 't', nlFlags: NLM_F_CREATE },
    {
      msg: 'NFT_MSG_NEWCHAIN',
      family: fam,
      table: 't',
      name: 'input',
      hook: { hooknum: NF_INET_LOCAL_IN, priority: 0 },
      policy: NF_ACCEPT,
      type: 'filter',
      nlFlags: NLM_F_CREATE,
    },
  ];
  const rule = (expressions: NftExpr[]): NfTablesMsg => ({
    msg: 'NFT_MSG_NEWRULE',
    family: fam,
    table: 't',
    chain: 'input',
    expressions,
    nlFlags: NLM_F_CREATE | NLM_F_APPEND,
  });
  if (withSet) {
    msgs.push(
      { msg: 'NFT_MSG_NEWSET', family: fam, table: 't', name: 's', keyType: 7, keyLen: 4, flags: 0, nlFlags: NLM_F_CREATE },
      {
        msg: 'NFT_MSG_NEWSETELEM',
        family: fam,
        table: 't',
        set: 's',
        elements: Array.from({ length: RULES }, (_, i) => ({ key: be32(0xc0a80000 + i) })),
        nlFlags: NLM_F_CREATE,
      },
      rule([saddr, { name: 'lookup', set: 's', sreg: NFT_REG_1 }, verdict(NF_DROP)]),
    );
  } else {
    for (let i = 0; i < RULES; i++)
      msgs.push(rule([saddr, { name: 'cmp', sreg: NFT_REG_1, op: NFT_CMP_EQ, data: be32(0xc0a80000 + i) }, verdict(NF_DROP)]));
  }
  msgs.push(rule([verdict(NF_ACCEPT)]));
  ruleset(net, msgs);
  const e = net.nfHooks.entries(NFPROTO_IPV4, NF_INET_LOCAL_IN)?.[0];
  if (!e) throw new Error('no hook');
  return e;
}

function run(withSet: boolean): number {
  const world = new SimWorld(new MemVfs(), { seed: 1 });
  const net = world.createNet(withSet ? 'set' : 'linear');
  const t0 = performance.now();
  const entry = setup(net, withSet);
  const loadMs = performance.now() - t0;
  const skb = alloc_skb(world.kernel, 84, 64);
  const o = skb.put(84);
  skb.head.set([0x45, 0, 0, 84, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], o);
  skb.networkHeader = o;
  skb.protocol = 0x0800;
  const state: NfHookState = { hook: NF_INET_LOCAL_IN, pf: NFPROTO_IPV4, in: null, out: null, sk: null, net };
  for (let i = 0; i < 1000; i++) entry.hook(skb, state);
  const t1 = performance.now();
  for (let i = 0; i < N; i++) if (entry.hook(skb, state) !== NF_ACCEPT) throw new Error('dropped');
  const pps = N / ((performance.now() - t1) / 1000);
  console.log(
    `${withSet ? `1 rule, ${RULES}-element set` : `${RULES} rules, linear`}: loaded in ${loadMs.toFixed(1)} ms, ${Math.round(pps).toLocaleString('en-US')} packets/s`,
  );
  return pps;
}

const linear = run(false);
const set = run(true);
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
console.log(`linear chain: ${fmt(linear * (RULES + 1))} rule evaluations/s (${RULES + 1} rules per packet)`);
console.log(`set lookup: ${fmt(set * 2)} rule evaluations/s (2 rules per packet)`);
console.log(`ratio: the set lookup chain passes ${(set / linear).toFixed(1)}x the packets of the linear chain`);
