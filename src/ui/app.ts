// The web view (Preact): a scenario runs in a Web Worker with the simulator's
// own code; the page shows the packet's path through the kernel as a
// flowchart, the timeline of every path event, the packet layer by layer, the
// topology with each device's tables, captures to download, and an editor.
import { h, render, type ComponentChildren, type FunctionComponent, type VNode } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import cytoscape from 'cytoscape';
import type { UiDevice, UiEvent, UiRun } from './engine.ts';
import { decodeRun } from './codec.ts';
import { flowSvg, nfText, passes, NODE_BY_ID } from './flow.ts';
import { decode, hexRows } from './decode.ts';
import { EXAMPLES } from './examples.ts';
import { applyFilter, type Filter, type Kind } from './filter.ts';

const el = (tag: string, props: Record<string, unknown> | null, ...children: ComponentChildren[]): ReturnType<typeof h> =>
  // biome-ignore lint/suspicious/noExplicitAny: preact's h() overloads take no plain tag string with untyped props
  h(tag as any, props as any, ...children);
/** A component with its props type-checked. */
const c = <P extends object>(comp: FunctionComponent<P>, props: P): VNode => h(comp, props) as VNode;

const usec = (ns: number): string => (ns / 1e6).toFixed(3);

function download(name: string, data: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(data);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function svgToPng(svg: string, name: string): void {
  const img = new Image();
  img.onload = (): void => {
    const scale = 2;
    const c = document.createElement('canvas');
    c.width = img.width * scale;
    c.height = img.height * scale;
    const g = c.getContext('2d');
    if (!g) return;
    g.scale(scale, scale);
    g.drawImage(img, 0, 0);
    c.toBlob((b) => b && download(name, b), 'image/png');
  };
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

// ---------- the worker ----------

/** Runs the page finished (shown as body[data-runs] for tests and scripts). */
let runsDone = 0;

let worker: Worker | null = null;
let reqId = 0;
const pending = new Map<number, (r: { run?: UiRun; fatal?: string }) => void>();

function runInWorker(script: string): Promise<{ run?: UiRun; fatal?: string }> {
  if (!worker) {
    worker = new Worker('worker.js');
    worker.onmessage = (m: MessageEvent<{ id: number; run?: UiRun; fatal?: string }>): void => {
      const cb = pending.get(m.data.id);
      pending.delete(m.data.id);
      cb?.(m.data);
    };
    worker.onerror = (ev: ErrorEvent): void => {
      ev.preventDefault();
      for (const [id, cb] of pending) {
        pending.delete(id);
        cb({ fatal: `the simulator failed to load or crashed: ${ev.message}` });
      }
    };
  }
  const id = ++reqId;
  const w = worker;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    w.postMessage({ id, script });
  });
}

/** Ends a run that takes too long: the worker is dropped and a fresh one serves the next run. */
function stopWorker(): void {
  worker?.terminate();
  worker = null;
  for (const [id, cb] of pending) {
    pending.delete(id);
    cb({ fatal: 'stopped: the run was ended from the page before it finished' });
  }
}

// ---------- components ----------

