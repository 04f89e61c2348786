// The flowchart's vxlan boxes: the echo request of vxlan-routed is
// encapsulated in vxa (vxlan_xmit, then the IPv4 output again) and
// decapsulated in vxb (udp_rcv → vxlan_rcv → the GRO cell).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { runForUi, type UiEvent } from '../../src/ui/engine.ts';
import { flowSvg, passes, walk } from '../../src/ui/flow.ts';
import { applyFilter } from '../../src/ui/filter.ts';

it('lights the VXLAN encap in the sender and the decap in the receiver', () => {
  const r = runForUi(readFileSync(new URL('../oracle/scenarios/vxlan-routed.sh', import.meta.url), 'utf8'));
  const { idx } = applyFilter(r.events, { expr: 'icmp[icmptype] = icmp-echo', netns: '', dev: '', kinds: [] });
  const first = r.events[idx[0] as number] as UiEvent;
  const lineage = r.events.filter((e) => e.origin === first.origin);
  const ps = passes(lineage);
  expect(ps.map((p) => p.netns)).toEqual(['vxa', 'vxr', 'vxb']);
  const pass = (i: number): UiEvent[] => lineage.slice((ps[i] as { from: number }).from, (ps[i] as { to: number }).to + 1);
  const out = walk(pass(0));
  expect(out.lit.has('vxlan_xmit')).toBe(true);
  expect(out.steps.has('dev_hard_start_xmit>vxlan_xmit')).toBe(true);
  expect(out.steps.has('vxlan_xmit>__ip_local_out')).toBe(true);
  expect(out.lit.has('veth_xmit')).toBe(true);
  const inB = walk(pass(2));
  expect(inB.steps.has('udp_rcv>vxlan_rcv')).toBe(true);
  expect(inB.steps.has('vxlan_rcv>gro_receive_skb')).toBe(true);
  expect(inB.lit.has('icmp_rcv')).toBe(true);
  expect(flowSvg({ events: pass(2), current: 0, title: 't', subtitle: 's' })).toMatch(/<g class="box fn lit" data-fn="vxlan_rcv">/);
});
