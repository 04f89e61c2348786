// NAT through nf_tables: masquerade and dnat with a map on a router, numgen
// load balancing, redirect; the NAT core (nf_nat) is the one iptables uses.
import { describe, expect, it } from 'vitest';
import { NF_INET_POST_ROUTING, NF_INET_PRE_ROUTING, NFPROTO_IPV4 } from '../../../src/kernel/uapi/netfilter.ts';
import {
  NFT_CMP_EQ,
  NFT_META_OIFNAME,
  NFT_NAT_DNAT,
  NFT_NG_INCREMENTAL,
  NFT_PAYLOAD_NETWORK_HEADER,
  NFT_REG_1,
  NFT_REG_2,
  NFT_SET_MAP,
  NLM_F_CREATE,
} from '../../../src/kernel/uapi/nf_tables.ts';
import { batch, baseChain, be16, be32, counter, dport, ip4, l4proto, nftkScenario, ROUTER, rule, table } from './nft_helpers.ts';

const name16 = (s: string): Uint8Array => {
  const b = new Uint8Array(s.length + 1);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
};

describe('nf_tables NAT', () => {
  it('masquerade on the router: b sees r, conntrack shows the mapping, counters count', () => {
    const res = nftkScenario(
      `${ROUTER}ip netns exec r nftk masq
ip netns exec a ping -c 2 -i 0.2 10.0.2.10 | grep -c ttl
ip netns exec r conntrack -L 2>/dev/null
ip netns exec r nftk counters
`,
      {
        masq: (net) => {
          const r = batch(net, [
            table('nat', NFPROTO_IPV4),
            baseChain('nat', 'postrouting', NF_INET_POST_ROUTING, 1, 100, 'nat', NFPROTO_IPV4),
            rule(
              'nat',
              'postrouting',
              [
                { name: 'meta', key: NFT_META_OIFNAME, dreg: NFT_REG_1 },
                { name: 'cmp', sreg: NFT_REG_1, op: NFT_CMP_EQ, data: name16('rb') },
                counter,
                { name: 'masq' },
              ],
              NFPROTO_IPV4,
            ),
          ]);
          return `${r.acks.map((a) => a.error).join(' ')} ${r.end.error}\n`;
        },
        counters: (net) => {
          const rules = nftGetRules(net);
          return `${JSON.stringify(rules)}\n`;
        },
      },
    );
    expect(res.transcript).toContain('0 0 0 0\n2\n');
    expect(res.transcript).toMatch(/icmp +1 \d+ src=10\.0\.1\.10 dst=10\.0\.2\.10 type=8 code=0 id=\d+ src=10\.0\.2\.10 dst=10\.0\.2\.1 /);
    // only the connection's first packet goes through the nat chain
    expect(res.transcript).toContain('{"name":"counter","packets":1,"bytes":84}');
  });

  it('dnat through a map of ports and numgen inc mod 3 spreading connections over three backends', () => {
    const res = nftkScenario(
      `${ROUTER}ip -n b addr add 10.0.2.11/24 dev vb
ip -n b addr add 10.0.2.12/24 dev vb
ip netns exec r nftk dnat
for i in 1 2 3 4 5 6; do ip netns exec a ping -c 1 -W 1 10.0.1.1 > /dev/null; done
ip netns exec r conntrack -L 2>/dev/null | sed 's/id=[0-9]*//' | sort
`,
      {
        dnat: (net) => {
          const r = batch(net, [
            table('nat', NFPROTO_IPV4),
            baseChain('nat', 'prerouting', NF_INET_PRE_ROUTING, 1, -100, 'nat', NFPROTO_IPV4),
            {
              msg: 'NFT_MSG_NEWSET',
              family: NFPROTO_IPV4,
              table: 'nat',
              name: '__map%d',
              id: 1,
              flags: NFT_SET_MAP | 0x1 | 0x2,
              keyType: 7,
              keyLen: 4,
              dataType: 7,
              dataLen: 4,
              nlFlags: NLM_F_CREATE,
            },
            {
              msg: 'NFT_MSG_NEWSETELEM',
              family: NFPROTO_IPV4,
              table: 'nat',
              set: '__map%d',
              setId: 1,
              elements: [0, 1, 2].map((i) => ({ key: new Uint8Array([i, 0, 0, 0]), data: { value: be32(ip4(`10.0.2.${10 + i}`)) } })),
              nlFlags: NLM_F_CREATE,
            },
            rule(
              'nat',
              'prerouting',
              [
                ...l4proto(1),
                { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 16, len: 4, dreg: NFT_REG_1 },
                { name: 'cmp', sreg: NFT_REG_1, op: NFT_CMP_EQ, data: be32(ip4('10.0.1.1')) },
                { name: 'numgen', dreg: NFT_REG_1, modulus: 3, type: NFT_NG_INCREMENTAL, offset: 0 },
                { name: 'lookup', set: '__map%d', setId: 1, sreg: NFT_REG_1, dreg: NFT_REG_1 },
                { name: 'nat', type: NFT_NAT_DNAT, family: NFPROTO_IPV4, regAddrMin: NFT_REG_1 },
              ],
              NFPROTO_IPV4,
            ),
          ]);
          return `${r.acks.map((a) => a.error).join(' ')} ${r.end.error}\n`;
        },
      },
    );
    expect(res.transcript.split('\n')[0]).toBe('0 0 0 0 0 0');
    const lines = res.transcript.split('\n').filter((l) => l.startsWith('icmp'));
    expect(lines).toHaveLength(6);
    const backends = lines.map((l) => /src=(10\.0\.2\.1\d) dst=10\.0\.1\.10/.exec(l)?.[1]);
    expect(backends.sort()).toEqual(['10.0.2.10', '10.0.2.10', '10.0.2.11', '10.0.2.11', '10.0.2.12', '10.0.2.12']);
    void be16;
    void dport;
    void NFT_REG_2;
  });
});

import type { Net } from '../../../src/kernel/net_namespace.ts';
import { nft_getrule } from '../../../src/kernel/uapi/nf_tables.ts';

function nftGetRules(net: Net): unknown {
  const r = nft_getrule(net, {});
  return typeof r === 'number' ? r : r.map((x) => x.expressions.filter((e) => e.name === 'counter'));
}
