// The timeline's filter: a pcap-filter expression (our tcpdump compiler, the
// lineage rule of `skbpath trace --filter`), a namespace, a device, and kinds
// of event (drops, transmit functions, netfilter hooks).
import type { UiEvent } from './engine.ts';
import { selectPath, FilterError } from '../machine/path_report.ts';

export type Kind = 'drop' | 'xmit' | 'hook';
export const KIND_TEST: Record<Kind, (e: UiEvent) => boolean> = {
  drop: (e) => e.kind === 'drop',
  xmit: (e) => e.kind === 'fn' && /xmit/.test(e.func),
  hook: (e) => e.func === 'nf_hook_slow' || /^(nft_|nf_|__nf_|ipt_|xt_)/.test(e.func),
};

export interface Filter {
  expr: string;
  netns: string;
  dev: string;
  kinds: Kind[];
  /** Only this packet (lineage), when set. */
  origin?: number;
}

/** Indexes of the events a filter keeps (pcap-filter follows a matching lineage everywhere, as `skbpath trace --filter`). */
export function applyFilter(events: readonly UiEvent[], f: Filter): { idx: number[]; error: string | null } {
  let keep: Set<UiEvent>;
  try {
    const sel = selectPath(events, {
      ...(f.expr.trim() ? { filter: f.expr.trim() } : {}),
      ...(f.netns ? { netns: f.netns } : {}),
      ...(f.dev ? { dev: f.dev } : {}),
    });
    keep = new Set(sel);
  } catch (e) {
    if (e instanceof FilterError) return { idx: [], error: e.message };
    throw e;
  }
  const idx: number[] = [];
  events.forEach((e, i) => {
    if (f.origin !== undefined && e.origin !== f.origin) return;
    if (!keep.has(e)) return;
    if (f.netns && e.netns !== f.netns) return;
    if (f.dev && e.dev !== f.dev) return;
    if (f.kinds.length && !f.kinds.some((k) => KIND_TEST[k](e))) return;
    idx.push(i);
  });
  return { idx, error: null };
}
