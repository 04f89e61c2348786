// Builds nf_tables messages as the nft tool linearizes its rules (src/kernel/uapi/nf_tables.ts),
// for the tests that drive the kernel's nf_tables directly.
import type { Net } from '../../../src/kernel/net_namespace.ts';
import { type RunResult, runScenario } from '../../../src/machine/run.ts';
import { MemVfs } from '../../../src/machine/world.ts';
import { NF_ACCEPT, NF_DROP, NFPROTO_INET, NFPROTO_IPV4 } from '../../../src/kernel/uapi/netfilter.ts';
import {
  type NfTablesMsg,
  NFT_CMP_EQ,
  NFT_META_L4PROTO,
  NFT_META_NFPROTO,
  NFT_PAYLOAD_NETWORK_HEADER,
  NFT_PAYLOAD_TRANSPORT_HEADER,
  NFT_REG_1,
  NFT_REG_VERDICT,
  type NftAck,
  type NftExpr,
  nft_batch_begin,
  nft_batch_end,
  nft_batch_msg,
  NLM_F_APPEND,
  NLM_F_CREATE,
} from '../../../src/kernel/uapi/nf_tables.ts';

export const be16 = (v: number): Uint8Array => new Uint8Array([(v >> 8) & 0xff, v & 0xff]);
export const be32 = (v: number): Uint8Array => new Uint8Array([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
export const le32 = (v: number): Uint8Array => new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
export const u8 = (v: number): Uint8Array => new Uint8Array([v]);
export const ip4 = (s: string): number => s.split('.').reduce((a, x) => ((a << 8) | Number(x)) >>> 0, 0);

/** `meta nfproto ipv4` (what an inet rule on an IPv4 field gets first) */
export const nfprotoIpv4: NftExpr[] = [
  { name: 'meta', key: NFT_META_NFPROTO, dreg: NFT_REG_1 },
  { name: 'cmp', sreg: NFT_REG_1, op: NFT_CMP_EQ, data: u8(NFPROTO_IPV4) },
];

/** `meta l4proto P` */
export const l4proto = (p: number): NftExpr[] => [
  { name: 'meta', key: NFT_META_L4PROTO, dreg: NFT_REG_1 },
  { name: 'cmp', sreg: NFT_REG_1, op: NFT_CMP_EQ, data: u8(p) },
];

/** `ip saddr A` */
export const ipSaddr = (a: string): NftExpr[] => [
  { name: 'payload', base: NFT_PAYLOAD_NETWORK_HEADER, offset: 12, len: 4, dreg: NFT_REG_1 },
  { name: 'cmp', sreg: NFT_REG_1, op: NFT_CMP_EQ, data: be32(ip4(a)) },
];

/** `tcp dport P` / `udp dport P` (after l4proto) */
export const dport = (p: number): NftExpr[] => [
  { name: 'payload', base: NFT_PAYLOAD_TRANSPORT_HEADER, offset: 2, len: 2, dreg: NFT_REG_1 },
  { name: 'cmp', sreg: NFT_REG_1, op: NFT_CMP_EQ, data: be16(p) },
];

export const verdict = (code: number, chain?: string): NftExpr => ({
  name: 'immediate',
  dreg: NFT_REG_VERDICT,
  data: { verdict: chain ? { code, chain } : { code } },
});
export const accept = verdict(NF_ACCEPT);
export const drop = verdict(NF_DROP);
export const counter: NftExpr = { name: 'counter', packets: 0, bytes: 0 };

/** One batch; returns every ack and the end's. */
export function batch(net: Net, msgs: NfTablesMsg[]): { acks: NftAck[]; end: NftAck } {
  const b = nft_batch_begin(net, { pid: 100, comm: 'nft' });
  const acks = msgs.map((m) => nft_batch_msg(b, m));
  const end = nft_batch_end(b);
  return { acks, end };
}

export const table = (name: string, family = NFPROTO_INET): Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWTABLE' }> => ({
  msg: 'NFT_MSG_NEWTABLE',
  family,
  name,
  nlFlags: NLM_F_CREATE,
});

export const baseChain = (
  t: string,
  name: string,
  hooknum: number,
  policy = NF_ACCEPT,
  priority = 0,
  type: 'filter' | 'nat' | 'route' = 'filter',
  family = NFPROTO_INET,
): Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWCHAIN' }> => ({
  msg: 'NFT_MSG_NEWCHAIN',
  family,
  table: t,
  name,
  hook: { hooknum, priority },
  policy,
  type,
  nlFlags: NLM_F_CREATE,
});

export const chain = (t: string, name: string, family = NFPROTO_INET): Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWCHAIN' }> => ({
  msg: 'NFT_MSG_NEWCHAIN',
  family,
  table: t,
  name,
  nlFlags: NLM_F_CREATE,
});

export const rule = (
  t: string,
  c: string,
  expressions: NftExpr[],
  family = NFPROTO_INET,
): Extract<NfTablesMsg, { msg: 'NFT_MSG_NEWRULE' }> => ({
  msg: 'NFT_MSG_NEWRULE',
  family,
  table: t,
  chain: c,
  expressions,
  nlFlags: NLM_F_CREATE | NLM_F_APPEND,
});

/**
 * Runs a shell scenario where `nftk NAME` applies steps[NAME] to the namespace it runs in
 * (ip netns exec NS nftk NAME): the rules come in as the nft tool would send them.
 */
export function nftkScenario(script: string, steps: Record<string, (net: Net) => string | undefined>): RunResult {
  return runScenario(script, new MemVfs(), {
    seed: 1,
    onWorld: (w) => {
      w.commands.set('nftk', function* (ctx) {
        const f = steps[ctx.argv[1] as string];
        if (!f) return 2;
        const out = f(ctx.net);
        if (out) ctx.stdout.write(out);
        yield* [];
        return 0;
      });
    },
  });
}

/** The three-namespace router of the oracle scenarios: a (10.0.1.10) - r - b (10.0.2.10). */
export const ROUTER = `for ns in a r b; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add va netns a address 02:00:00:00:01:0a type veth peer name ra netns r address 02:00:00:00:01:01
ip link add vb netns b address 02:00:00:00:02:0b type veth peer name rb netns r address 02:00:00:00:02:01
ip -n a addr add 10.0.1.10/24 dev va
ip -n r addr add 10.0.1.1/24 dev ra
ip -n r addr add 10.0.2.1/24 dev rb
ip -n b addr add 10.0.2.10/24 dev vb
for l in "a va" "r ra" "r rb" "b vb"; do set -- $l; ip -n $1 link set $2 up; done
ip -n a route add default via 10.0.1.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
`;