function Flow(props: {
  run: UiRun;
  lineage: UiEvent[];
  cur: UiEvent | null;
  onJump: (e: UiEvent) => void;
  big: boolean;
  onBig: () => void;
}): ReturnType<typeof h> {
  const { lineage, cur } = props;
  const ps = useMemo(() => passes(lineage), [lineage]);
  const curIdx = cur ? lineage.indexOf(cur) : -1;
  const [pinned, setPinned] = useState<number | null>(null);
  useEffect(() => setPinned(null), [cur]);
  const pi =
    pinned ??
    Math.max(
      0,
      ps.findIndex((p) => curIdx >= p.from && curIdx <= p.to),
    );
  const pass = ps[pi];
  const evs = pass ? lineage.slice(pass.from, pass.to + 1) : [];
  const first = evs[0];
  const title = first
    ? `packet #${first.origin} in netns ${pass?.netns} — ${first.tuple || `proto 0x${first.protocol.toString(16)}`}`
    : 'no packet selected';
  const own = new Set(props.run.netns.find((x) => x.name === pass?.netns)?.devices.map((d) => d.name) ?? []);
  const devs = [...new Set(evs.map((e) => e.dev).filter((d) => d && own.has(d)))].join(', ');
  const subtitle =
    cur && pass && curIdx >= pass.from && curIdx <= pass.to
      ? `step ${curIdx - pass.from + 1}/${evs.length} in this namespace: ${cur.kind === 'drop' ? `kfree_skb_reason(${cur.reason}) @` : ''}${cur.func}${cur.dev ? ` on ${cur.dev}` : ''} · devices ${devs}`
      : `${evs.length} steps · devices ${devs}`;
  const tapped = useMemo(() => {
    const t = new Set(props.run.pcaps.map((p) => `${p.ns}/${p.dev}`));
    return (ns: string, dev: string): boolean => t.has(`${ns}/${dev}`);
  }, [props.run]);
  const svg = useMemo(
    () =>
      flowSvg({
        events: evs,
        tapped,
        current: pass && curIdx >= pass.from && curIdx <= pass.to ? curIdx - pass.from : -1,
        title,
        subtitle,
      }),
    [lineage, pi, curIdx, tapped],
  );
  const fname = first ? `skbpath-packet${first.origin}-${pass?.netns}` : 'skbpath-flow';
  return el(
    'section',
    { class: 'flowpane' },
    el(
      'div',
      { class: 'bar' },
      el('span', { class: 'lbl' }, 'path:'),
      ...ps.map((p, i) => {
        const e0 = lineage[p.from] as UiEvent;
        const dropped = lineage.slice(p.from, p.to + 1).some((e) => e.kind === 'drop');
        const own = new Set(props.run.netns.find((x) => x.name === p.netns)?.devices.map((d) => d.name) ?? []);
        const devs = [
          ...new Set(
            lineage
              .slice(p.from, p.to + 1)
              .map((e) => e.dev)
              .filter((d) => d && own.has(d)),
          ),
        ];
        return el(
          'button',
          {
            class: `chip${i === pi ? ' on' : ''}${dropped ? ' dropped' : ''}`,
            title: `${p.to - p.from + 1} functions`,
            onClick: () => setPinned(i),
            'data-ns': p.netns,
          },
          `${i ? '→ ' : ''}${p.netns}${devs.length ? ` (${devs.join('→')})` : e0.dev ? ` (${e0.dev})` : ''}${dropped ? ' ✕' : ''}`,
        );
      }),
      el('span', { class: 'grow' }),
      el(
        'button',
        { id: 'expand', title: 'flowchart only / with the timeline (f)', onClick: props.onBig },
        props.big ? 'show timeline' : 'expand',
      ),
      el('button', { id: 'export-svg', onClick: () => download(`${fname}.svg`, new Blob([svg], { type: 'image/svg+xml' })) }, 'Export SVG'),
      el('button', { id: 'export-png', onClick: () => svgToPng(svg, `${fname}.png`) }, 'Export PNG'),
    ),
    el('div', {
      class: 'flow-svg',
      id: 'flow',
      dangerouslySetInnerHTML: { __html: svg },
      onClick: (ev: MouseEvent) => {
        const g = (ev.target as Element).closest('[data-fn]');
        const fn = g?.getAttribute('data-fn');
        if (!fn || !pass) return;
        const node = NODE_BY_ID.get(fn);
        const hit = evs.find(
          (e) => e.func === fn || (node?.type === 'hook' && (e.func === 'nf_hook_slow' || e.func.startsWith('nft_do_chain'))),
        );
        if (hit) props.onJump(hit);
      },
    }),
  );
}

