// The web view's engine, flowchart, filter and decoder, without a browser:
// the same modules the page bundles, on two oracle scenarios.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runForUi, type UiEvent, type UiRun } from '../../src/ui/engine.ts';
import { flowSvg, passes, walk } from '../../src/ui/flow.ts';
import { applyFilter } from '../../src/ui/filter.ts';
import { decode, hexRows } from '../../src/ui/decode.ts';
import { decodeRun, encodeRun } from '../../src/ui/codec.ts';

const scenario = (n: string): string => readFileSync(new URL(`../oracle/scenarios/${n}.sh`, import.meta.url), 'utf8');

const cache = new Map<string, UiRun>();
const run = (n: string): UiRun => {
  let r = cache.get(n);
  if (!r) cache.set(n, (r = runForUi(scenario(n))));
  return r;
};

/** The first ICMP echo request's lineage. */
function firstEcho(r: UiRun): UiEvent[] {
  const { idx } = applyFilter(r.events, { expr: 'icmp[icmptype] = icmp-echo', netns: '', dev: '', kinds: [] });
  const first = r.events[idx[0] as number] as UiEvent;
  return r.events.filter((e) => e.origin === first.origin);
}

describe('web view engine', () => {
  it('runs router-forward with the topology, tables and captures the page shows', () => {
    const r = run('router-forward');
    expect(r.exitStatus).toBe(0);
    expect(r.netns.map((n) => n.name)).toEqual(['a', 'r', 'b']);
    const ra = r.netns[1]?.devices.find((d) => d.name === 'ra');
    expect(ra?.kind).toBe('veth');
    expect(ra?.peer).toEqual({ ns: 'a', name: 'va' });
    expect(ra?.addrs).toEqual(['10.0.1.1/24']);
    expect(ra?.neigh).toMatch(/^10\.0\.1\.10 lladdr 02:00:00:00:01:0a /);
    expect(r.netns[1]?.route).toContain('10.0.2.0/24 dev rb proto kernel scope link src 10.0.2.1');
    expect(ra?.stats['rx_packets']).toBeGreaterThan(0);
    const pcap = r.pcaps.find((p) => p.ns === 'r' && p.dev === 'rb');
    expect(pcap && Array.from(pcap.bytes.subarray(0, 4))).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    expect(r.transcript).toContain('2 packets transmitted, 2 received');
  });

  it('cuts a forwarded packet into its namespaces and lights the forward path in the router', () => {
    const lineage = firstEcho(run('router-forward'));
    const ps = passes(lineage);
    expect(ps.map((p) => p.netns)).toEqual(['a', 'r', 'b']);
    const inR = lineage.slice((ps[1] as { from: number }).from, (ps[1] as { to: number }).to + 1);
    const w = walk(inR, (ns, dev) => ns === 'r' && dev === 'ra');
    expect(w.lit.has('taps')).toBe(true);
    expect(walk(inR).lit.has('taps')).toBe(false);
    for (const f of [
      '__netif_receive_skb_core',
      'ip_rcv',
      'ip_route_input_noref',
      'ip_forward',
      'ip_forward_finish',
      'ip_output',
      'ip_finish_output2',
      '__dev_queue_xmit',
      'veth_xmit',
    ])
      expect(w.lit.has(f), f).toBe(true);
    expect(w.lit.has('ip_local_deliver')).toBe(false);
    expect(w.steps.has('ip_route_input_noref>ip_forward')).toBe(true);
    expect(w.drop).toBeNull();
    const svg = flowSvg({ events: inR, current: 0, title: 't', subtitle: 's' });
    expect(svg).toMatch(/<g class="box fn lit" data-fn="ip_forward">/);
    expect(svg).toMatch(/<g class="box fn" data-fn="ip_local_deliver">/);
    // the MIB counters the packet bumped, where it bumped them
    const mine = run('router-forward').counters.filter((c) => c.origin === (lineage[0] as UiEvent).origin);
    expect(mine).toContainEqual(expect.objectContaining({ netns: 'r', name: 'IpForwDatagrams', by: 1, func: 'ip_forward' }));
    expect(mine).toContainEqual(expect.objectContaining({ netns: 'b', name: 'IcmpInMsgs', by: 1, func: 'icmp_rcv' }));
  });

  it('marks the iptables drop at LOCAL_IN with NETFILTER_DROP and the rule', () => {
    const r = run('iptables-drop-icmp');
    const lineage = firstEcho(r);
    const ps = passes(lineage);
    expect(ps.map((p) => p.netns)).toEqual(['a', 'b']);
    const inB = lineage.slice((ps[1] as { from: number }).from);
    const w = walk(inB);
    expect(w.drop?.reason).toBe('NETFILTER_DROP');
    const hv = w.hooks.get('LOCAL_IN');
    expect(hv?.dropped).toBe(true);
    expect(hv?.lines).toEqual(['filter INPUT rule 1 DROP → DROP', 'iptables -t filter: rule 1 of chain INPUT (INPUT hook)']);
    const svg = flowSvg({ events: inB, current: inB.length - 1, title: 't', subtitle: 's' });
    expect(svg).toMatch(/<g class="box hook lit cur drop" data-fn="LOCAL_IN">/);
    expect(svg).toContain('✕ NETFILTER_DROP');
    expect(svg).toContain('iptables -t filter: rule 1 of chain INPUT (INPUT hook)');
    expect(r.netns[1]?.iptables).toMatch(/^1 +2 +168 DROP/m);
  });

  it('shows the NAT rule and the conntrack state a forwarded packet met', () => {
    const lineage = firstEcho(run('nat-masquerade'));
    const r = passes(lineage).find((p) => p.netns === 'r') as { from: number; to: number };
    const w = walk(lineage.slice(r.from, r.to + 1));
    expect(w.hooks.get('PRE_ROUTING')?.lines).toEqual(['ct NEW']);
    expect(w.hooks.get('PRE_ROUTING')?.fns).toContain('nf_conntrack_in');
    expect(w.hooks.get('POST_ROUTING')?.lines).toEqual(['nat POSTROUTING rule 1 MASQUERADE → ACCEPT (ct NEW)']);
    expect(w.lit.has('ip_forward')).toBe(true);
  });

  it('draws an e1000 packet through IRQ, NAPI, the driver, GRO and list receive', () => {
    const r = runForUi(readFileSync(new URL('../../examples/e1000-ping.sh', import.meta.url), 'utf8'));
    const lineage = firstEcho(r);
    const ps = passes(lineage);
    expect(ps.map((p) => p.netns)).toEqual(['a', 'b']);
    const tx = walk(lineage.slice((ps[0] as { from: number }).from, (ps[0] as { to: number }).to + 1));
    for (const f of ['__dev_queue_xmit', 'sch_direct_xmit', 'dev_hard_start_xmit', 'nic_xmit']) expect(tx.lit.has(f), f).toBe(true);
    expect(tx.via.get('nic_xmit')).toContain('e1000_xmit_frame');
    const rx = walk(lineage.slice((ps[1] as { from: number }).from));
    for (const f of [
      'e1000_intr',
      'net_rx_action',
      'nic_rx',
      'gro_receive_skb',
      'netif_receive_skb_list_internal',
      '__netif_receive_skb_core',
      'ip_rcv',
      'ip_local_deliver',
      'icmp_rcv',
    ])
      expect(rx.lit.has(f), f).toBe(true);
    expect(rx.via.get('ip_rcv')).toEqual(['ip_list_rcv', 'ip_sublist_rcv']);
    expect(rx.via.get('gro_receive_skb')).toContain('napi_gro_receive (inl)');
    expect(rx.others).toEqual([]);
  });

  it('round-trips a run through the JSON the CLI serves', () => {
    const r = run('iptables-drop-icmp');
    const back = decodeRun(encodeRun(r));
    expect(back).toEqual(r);
    expect(back.events[0]?.bytes).toBeInstanceOf(Uint8Array);
    expect(back.pcaps[0]?.bytes).toEqual(r.pcaps[0]?.bytes);
  });

  it('filters the timeline as skbpath trace does, and reports bad expressions', () => {
    const r = run('iptables-drop-icmp');
    const drops = applyFilter(r.events, { expr: '', netns: '', dev: '', kinds: ['drop'] });
    expect(drops.idx.map((i) => r.events[i]?.reason)).toEqual(['NETFILTER_DROP', 'NETFILTER_DROP']);
    const inB = applyFilter(r.events, { expr: 'icmp', netns: 'b', dev: 'vb', kinds: ['hook'] });
    expect(inB.idx.length).toBeGreaterThan(0);
    for (const i of inB.idx) expect(r.events[i]).toMatchObject({ netns: 'b', dev: 'vb' });
    const arp = applyFilter(r.events, { expr: 'arp', netns: '', dev: '', kinds: [] });
    expect(arp.idx.every((i) => r.events[i]?.protocol === 0x0806)).toBe(true);
    const bad = applyFilter(r.events, { expr: 'icmp and', netns: '', dev: '', kinds: [] });
    expect(bad.error).toBe("can't parse filter expression: syntax error");
  });

  it('decodes a packet per layer with tcpdump -vv and a hex dump', () => {
    const drop = run('iptables-drop-icmp').events.find((e) => e.kind === 'drop') as UiEvent;
    const d = decode(drop);
    expect(d.tcpdump).toBe(
      '02:00:00:00:00:0a > 02:00:00:00:00:0b, ethertype IPv4 (0x0800), length 98: (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto ICMP (1), length 84)\n    10.0.0.1 > 10.0.0.2: ICMP echo request, id ' +
        d.tcpdump.split('id ').pop(),
    );
    expect(d.tcpdump).toMatch(/ICMP echo request, id \d+, seq 1, length 64$/);
    expect(d.layers.map((l) => l.name)).toEqual(['Ethernet', 'IPv4', 'ICMP']);
    expect(d.layers[1]?.fields).toContainEqual(['source', '10.0.0.1']);
    const rows = hexRows(d);
    expect(rows.length).toBe(Math.ceil(98 / 16));
    expect(rows[0]?.cells[0]).toEqual({ text: '02', layer: 0 });
    expect(rows[0]?.cells[14]).toEqual({ text: '45', layer: 1 });
    // before the link-layer header exists (the output path), the IP packet alone
    const early = run('iptables-drop-icmp').events.find((e) => e.func === 'ip_output') as UiEvent;
    const d2 = decode(early);
    expect(d2.layers[0]?.name).toBe('IPv4');
    expect(d2.tcpdump).toContain('10.0.0.1 > 10.0.0.2: ICMP echo request');
  });
});
