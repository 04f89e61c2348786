// The web view with a macvlan: the topology's edge from a stacked device to
// its lower device (across namespaces), and the flowchart's rx_handler step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runForUi, type UiEvent, type UiRun } from '../../src/ui/engine.ts';
import { flowSvg, passes, walk } from '../../src/ui/flow.ts';
import { applyFilter } from '../../src/ui/filter.ts';

const scenario = (n: string): string => readFileSync(new URL(`../oracle/scenarios/${n}.sh`, import.meta.url), 'utf8');

let cached: UiRun | null = null;
const run = (): UiRun => {
  if (!cached) cached = runForUi(scenario('macvlan-bridge'));
  return cached;
};

/** The first ICMP echo request's lineage. */
function firstEcho(r: UiRun): UiEvent[] {
  const { idx } = applyFilter(r.events, { expr: 'icmp[icmptype] = icmp-echo', netns: '', dev: '', kinds: [] });
  const first = r.events[idx[0] as number] as UiEvent;
  return r.events.filter((e) => e.origin === first.origin);
}

describe('web view: macvlan', () => {
  it('links each macvlan to its lower device in the namespace it stayed in', () => {
    const r = run();
    const dev = (ns: string, name: string) => r.netns.find((n) => n.name === ns)?.devices.find((d) => d.name === name);
    expect(dev('mva', 'mv0')?.kind).toBe('macvlan');
    expect(dev('mva', 'mv0')?.lower).toEqual([{ ns: 'mvh', name: 'mvl0' }]);
    expect(dev('mvb', 'mv1')?.lower).toEqual([{ ns: 'mvh', name: 'mvl0' }]);
    expect(dev('mvh', 'mvl0')?.lower).toEqual([]);
    expect(dev('mvh', 'mvl0')?.kind).toBe('veth');
  });

  it('draws a bridge-mode echo through macvlan_start_xmit, the lower device and its rx_handler', () => {
    const lineage = firstEcho(run());
    expect(passes(lineage).map((p) => p.netns)).toEqual(['mva', 'mvh', 'mvb']);
    const ps = passes(lineage);
    const pa = ps[0] as { from: number; to: number };
    const ph = ps[1] as { from: number; to: number };
    const inA = walk(lineage.slice(pa.from, pa.to + 1));
    expect(inA.lit.has('macvlan_start_xmit')).toBe(true);
    const inH = walk(lineage.slice(ph.from, ph.to + 1));
    // bridge mode: to the lower device first (dev_forward_skb), for its taps
    expect(inH.lit.has('__dev_forward_skb')).toBe(true);
    expect(inH.lit.has('macvlan_handle_frame')).toBe(true);
    expect(inH.steps.has('__netif_receive_skb_core>macvlan_handle_frame')).toBe(true);
    const svg = flowSvg({ events: lineage.slice(ph.from, ph.to + 1), current: -1, title: 'mvh', subtitle: '' });
    expect(svg).toContain('macvlan_handle_frame');
    expect(svg).toContain('rx_handler');
  });
});