function Timeline(props: {
  run: UiRun;
  idx: number[];
  pos: number;
  onPos: (p: number) => void;
  filter: Filter;
  setFilter: (f: Filter) => void;
  error: string | null;
  curOrigin: number | null;
}): ReturnType<typeof h> {
  const { run, idx, pos, filter } = props;
  const [expr, setExpr] = useState(filter.expr);
  useEffect(() => setExpr(filter.expr), [filter.expr]);
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const row = listRef.current?.querySelector('.row.cur');
    if (row) (row as HTMLElement).scrollIntoView({ block: 'nearest' });
  }, [pos, idx]);
  const namespaces = run.netns.map((n) => n.name);
  const devs = [
    ...new Set(
      run.events
        .filter((e) => !filter.netns || e.netns === filter.netns)
        .map((e) => e.dev)
        .filter(Boolean),
    ),
  ].sort();
  const lo = Math.max(0, pos - 150);
  const hi = Math.min(idx.length, lo + 300);
  const toggle = (k: Kind): void =>
    props.setFilter({ ...filter, kinds: filter.kinds.includes(k) ? filter.kinds.filter((x) => x !== k) : [...filter.kinds, k] });
  return el(
    'section',
    { class: 'timeline' },
    el(
      'form',
      {
        class: 'bar',
        onSubmit: (ev: Event) => {
          ev.preventDefault();
          props.setFilter({ ...filter, expr });
        },
      },
      el('input', {
        id: 'filter-expr',
        class: props.error ? 'bad' : '',
        placeholder: 'pcap-filter, e.g. icmp and host 10.0.2.10',
        value: expr,
        onInput: (ev: Event) => setExpr((ev.target as HTMLInputElement).value),
        title: props.error ?? 'tcpdump filter syntax; Enter applies',
      }),
      el(
        'select',
        {
          id: 'filter-netns',
          value: filter.netns,
          onChange: (ev: Event) => props.setFilter({ ...filter, netns: (ev.target as HTMLSelectElement).value, dev: '' }),
        },
        el('option', { value: '' }, 'all netns'),
        ...namespaces.map((n) => el('option', { value: n }, n)),
      ),
      el(
        'select',
        {
          id: 'filter-dev',
          value: filter.dev,
          onChange: (ev: Event) => props.setFilter({ ...filter, dev: (ev.target as HTMLSelectElement).value }),
        },
        el('option', { value: '' }, 'all devices'),
        ...devs.map((n) => el('option', { value: n }, n)),
      ),
      el(
        'label',
        { class: 'kind', title: 'only the packet of the current step (its whole lineage)' },
        el('input', {
          type: 'checkbox',
          id: 'only-packet',
          checked: filter.origin !== undefined,
          onChange: () => {
            const { origin, ...rest } = filter;
            props.setFilter(origin !== undefined || !props.curOrigin ? rest : { ...rest, origin: props.curOrigin });
          },
        }),
        'this packet',
      ),
      ...(['drop', 'xmit', 'hook'] as Kind[]).map((k) =>
        el(
          'label',
          { class: 'kind' },
          el('input', { type: 'checkbox', id: `kind-${k}`, checked: filter.kinds.includes(k), onChange: () => toggle(k) }),
          k,
        ),
      ),
      el(
        'span',
        { class: 'count' },
        props.error
          ? el('span', { class: 'err', id: 'filter-error' }, props.error)
          : `${idx.length ? pos + 1 : 0}/${idx.length} of ${run.events.length}`,
      ),
    ),
    el(
      'div',
      { class: 'rows', ref: listRef },
      el(
        'div',
        { class: 'row head' },
        el('span', null, 'ms'),
        el('span', null, 'netns'),
        el('span', null, 'dev'),
        el('span', null, 'skb'),
        el('span', null, 'len'),
        el('span', null, 'function'),
        el('span', null, 'tuple'),
      ),
      lo > 0 ? el('div', { class: 'more' }, `… ${lo} earlier`) : null,
      ...idx.slice(lo, hi).map((i, k) => {
        const e = run.events[i] as UiEvent;
        const p = lo + k;
        const cls = `row${p === pos ? ' cur' : ''}${e.kind === 'drop' ? ' drop' : e.kind === 'consume' ? ' consume' : ''}`;
        return el(
          'div',
          { class: cls, onClick: () => props.onPos(p), 'data-seq': e.seq },
          el('span', null, usec(e.time_ns)),
          el('span', null, e.netns),
          el('span', null, e.dev),
          el('span', null, `#${e.origin}${e.skb !== e.origin ? `/${e.skb}` : ''}`),
          el('span', null, String(e.len)),
          el(
            'span',
            { class: 'fn', title: e.nf ? (nfText(e) ?? '') : '' },
            `${e.kind === 'drop' ? `✕ ${e.reason} @${e.func}` : e.kind === 'consume' ? `consume_skb @${e.func}` : e.func}${e.nf ? ` ${e.nf.table}/${e.nf.chain}:${e.nf.rule || 'policy'} → ${e.nf.verdict}` : ''}${e.nft_rule !== undefined ? ` [${e.nft_rule}]` : ''}${e.ct ? ` ct=${e.ct}` : ''}`,
          ),
          el('span', { class: 'tuple' }, e.tuple),
        );
      }),
      hi < idx.length ? el('div', { class: 'more' }, `… ${idx.length - hi} later`) : null,
    ),
  );
}

