// The web view's engine, flowchart, filter and decoder, without a browser:
// the same modules the page bundles, on two oracle scenarios.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runForUi, type UiEvent, type UiRun } from '../../src/ui/engine.ts';
import { flowSvg, nfText, passes, walk } from '../../src/ui/flow.ts';
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

  /** The pass (one namespace's stretch of a lineage) holding the first drop with `reason`. */
  function dropPass(r: UiRun, reason: string): UiEvent[] {
    const d = r.events.find((e) => e.kind === 'drop' && e.reason === reason) as UiEvent;
    const lineage = r.events.filter((e) => e.origin === d.origin);
    const p = passes(lineage).find((x) => lineage.slice(x.from, x.to + 1).includes(d)) as { from: number; to: number };
    return lineage.slice(p.from, p.to + 1);
  }

  it('draws the qdisc between __dev_queue_xmit and the driver, and a tbf overflow on it', () => {
    const r = run('tc-tbf-ping-flood');
    const ev = dropPass(r, 'QDISC_DROP');
    const w = walk(ev);
    expect(w.drop?.reason).toBe('QDISC_DROP');
    expect(w.boxes[ev.indexOf(w.drop as UiEvent)]).toBe('qdisc');
    expect(w.via.get('qdisc')).toEqual(['dev_qdisc_enqueue', 'tbf_enqueue', 'bfifo_enqueue']);
    expect(w.steps.has('__dev_queue_xmit>qdisc')).toBe(true);
    expect(w.lit.has('dev_hard_start_xmit')).toBe(false);
    expect(w.others).toEqual([]);
    // the why names the qdisc, its limit and its backlog
    expect(w.drop?.why).toMatch(/^bfifo 0: \(parent 1:1\) on tva: backlog \d+b \+ this 98b > limit 300b$/);
    const svg = flowSvg({ events: ev, current: ev.length - 1, title: 't', subtitle: 's' });
    expect(svg).toMatch(/<g class="box virt lit cur drop" data-fn="qdisc">/);
    expect(svg).toContain('✕ QDISC_DROP');
    // an echo that got through: enqueued, dequeued, sch_direct_xmit, the driver
    const ok = firstEcho(r);
    const tx = walk(ok.slice(0, (passes(ok)[0] as { to: number }).to + 1));
    for (const s of [
      '__dev_queue_xmit>qdisc',
      'qdisc>sch_direct_xmit',
      'sch_direct_xmit>dev_hard_start_xmit',
      'dev_hard_start_xmit>veth_xmit',
    ])
      expect(tx.steps.has(s), s).toBe(true);
    expect(tx.via.get('qdisc')).toContain('dequeue_skb');
  });

  it('draws tc ingress and egress (clsact, cls_bpf) and their drops on their boxes', () => {
    const r = run('tc-clsact-bpf-drop');
    const inEv = dropPass(r, 'TC_INGRESS');
    const wi = walk(inEv);
    expect(wi.boxes[inEv.indexOf(wi.drop as UiEvent)]).toBe('sch_handle_ingress');
    expect(wi.via.get('sch_handle_ingress')).toEqual(['tcf_classify', 'cls_bpf_classify']);
    expect(wi.steps.has('__netif_receive_skb_core>sch_handle_ingress')).toBe(true);
    expect(wi.others).toEqual([]);
    const outEv = dropPass(r, 'TC_EGRESS');
    const wo = walk(outEv);
    expect(wo.boxes[outEv.indexOf(wo.drop as UiEvent)]).toBe('sch_handle_egress');
    expect(wo.steps.has('__dev_queue_xmit>sch_handle_egress')).toBe(true);
    expect(flowSvg({ events: outEv, current: -1, title: 't', subtitle: 's' })).toMatch(
      /<g class="box fn lit drop" data-fn="sch_handle_egress">/,
    );
    // an ARP reply the egress filter passed: back in __dev_queue_xmit, then on to the driver (noqueue on veth)
    const arp = r.events.find((e) => e.func === 'sch_handle_egress' && e.protocol === 0x0806) as UiEvent;
    const lineage = r.events.filter((e) => e.origin === arp.origin);
    const wa = walk(lineage.slice(0, (passes(lineage)[0] as { to: number }).to + 1));
    expect(wa.steps.has('__dev_queue_xmit>sch_handle_egress')).toBe(true);
    expect(wa.steps.has('__dev_queue_xmit>dev_hard_start_xmit')).toBe(true);
    expect(wa.steps.has('sch_handle_egress>dev_hard_start_xmit')).toBe(false);
    expect(wa.lit.has('qdisc')).toBe(false);
  });

  it('shows the drop of a netdev ingress chain on its hook box with the nft rule', () => {
    const ev = dropPass(run('nft-netdev-ingress'), 'NETFILTER_DROP');
    const w = walk(ev);
    expect(w.boxes[ev.indexOf(w.drop as UiEvent)]).toBe('NF_INGRESS');
    const rule = 'netdev edge ingress handle 3: ip saddr 10.0.0.1 icmp type echo-request counter packets 2 bytes 168 drop → DROP';
    expect(w.hooks.get('NF_INGRESS')).toMatchObject({
      dropped: true,
      rule,
      lines: [rule, 'nft netdev edge: rule handle 3 of chain ingress'],
    });
    expect(w.steps.has('__netif_receive_skb_core>NF_INGRESS')).toBe(true);
    const svg = flowSvg({ events: ev, current: ev.length - 1, title: 't', subtitle: 's' });
    expect(svg).toMatch(/<g class="box hook lit cur drop" data-fn="NF_INGRESS">/);
    expect(svg).toContain('netdev edge ingress handle 3: ip saddr 10.0…');
    expect(svg).toContain(`NF_INGRESS: nft_do_chain; ${rule}`);
  });

  it('shows the nft rule that accepted or rejected a packet, as nft -a list prints it', () => {
    const r = run('nft-inet-filter');
    const hit = r.events.find((e) => e.nf?.table === 'inet filter' && e.nf.rule === 6) as UiEvent;
    expect(hit.nft_rule).toBe('tcp dport @allowed ct state new counter packets 1 bytes 60 accept');
    expect(nfText(hit)).toBe(
      'inet filter input handle 6: tcp dport @allowed ct state new counter packets 1 bytes 60 accept → ACCEPT (ct NEW)',
    );
    // the policy has no rule text; iptables' rules have none either
    expect(r.events.find((e) => e.nf?.rule === 0)?.nft_rule).toBeUndefined();
    expect(run('iptables-drop-icmp').events.some((e) => e.nft_rule !== undefined)).toBe(false);
    // a reject sends its error from inside the hook: the drop still lands on LOCAL_IN
    const rej = run('nft-reject');
    for (const d of rej.events.filter((e) => e.kind === 'drop' && e.reason === 'NETFILTER_DROP')) {
      const lineage = rej.events.filter((e) => e.origin === d.origin);
      const p = passes(lineage).find((x) => lineage.slice(x.from, x.to + 1).includes(d)) as { from: number; to: number };
      const ev = lineage.slice(p.from, p.to + 1);
      const w = walk(ev);
      expect(w.boxes[ev.indexOf(d)]).toBe('LOCAL_IN');
      expect(w.hooks.get('LOCAL_IN')?.rule).toMatch(/^inet filter input handle [234]: .* reject.* → DROP$/);
    }
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
