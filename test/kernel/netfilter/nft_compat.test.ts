// iptables-nft's tables through nf_tables dumps: the same commands ran with
// iptables-nft 1.8.9 on Linux 6.18 (fixtures/real-nft-iptables.txt, from
// nft_compat.record.ts) and here; each rule's expressions, in libnftnl's
// debug notation, must be those iptables-nft put in the kernel.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Net } from '../../../src/kernel/net_namespace.ts';
import { NF_ACCEPT, NF_DROP, NFPROTO_IPV4 } from '../../../src/kernel/uapi/netfilter.ts';
import {
  NFT_GOTO,
  NFT_JUMP,
  NFT_RETURN,
  type NftExpr,
  nft_getchain,
  nft_getrule,
  nft_gettable,
} from '../../../src/kernel/uapi/nf_tables.ts';
import { nftkScenario } from './nft_helpers.ts';

const META = ['len', 'protocol', 'priority', 'mark', 'iif', 'oif', 'iifname', 'oifname'];
META[16] = 'l4proto';
const BASES = ['link layer', 'network header', 'transport header'];
const OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'];

/** libnftnl prints data as 32-bit words read in host (little-endian) order. */
function words(d: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < d.length; i += 4) {
    let v = 0;
    for (let j = 3; j >= 0; j--) v = v * 256 + (i + j < d.length ? (d[i + j] as number) : 0);
    out.push(`0x${v.toString(16).padStart(8, '0')}`);
  }
  return out.join(' ');
}

function reg(r: number): number {
  return r <= 4 ? r : r;
}

function debug(e: NftExpr): string {
  switch (e.name) {
    case 'meta':
      return 'dreg' in e ? `meta load ${META[e.key]} => reg ${reg(e.dreg)}` : `meta set`;
    case 'cmp':
      return `cmp ${OPS[e.op]} reg ${e.sreg} ${words(e.data)}`;
    case 'payload':
      return 'dreg' in e ? `payload load ${e.len}b @ ${BASES[e.base]} + ${e.offset} => reg ${e.dreg}` : 'payload write';
    case 'bitwise':
      return `bitwise reg ${e.dreg} = ( reg ${e.sreg} & ${words(e.mask ?? new Uint8Array())} ) ^ ${words(e.xor ?? new Uint8Array())}`;
    case 'range':
      return `range ${e.op ? 'neq' : 'eq'} reg ${e.sreg} ${words(e.fromData)} ${words(e.toData)}`;
    case 'counter':
      return `counter pkts ${e.packets} bytes ${e.bytes}`;
    case 'immediate': {
      if (!('verdict' in e.data)) return 'immediate value';
      const v = e.data.verdict;
      const name =
        v.code === NF_ACCEPT
          ? 'accept'
          : v.code === NF_DROP
            ? 'drop'
            : v.code === NFT_RETURN
              ? 'return'
              : v.code === NFT_JUMP
                ? `jump -> ${v.chain}`
                : v.code === NFT_GOTO
                  ? `goto -> ${v.chain}`
                  : String(v.code);
      return `immediate reg 0 ${name}`;
    }
    case 'match':
      return `match name ${e.matchName} rev ${e.rev}`;
    case 'target':
      return `target name ${e.targetName} rev ${e.rev}`;
    case 'limit': {
      const unit = { 1: 'second', 60: 'minute', 3600: 'hour', 86400: 'day' }[e.unit] ?? String(e.unit);
      return `limit rate ${e.rate}/${unit} burst ${e.burst} type ${e.type ? 'bytes' : 'packets'} flags 0x${(e.flags ?? 0).toString(16)}`;
    }
  }
  return e.name;
}

/** nft --debug=netlink's rule blocks: tables in order, chains in order, each rule with its position. */
function render(net: Net): string {
  let out = '';
  const chains = nft_getchain(net, { family: NFPROTO_IPV4 });
  if (typeof chains === 'number') return String(chains);
  for (const c of chains) {
    const rules = nft_getrule(net, { family: NFPROTO_IPV4, table: c.table, chain: c.name });
    if (typeof rules === 'number') return String(rules);
    for (const r of rules) {
      out += `ip ${r.table} ${r.chain} ${r.handle}${r.position !== undefined ? ` ${r.position}` : ''}\n`;
      for (const e of r.expressions) out += `  [ ${debug(e)} ]\n`;
    }
  }
  return out;
}

describe('iptables-nft tables through nf_tables', () => {
  it('every rule holds the expressions iptables-nft 1.8.9 sends, with the handles 6.18 gives', () => {
    const script = readFileSync(new URL('./nft-iptables.sh', import.meta.url), 'utf8').replace(
      /ip netns exec zznftk nft --debug=netlink list ruleset .*\n/,
      'ip netns exec zznftk nftk render\n',
    );
    const res = nftkScenario(script, { render });
    expect(res.transcript).toBe(readFileSync(new URL('./fixtures/real-nft-iptables.txt', import.meta.url), 'utf8'));
  });

  it('tables, chains and policies; nft may flush and delete them', () => {
    const res = nftkScenario(
      `ip netns add n
ip netns exec n iptables -A INPUT -j ACCEPT
ip netns exec n iptables -P FORWARD DROP
ip netns exec n iptables -t nat -A POSTROUTING -j MASQUERADE
ip netns exec n nftk show
ip netns exec n nftk flush
ip netns exec n iptables -S
ip netns exec n iptables -t nat -S
`,
      {
        show: (net) => `${JSON.stringify(nft_gettable(net))}\n${JSON.stringify(nft_getchain(net))}\n`,
        flush: (net) => {
          const { batch } = helpers;
          return `${batch(net, [{ msg: 'NFT_MSG_DELTABLE', family: 0 }]).end.error}\n`;
        },
      },
    );
    const [tables, chains, flushed, ...rest] = res.transcript.split('\n');
    expect(JSON.parse(tables as string)).toEqual([
      { family: 2, name: 'filter', flags: 0, handle: 1, use: 2 },
      { family: 2, name: 'nat', flags: 0, handle: 2, use: 1 },
    ]);
    expect(JSON.parse(chains as string)).toEqual([
      {
        family: 2,
        table: 'filter',
        name: 'INPUT',
        handle: 1,
        use: 1,
        flags: 1,
        hook: { hooknum: 1, priority: 0 },
        policy: 1,
        type: 'filter',
      },
      {
        family: 2,
        table: 'filter',
        name: 'FORWARD',
        handle: 3,
        use: 0,
        flags: 1,
        hook: { hooknum: 2, priority: 0 },
        policy: 0,
        type: 'filter',
        counters: { packets: 0, bytes: 0 },
      },
      {
        family: 2,
        table: 'nat',
        name: 'POSTROUTING',
        handle: 1,
        use: 1,
        flags: 1,
        hook: { hooknum: 4, priority: 100 },
        policy: 1,
        type: 'nat',
      },
    ]);
    expect(flushed).toBe('0');
    expect(rest.join('\n')).toBe(
      '-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n',
    );
  });
});

import * as helpers from './nft_helpers.ts';