function Detail(props: { ev: UiEvent | null; run: UiRun | null }): ReturnType<typeof h> {
  const e = props.ev;
  if (!e) return el('div', { class: 'pad' }, 'No event selected.');
  const counters = props.run ? props.run.counters.filter((c) => c.origin === e.origin && c.origin !== 0) : [];
  const d = decode(e);
  const rows = hexRows(d);
  const extra: [string, string | number | boolean][] = [['cpu', e.cpu], ...Object.entries(e.extra)];
  return el(
    'div',
    { class: 'detail', id: 'detail' },
    el(
      'div',
      { class: `evhead${e.kind === 'drop' ? ' drop' : ''}` },
      el(
        'div',
        { class: 'fnname' },
        e.kind === 'drop' ? `kfree_skb_reason(${e.reason}) @ ${e.func}` : e.kind === 'consume' ? `consume_skb @ ${e.func}` : e.func,
      ),
      el(
        'div',
        null,
        `seq ${e.seq} · ${usec(e.time_ns)} ms · netns ${e.netns} · ${e.dev ? `${e.dev}:${e.ifindex}` : 'no device'} · len ${e.len} · mark 0x${e.mark.toString(16)} · [${e.process}] · skb #${e.skb} (packet #${e.origin})`,
      ),
      e.reason ? el('div', { class: 'reason', id: 'drop-reason' }, `SKB_DROP_REASON_${e.reason}`) : null,
      e.why ? el('div', { class: 'why', id: 'drop-why' }, `why: ${e.why}`) : null,
      e.nf
        ? el(
            'div',
            { class: 'extra', id: 'nf-rule' },
            `${e.nft_rule !== undefined || /^(ip|ip6|inet|arp|bridge|netdev) /.test(e.nf.table) ? 'nft' : 'iptables'}: ${nfText(e)}`,
          )
        : null,
      e.ct ? el('div', { class: 'extra', id: 'ct-state' }, `conntrack: ${e.ct}`) : null,
      extra.length ? el('div', { class: 'extra' }, extra.map(([k, v]) => `${k}=${v}`).join('  ')) : null,
    ),
    el('div', { class: 'tcpdump', title: 'tcpdump -e -vv -n' }, d.tcpdump),
    counters.length
      ? el(
          'details',
          { class: 'counters', open: true, id: 'counters' },
          el('summary', null, `MIB counters this packet bumped (${counters.length})`),
          el(
            'table',
            null,
            ...counters.map((c) =>
              el(
                'tr',
                { class: c.seq <= e.seq ? 'past' : 'future' },
                el('td', null, c.netns),
                el('td', null, `${c.name} +${c.by}`),
                el('td', null, `@${c.func}`),
              ),
            ),
          ),
        )
      : null,
    ...d.layers.map((l, i) =>
      el(
        'details',
        { open: true, class: `layer l${i}` },
        el('summary', null, `${l.name} (bytes ${l.start}–${l.end - 1})`),
        el('table', null, ...l.fields.map(([k, v]) => el('tr', null, el('td', null, k), el('td', null, v)))),
      ),
    ),
    el(
      'div',
      { class: 'hex', title: 'tcpdump -xx: the bytes of each layer in its colour' },
      ...rows.map((r) =>
        el(
          'div',
          null,
          el('span', { class: 'off' }, r.off),
          ' ',
          ...r.cells.map((c) => el('span', { class: c.layer >= 0 ? `l${c.layer}` : 'pl' }, `${c.text} `)),
          el('span', { class: 'asc' }, r.ascii),
        ),
      ),
    ),
    el(
      'div',
      { class: 'hint keys' },
      'keys: ←/→ one kernel function · Shift+←/→ previous/next packet · ↑/↓ ten steps · Space play/pause · d/D next/previous drop · Home/End · f flowchart only · click a box to jump to it',
    ),
  );
}

