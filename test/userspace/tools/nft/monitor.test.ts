// nft monitor trace's printing (issue 20, src/userspace/tools/nft/monitor.ts): NFT_MSG_TRACE
// events carrying the headers the kernel copies (nf_trace_fill_pkt_info) print as nft 1.0.6
// printed them. The expected lines are nft 1.0.6's own, from the runs recorded for
// test/oracle/golden/nft-monitor-trace and nft-trace-chains (there the ids, ports and
// payloads that differ between runs are masked; here the events carry the values of one run).
import { describe, expect, it } from 'vitest';
import {
  NFT_TRACETYPE_POLICY,
  NFT_TRACETYPE_RETURN,
  NFT_TRACETYPE_RULE,
  type NftTraceEvent,
} from '../../../../src/kernel/uapi/nf_tables.ts';
import { formatDrops, formatPath } from '../../../../src/machine/path_report.ts';
import { runScenario } from '../../../../src/machine/run.ts';
import { MemVfs } from '../../../../src/machine/world.ts';
import { nftRuleResolver, type TraceEnv, traceEventText } from '../../../../src/userspace/tools/nft/monitor.ts';

const hex = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (b) => Number.parseInt(b, 16));
const be16 = (n: number): string => n.toString(16).padStart(4, '0');
const ETH = hex('02000000000b 02000000000a 0800');
const ipHdr = (len: number, id: number, proto: number): Uint8Array =>
  hex(`4500 ${be16(len)} ${be16(id)} 4000 40 ${proto.toString(16).padStart(2, '0')} 0000 0a000001 0a000002`);

const RULES: Record<string, string> = {
  'inet filter prerouting 2': 'ip protocol icmp meta nftrace set 1',
  'inet filter input 4': 'icmp type echo-request counter packets 0 bytes 0 drop',
  'ip t pre 4': 'meta l4proto udp meta nftrace set 1 meta mark set 0x00000005',
  'ip t in 9': 'udp dport { 81, 82 } jump other',
  'ip t other 6': 'udp dport 81 return',
};
const FAMILIES: Record<number, string> = { 1: 'inet', 2: 'ip', 5: 'netdev' };
const env: TraceEnv = {
  numeric: 0,
  ifname: (i) => (i === 2 ? 'vb' : undefined),
  rule: (family, table, chain, handle) => RULES[`${FAMILIES[family]} ${table} ${chain} ${handle}`],
};
const dev = { iif: 2, iiftype: 1 };

describe('nft monitor trace lines', () => {
  it('an ICMP echo request in an inet table: packet, rule, policy', () => {
    const pkt: Partial<NftTraceEvent> = {
      ...dev,
      llHeader: ETH,
      networkHeader: ipHdr(84, 41831, 1),
      transportHeader: hex(`0800 0000 ${be16(22390)} 0001 7b4b176b0000000053640d00`),
    };
    const base = { family: 1, table: 'filter', id: 0xbd25e041, nfproto: 2 };
    const first = traceEventText(
      { ...base, ...pkt, chain: 'prerouting', type: NFT_TRACETYPE_RULE, ruleHandle: 2, verdict: { code: -1 } },
      env,
    );
    expect(first).toBe(
      'trace id bd25e041 inet filter prerouting packet: iif "vb" ether saddr 02:00:00:00:00:0a ether daddr 02:00:00:00:00:0b ip saddr 10.0.0.1 ip daddr 10.0.0.2 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 41831 ip protocol icmp ip length 84 icmp type echo-request icmp code net-unreachable icmp id 22390 icmp sequence 1 @th,64,96 0x7b4b176b0000000053640d00 \n' +
        'trace id bd25e041 inet filter prerouting rule ip protocol icmp meta nftrace set 1 (verdict continue)\n',
    );
    expect(traceEventText({ ...base, chain: 'prerouting', type: NFT_TRACETYPE_POLICY, policy: 1 }, env)).toBe(
      'trace id bd25e041 inet filter prerouting policy accept \n',
    );
    expect(traceEventText({ ...base, chain: 'input', type: NFT_TRACETYPE_RULE, ruleHandle: 4, verdict: { code: 0 } }, env)).toBe(
      'trace id bd25e041 inet filter input rule icmp type echo-request counter packets 0 bytes 0 drop (verdict drop)\n',
    );
  });

  it('UDP in an ip table: no ip protocol, a raw rest, jumps, returns and a mark', () => {
    const base = { family: 2, table: 't', id: 0xeffa0607, nfproto: 2 };
    const udp = { ...dev, llHeader: ETH, networkHeader: ipHdr(30, 5457, 17), transportHeader: hex(`${be16(34233)} 0051 000a 0000 780a`) };
    expect(traceEventText({ ...base, ...udp, chain: 'pre', type: NFT_TRACETYPE_RULE, ruleHandle: 4, verdict: { code: -1 } }, env)).toBe(
      'trace id effa0607 ip t pre packet: iif "vb" ether saddr 02:00:00:00:00:0a ether daddr 02:00:00:00:00:0b ip saddr 10.0.0.1 ip daddr 10.0.0.2 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 5457 ip length 30 udp sport 34233 udp dport 81 udp length 10 @th,64,16 0x780a \n' +
        'trace id effa0607 ip t pre rule meta l4proto udp meta nftrace set 1 meta mark set 0x00000005 (verdict continue)\n',
    );
    expect(traceEventText({ ...base, chain: 'pre', type: NFT_TRACETYPE_POLICY, policy: 1, mark: 5 }, env)).toBe(
      'trace id effa0607 ip t pre policy accept meta mark 0x00000005 \n',
    );
    expect(
      traceEventText(
        { ...base, chain: 'in', type: NFT_TRACETYPE_RULE, ruleHandle: 9, verdict: { code: -3, chain: 'other' }, mark: 5 },
        env,
      ),
    ).toBe('trace id effa0607 ip t in rule udp dport { 81, 82 } jump other (verdict jump other)\n');
    expect(traceEventText({ ...base, chain: 'other', type: NFT_TRACETYPE_RULE, ruleHandle: 6, verdict: { code: -5 }, mark: 5 }, env)).toBe(
      'trace id effa0607 ip t other rule udp dport 81 return (verdict return)\n',
    );
    expect(traceEventText({ ...base, chain: 'in', type: NFT_TRACETYPE_POLICY, policy: 0, mark: 5 }, env)).toBe(
      'trace id effa0607 ip t in policy drop meta mark 0x00000005 \n',
    );
    expect(traceEventText({ ...base, chain: 'other', type: NFT_TRACETYPE_RETURN, verdict: { code: -1 } }, env)).toBe(
      'trace id effa0607 ip t other verdict continue \n',
    );
  });

  it('a TCP SYN (flags with ==), and an ARP request in a netdev table', () => {
    const syn = {
      ...dev,
      llHeader: ETH,
      networkHeader: ipHdr(60, 45585, 6),
      transportHeader: hex(`${be16(34828)} 1388 01020304 00000000 a002 faf0 0000 0000`),
    };
    expect(
      traceEventText(
        {
          family: 2,
          table: 't',
          chain: 'in',
          id: 0x41c3036a,
          nfproto: 2,
          ...syn,
          type: NFT_TRACETYPE_RULE,
          ruleHandle: 99,
          verdict: { code: 1 },
        },
        env,
      ),
    ).toBe(
      'trace id 41c3036a ip t in packet: iif "vb" ether saddr 02:00:00:00:00:0a ether daddr 02:00:00:00:00:0b ip saddr 10.0.0.1 ip daddr 10.0.0.2 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 45585 ip length 60 tcp sport 34828 tcp dport 5000 tcp flags == syn tcp window 64240 \n' +
        'trace id 41c3036a ip t in unknown rule handle 99 (verdict accept)\n',
    );
    const arp = {
      ...dev,
      llHeader: hex('ffffffffffff 02000000000a 0806'),
      networkHeader: hex('0001 0800 06 04 0001 02000000000a 0a000001 000000000000 0a000002'),
    };
    expect(
      traceEventText(
        { family: 5, table: 'n', chain: 'ing', id: 0x73396a86, nfproto: 5, ...arp, type: NFT_TRACETYPE_POLICY, policy: 1 },
        env,
      ),
    ).toBe(
      'trace id 73396a86 netdev n ing packet: iif "vb" ether saddr 02:00:00:00:00:0a ether daddr ff:ff:ff:ff:ff:ff arp operation request \n' +
        'trace id 73396a86 netdev n ing policy accept \n',
    );
  });
});

describe('skbpath drops and trace name the nft rule', () => {
  it('shows the deciding rule as nft list prints it, after the handle in why', () => {
    const script = `ip netns add b
ip link add va type veth peer name vb netns b
ip addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip link set va up
ip -n b link set vb up
ip netns exec b nft add table inet filter
ip netns exec b nft add chain inet filter input '{ type filter hook input priority 0; }'
ip netns exec b nft add rule inet filter input icmp type echo-request counter drop
# @traffic
ping -c 1 -W 1 10.0.0.2 > /dev/null
`;
    const res = runScenario(script, new MemVfs(), { seed: 1, path: true });
    const world = res.world;
    const rule = nftRuleResolver((ns) => (ns === 'init_net' ? world.initNet : world.netns.get(ns)));
    const drops = formatDrops(world.kernel.path.events, world.kernel.path.counters, 'NETFILTER_DROP', rule);
    expect(drops).toContain(
      '    why: nft inet filter: rule handle 2 of chain input\n    nft rule: icmp type echo-request counter packets 1 bytes 84 drop\n',
    );
    const path = formatPath(
      world.kernel.path.events.filter((e) => e.fn === 'nft_do_chain' && e.kind === 'fn'),
      rule,
    );
    expect(path).toContain('inet filter/input:2 drop => DROP [icmp type echo-request counter packets 1 bytes 84 drop]');
  });
});