function Topology(props: {
  run: UiRun;
  cur: UiEvent | null;
  selected: UiDevice | null;
  onSelect: (d: UiDevice | null) => void;
  visible: boolean;
}): ReturnType<typeof h> {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);
  const { run } = props;
  useEffect(() => {
    if (!box.current) return;
    const els: cytoscape.ElementDefinition[] = [];
    run.netns.forEach((ns, i) => {
      els.push({ data: { id: `ns:${ns.name}`, label: ns.name }, classes: 'ns' });
      let row = 0;
      for (const d of ns.devices) {
        if (d.kind === 'loopback' && !run.events.some((e) => e.netns === ns.name && e.dev === d.name)) continue;
        els.push({
          data: { id: `${ns.name}/${d.name}`, parent: `ns:${ns.name}`, label: `${d.name}\n${d.addrs.join('\n') || d.kind}` },
          position: { x: i * 150, y: row++ * 62 },
          classes: `${d.kind}${d.up ? '' : ' down'}`,
        });
      }
    });
    const seen = new Set<string>();
    for (const ns of run.netns)
      for (const d of ns.devices) {
        const a = `${ns.name}/${d.name}`;
        if (d.peer) {
          const b = `${d.peer.ns}/${d.peer.name}`;
          const k = [a, b].sort().join('|');
          if (!seen.has(k) && run.netns.some((n) => n.name === d.peer?.ns)) {
            seen.add(k);
            els.push({ data: { id: `veth:${k}`, source: a, target: b }, classes: 'veth' });
          }
        }
        if (d.master) els.push({ data: { id: `port:${a}`, source: a, target: `${ns.name}/${d.master}` }, classes: 'port' });
        // a stacked device (macvlan, VLAN …) to its lower device, across namespaces too
        for (const l of d.lower) {
          if (!run.netns.some((n) => n.name === l.ns)) continue;
          els.push({ data: { id: `lower:${a}>${l.ns}/${l.name}`, source: a, target: `${l.ns}/${l.name}` }, classes: 'lower' });
        }
      }
    const cy = cytoscape({
      container: box.current,
      elements: els,
      layout: { name: 'preset', padding: 20 },
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'text-wrap': 'wrap',
            'text-valign': 'center',
            'font-size': 11,
            'font-family': 'monospace',
            shape: 'round-rectangle',
            width: 104,
            height: 42,
            'background-color': '#e3f1ff',
            'border-width': 1,
            'border-color': '#2f6fd0',
          },
        },
        {
          selector: 'node.ns',
          style: {
            'text-valign': 'top',
            'font-size': 13,
            'font-weight': 'bold',
            'background-color': '#f4f6fa',
            'border-color': '#9aa5b8',
            'border-style': 'dashed',
            padding: '14px',
          },
        },
        { selector: 'node.bridge', style: { 'background-color': '#fff1cc', 'border-color': '#c48a00' } },
        { selector: 'node.loopback', style: { 'background-color': '#f1f3f5', 'border-color': '#adb5bd' } },
        { selector: 'node.down', style: { 'border-style': 'dotted', opacity: 0.6 } },
        { selector: 'node.cur', style: { 'border-width': 4, 'border-color': '#e8590c' } },
        { selector: 'node:selected', style: { 'background-color': '#d0ebff' } },
        { selector: 'edge.veth', style: { width: 3, 'line-color': '#2f6fd0', 'curve-style': 'bezier' } },
        { selector: 'edge.port', style: { width: 2, 'line-color': '#c48a00', 'line-style': 'dashed' } },
        {
          selector: 'edge.lower',
          style: {
            width: 2,
            'line-color': '#7048e8',
            'line-style': 'dotted',
            'target-arrow-shape': 'triangle',
            'target-arrow-color': '#7048e8',
            'curve-style': 'bezier',
          },
        },
      ],
    });
    cy.on('tap', 'node', (ev) => {
      const id = ev.target.id() as string;
      const [ns, name] = id.split('/');
      const d = run.netns.find((n) => n.name === ns)?.devices.find((x) => x.name === name) ?? null;
      props.onSelect(d);
    });
    cyRef.current = cy;
    (window as unknown as { cy: unknown }).cy = cy;
    return () => cy.destroy();
  }, [run]);
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.nodes().removeClass('cur');
    if (props.cur?.dev) cy.getElementById(`${props.cur.netns}/${props.cur.dev}`).addClass('cur');
  }, [props.cur, run]);
  useEffect(() => {
    const cy = cyRef.current;
    if (cy && props.visible) {
      cy.resize();
      cy.fit(undefined, 20);
    }
  }, [props.visible, run]);
  const d = props.selected;
  const pcap = d ? run.pcaps.find((p) => p.ns === d.ns && p.dev === d.name) : undefined;
  const ns = d ? run.netns.find((n) => n.name === d.ns) : undefined;
  return el(
    'div',
    { class: 'topo' },
    el('div', { class: 'cy', ref: box, id: 'topology' }),
    d
      ? el(
          'div',
          { class: 'devinfo', id: 'devinfo' },
          el(
            'h3',
            null,
            `${d.ns} / ${d.name}`,
            el('span', { class: 'kindtag' }, d.kind),
            pcap
              ? el(
                  'button',
                  {
                    class: 'dl',
                    onClick: () =>
                      download(`${d.ns}-${d.name}.pcap`, new Blob([pcap.bytes as BlobPart], { type: 'application/vnd.tcpdump.pcap' })),
                  },
                  'pcap',
                )
              : null,
          ),
          el(
            'div',
            null,
            `mac ${d.mac} · mtu ${d.mtu} · ${d.up ? 'up' : 'down'}${d.peer ? ` · peer ${d.peer.ns}/${d.peer.name}` : ''}${d.master ? ` · port of ${d.master}` : ''}${d.lower.map((l) => ` · on ${l.ns}/${l.name}`).join('')}`,
          ),
          el(
            'table',
            { class: 'stats' },
            ...Object.entries(d.stats)
              .filter(([k, v]) => v !== 0 || /_(packets|bytes)$/.test(k))
              .map(([k, v]) => el('tr', null, el('td', null, k), el('td', null, String(v)))),
          ),
          el('h4', null, 'ip -s link'),
          el('pre', null, d.link),
          el('h4', null, 'ip neigh show dev'),
          el('pre', null, d.neigh || '(empty)'),
          el('h4', null, `ip route (netns ${d.ns})`),
          el('pre', null, ns?.route || '(empty)'),
        )
      : el('div', { class: 'pad hint' }, 'Click a device for its counters, neighbour and route tables.'),
    el(
      'div',
      { class: 'pcaps' },
      el('b', null, 'captures: '),
      ...run.pcaps.map((p) =>
        el(
          'a',
          {
            href: '#',
            class: 'pcap',
            onClick: (ev: Event) => {
              ev.preventDefault();
              download(`${p.ns}-${p.dev}.pcap`, new Blob([p.bytes as BlobPart], { type: 'application/vnd.tcpdump.pcap' }));
            },
          },
          `${p.ns}/${p.dev}`,
        ),
      ),
    ),
  );
}

function Output(props: { run: UiRun }): ReturnType<typeof h> {
  const { run } = props;
  return el(
    'div',
    { class: 'pad output' },
    el('h4', null, `transcript (exit ${run.exitStatus}; ${run.events.length} path events; ${run.wallMs} ms)`),
    run.error ? el('div', { class: 'err' }, run.error) : null,
    el('pre', { id: 'transcript' }, run.transcript),
    ...run.netns
      .filter((n) => n.iptables)
      .map((n) => el('div', null, el('h4', null, `iptables -L -v -n -x --line-numbers (netns ${n.name})`), el('pre', null, n.iptables))),
    ...run.netns.map((n) => el('div', null, el('h4', null, `nstat (netns ${n.name})`), el('pre', null, n.nstat))),
  );
}

type Tab = 'packet' | 'topology' | 'scenario' | 'output';

function App(props: { initial: { name: string; text: string }; hostRun: UiRun | null }): ReturnType<typeof h> {
  const [name, setName] = useState(props.initial.name);
  const [text, setText] = useState(props.initial.text);
  const [run, setRun] = useState<UiRun | null>(null);
  const [state, setState] = useState<'running' | 'ready' | 'error'>('running');
  const [fatal, setFatal] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>({ expr: '', netns: '', dev: '', kinds: [] });
  const [pos, setPos] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(4);
  const [tab, setTab] = useState<Tab>('packet');
  const [dev, setDev] = useState<UiDevice | null>(null);
  const [big, setBig] = useState(false);

  const start = (script: string): void => {
    setFromHost(false);
    setState('running');
    setPlaying(false);
    runInWorker(script).then((r) => {
      if (r.run) {
        runsDone++;
        setRun(r.run);
        setFatal(null);
        setPos(0);
        setDev(null);
        setState('ready');
      } else {
        setRun(null);
        setFatal(r.fatal ?? 'the run failed');
        setState('error');
        setTab('scenario');
      }
    });
  };
  const [fromHost, setFromHost] = useState(props.hostRun !== null);
  useEffect(() => {
    if (props.hostRun) {
      setRun(props.hostRun);
      setState('ready');
    } else start(text);
  }, []);
  useEffect(() => {
    document.body.dataset['state'] = state;
    document.body.dataset['runs'] = String(runsDone);
  }, [state]);

  const filtered = useMemo(() => (run ? applyFilter(run.events, filter) : { idx: [], error: null }), [run, filter]);
  const idx = filtered.idx;
  const cur = run && idx.length ? (run.events[idx[Math.min(pos, idx.length - 1)] as number] ?? null) : null;
  const lineage = useMemo(() => (run && cur ? run.events.filter((e) => e.origin === cur.origin) : []), [run, cur?.origin]);
  useEffect(() => {
    if (pos >= idx.length && idx.length) setPos(idx.length - 1);
  }, [idx]);

  const step = (d: number): void => setPos((p) => Math.max(0, Math.min(idx.length - 1, p + d)));
  const jumpTo = (pred: (e: UiEvent) => boolean, dir: 1 | -1): void => {
    if (!run) return;
    for (let p = pos + dir; p >= 0 && p < idx.length; p += dir) {
      if (pred(run.events[idx[p] as number] as UiEvent)) {
        setPos(p);
        return;
      }
    }
  };
  const nextPacket = (dir: 1 | -1): void => {
    if (!cur || !run) return;
    const o = cur.origin;
    if (dir === 1) jumpTo((e) => e.origin !== o, 1);
    else {
      // to the first step of the previous packet
      let p = pos;
      while (p > 0 && (run.events[idx[p] as number] as UiEvent).origin === o) p--;
      const o2 = (run.events[idx[p] as number] as UiEvent).origin;
      while (p > 0 && (run.events[idx[p - 1] as number] as UiEvent).origin === o2) p--;
      setPos(p);
    }
  };
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => {
      setPos((p) => {
        if (p >= idx.length - 1) {
          setPlaying(false);
          return p;
        }
        return p + 1;
      });
    }, 1000 / speed);
    return () => clearInterval(t);
  }, [playing, speed, idx]);
  useEffect(() => {
    const onKey = (ev: KeyboardEvent): void => {
      const t = ev.target as HTMLElement;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) {
        if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey) && t.tagName === 'TEXTAREA') start(text);
        return;
      }
      if (ev.key === 'ArrowRight' && ev.shiftKey) nextPacket(1);
      else if (ev.key === 'ArrowLeft' && ev.shiftKey) nextPacket(-1);
      else if (ev.key === 'ArrowRight' || ev.key === 'j' || ev.key === 'n') step(1);
      else if (ev.key === 'ArrowLeft' || ev.key === 'k' || ev.key === 'p') step(-1);
      else if (ev.key === 'ArrowDown') step(10);
      else if (ev.key === 'ArrowUp') step(-10);
      else if (ev.key === 'Home') setPos(0);
      else if (ev.key === 'End') setPos(Math.max(0, idx.length - 1));
      else if (ev.key === ' ') setPlaying((x) => !x);
      else if (ev.key === 'f') setBig((x) => !x);
      else if (ev.key === 'd') jumpTo((e) => e.kind === 'drop', 1);
      else if (ev.key === 'D') jumpTo((e) => e.kind === 'drop', -1);
      else return;
      ev.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const header = el(
    'header',
    null,
    el('b', { class: 'logo' }, 'skbpath'),
    el('span', { class: 'scen', id: 'scenario-name' }, name),
    el(
      'span',
      { class: 'ctl' },
      el('button', { id: 'step-first', title: 'first (Home)', onClick: () => setPos(0) }, '«'),
      el('button', { id: 'step-prev-packet', title: 'previous packet (Shift+←)', onClick: () => nextPacket(-1) }, '⇤'),
      el('button', { id: 'step-back', title: 'back one function (←)', onClick: () => step(-1) }, '◀'),
      el('button', { id: 'play', title: 'play / pause (Space)', onClick: () => setPlaying(!playing) }, playing ? '⏸' : '▶'),
      el('button', { id: 'step-fwd', title: 'forward one function (→)', onClick: () => step(1) }, '▶|'),
      el('button', { id: 'step-next-packet', title: 'next packet (Shift+→)', onClick: () => nextPacket(1) }, '⇥'),
      el('button', { id: 'next-drop', title: 'next drop (d)', onClick: () => jumpTo((e) => e.kind === 'drop', 1) }, 'next drop'),
      el(
        'select',
        {
          id: 'speed',
          value: String(speed),
          title: 'steps per second',
          onChange: (ev: Event) => setSpeed(Number((ev.target as HTMLSelectElement).value)),
        },
        ...[1, 2, 4, 8, 16, 32].map((s) => el('option', { value: String(s) }, `${s}/s`)),
      ),
    ),
    el(
      'span',
      { class: 'stepinfo', id: 'stepinfo' },
      cur
        ? `${cur.kind === 'drop' ? `✕ ${cur.reason} @` : ''}${cur.func} · ${cur.netns}${cur.dev ? `/${cur.dev}` : ''} · ${usec(cur.time_ns)} ms`
        : state === 'running'
          ? 'running…'
          : 'no events',
    ),
    el('span', { class: 'grow' }),
    state === 'running' ? el('button', { id: 'stop', title: 'end this run', onClick: stopWorker }, 'Stop') : null,
    el(
      'span',
      {
        class: `status ${state}`,
        id: 'status',
        title: fromHost
          ? 'run by skbpath ui on the host, with the files of its working directory; Run re-runs in the page'
          : 'run in this page',
      },
      state === 'running'
        ? 'running…'
        : state === 'error'
          ? 'error'
          : run
            ? `${run.events.length} events · exit ${run.exitStatus}${fromHost ? ' · host run' : ''}`
            : '',
    ),
  );
  const tabs: [Tab, string][] = [
    ['packet', 'Packet'],
    ['topology', 'Topology'],
    ['scenario', 'Scenario'],
    ['output', 'Output'],
  ];
  const side = el(
    'aside',
    null,
    el(
      'nav',
      null,
      ...tabs.map(([t, label]) => el('button', { class: tab === t ? 'on' : '', id: `tab-${t}`, onClick: () => setTab(t) }, label)),
    ),
    el('div', { class: 'tabbody', style: { display: tab === 'packet' ? '' : 'none' } }, c(Detail, { ev: cur, run })),
    el(
      'div',
      { class: 'tabbody', style: { display: tab === 'topology' ? '' : 'none' } },
      run ? c(Topology, { run, cur, selected: dev, onSelect: setDev, visible: tab === 'topology' }) : null,
    ),
    el(
      'div',
      { class: 'tabbody editor', style: { display: tab === 'scenario' ? '' : 'none' } },
      el(
        'div',
        { class: 'bar' },
        el(
          'select',
          {
            id: 'example',
            value: EXAMPLES[name] !== undefined ? name : '',
            onChange: (ev: Event) => {
              const v = (ev.target as HTMLSelectElement).value;
              if (EXAMPLES[v] !== undefined) {
                setName(v);
                setText(EXAMPLES[v] as string);
              }
            },
          },
          el('option', { value: '' }, 'examples…'),
          ...Object.keys(EXAMPLES).map((k) => el('option', { value: k }, k)),
        ),
        el('button', { id: 'run', onClick: () => start(text) }, 'Run (Ctrl+Enter)'),
        el(
          'label',
          { class: 'open', title: 'open a scenario from a file' },
          'Open…',
          el('input', {
            type: 'file',
            id: 'open-file',
            accept: '.sh,text/plain',
            style: { display: 'none' },
            onChange: (ev: Event) => {
              const f = (ev.target as HTMLInputElement).files?.[0];
              if (!f) return;
              void f.text().then((t) => {
                setName(f.name.replace(/\.sh$/, ''));
                setText(t);
                start(t);
              });
            },
          }),
        ),
        el(
          'button',
          {
            id: 'save',
            title: 'download the script',
            onClick: () => download(`${name || 'scenario'}.sh`, new Blob([text], { type: 'text/x-shellscript' })),
          },
          'Save',
        ),
      ),
      el('textarea', {
        id: 'script',
        spellcheck: false,
        value: text,
        onInput: (ev: Event) => setText((ev.target as HTMLTextAreaElement).value),
      }),
      el(
        'div',
        { class: 'hint' },
        'A scenario is a bash script as the oracle records it: setup, then a "# @traffic" line, then the traffic. It runs in this page with the simulator’s own code.',
      ),
    ),
    el('div', { class: 'tabbody', style: { display: tab === 'output' ? '' : 'none' } }, run ? c(Output, { run }) : null),
  );
  const main = run
    ? el(
        'main',
        { class: big ? 'big' : '' },
        c(Flow, {
          run,
          lineage,
          cur,
          big,
          onBig: () => setBig(!big),
          onJump: (e: UiEvent) => {
            let p = idx.indexOf(run.events.indexOf(e));
            if (p < 0) {
              // the step is filtered out: show every event again
              setFilter({ expr: '', netns: '', dev: '', kinds: [] });
              p = run.events.indexOf(e);
            }
            setPos(p);
          },
        }),
        c(Timeline, {
          run,
          idx,
          pos: Math.min(pos, Math.max(0, idx.length - 1)),
          onPos: setPos,
          curOrigin: cur?.origin ?? null,
          filter,
          setFilter: (f: Filter) => {
            // keep the current event in view when the filter changes
            const keepEv = cur;
            setFilter(f);
            const next = applyFilter(run.events, f).idx;
            const p = keepEv ? next.indexOf(run.events.indexOf(keepEv)) : -1;
            setPos(p >= 0 ? p : 0);
          },
          error: filtered.error,
        }),
      )
    : el('main', null, el('div', { class: 'pad' }, fatal ? el('pre', { class: 'err' }, fatal) : 'Running the scenario…'));
  return el('div', { class: 'app' }, header, main, side);
}

async function boot(): Promise<void> {
  const q = new URLSearchParams(location.search);
  let initial = { name: 'router-forward', text: EXAMPLES['router-forward'] as string };
  let hostRun: UiRun | null = null;
  const ex = q.get('example');
  if (ex && EXAMPLES[ex] !== undefined) initial = { name: ex, text: EXAMPLES[ex] as string };
  else {
    try {
      const r = await fetch('scenario.json');
      if (r.ok) {
        const j = (await r.json()) as { name: string | null; text: string | null };
        if (j.name && j.text !== null) {
          initial = { name: j.name, text: j.text };
          const rr = await fetch('run.json');
          if (rr.ok) hostRun = decodeRun(await rr.text());
        }
      }
    } catch {
      // no server scenario: keep the default example
    }
  }
  render(c(App, { initial, hostRun }), document.getElementById('root') as HTMLElement);
}

void boot();
