// The oracle's scorer (ORACLE.md "Tools", compare.py): how many lines of each
// golden artifact a simulated artifact directory reproduces, and a fidelity
// over all of them.
//
// Every artifact scores ok/size: the longest common subsequence of matching
// lines over the longer of the two texts (nstat: counters that agree over
// the counters either side has); a missing one scores 0. Fidelity is the mean
// of those fractions, in percent. Artifacts named in the golden's
// unstable.txt are skipped; simulated artifacts the golden lacks are
// reported as extra and not scored.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  byCodePoint,
  lineMatches,
  loadDir,
  splitLines,
  splitWhitespace,
  tcpdumpDecoder,
  tokens,
  tokensMatch,
  WILD,
  type PcapDecoder,
} from './normalize.ts';

export interface ArtifactScore {
  name: string;
  /** Lines (nstat: counters) reproduced. */
  ok: number;
  /** Lines (counters) compared against. */
  size: number;
  exact: boolean;
  missing: boolean;
}

export interface CompareResult {
  artifacts: ArtifactScore[];
  /** Names the simulation wrote that the golden lacks (not scored). */
  extra: string[];
  /** Mean reproduced fraction, 0..100. */
  fidelity: number;
  /** Artifacts reproduced exactly. */
  exact: number;
  /** Artifacts scored. */
  total: number;
  /** What compare.py prints, line for line (with -v, a diff under each inexact artifact). */
  report: string;
}

export interface CompareOptions {
  /** Show a unified diff under each inexact artifact, as compare.py -v. */
  verbose?: boolean;
  /** How a simulated capture without a .txt beside it is decoded; tcpdump by default. */
  decodePcap?: PcapDecoder;
}

const lineTokens = (lines: string[]) => lines.map((l) => (l === WILD ? null : tokens(l)));

/** `gold[i]` matches `got[j]`, with both pre-split (null: a golden line that is only `<*>`). */
function matcher(gold: string[], got: string[]): (i: number, j: number) => boolean {
  const g = lineTokens(gold);
  const s = got.map(tokens);
  return (i, j) => {
    const gt = g[i];
    return gt === null || tokensMatch(gt as string[], s[j] as string[]);
  };
}

/** Length of the longest common subsequence of matching lines. */
export function lcs(gold: string[], got: string[]): number {
  const m = matcher(gold, got);
  let prev = new Array<number>(got.length + 1).fill(0);
  for (let i = 0; i < gold.length; i++) {
    const cur = [0];
    for (let j = 0; j < got.length; j++) {
      cur.push(m(i, j) ? (prev[j] as number) + 1 : Math.max(prev[j + 1] as number, cur[j] as number));
    }
    prev = cur;
  }
  return prev[got.length] as number;
}

/** Splits "NAME VALUE" at its first space (Python's split(" ", 1)). */
function counter(line: string): [string, string] | null {
  const at = line.indexOf(' ');
  return at < 0 ? null : [line.slice(0, at), line.slice(at + 1)];
}

/** Scores one artifact: [ok, size]. */
export function scoreArtifact(name: string, gold: string, got: string): [number, number] {
  const g = splitLines(gold);
  const s = splitLines(got);
  if (name.startsWith('nstat/')) {
    const gd = new Map<string, string>();
    const sd = new Map<string, string>();
    for (const l of g) {
      const kv = counter(l);
      if (kv) gd.set(kv[0], kv[1]);
    }
    for (const l of s) {
      const kv = counter(l);
      if (kv) sd.set(kv[0], kv[1]);
    }
    const keys = new Set([...gd.keys(), ...sd.keys()]);
    let ok = 0;
    for (const k of keys) {
      const a = gd.get(k);
      const b = sd.get(k);
      if (a !== undefined && b !== undefined && lineMatches(a, b)) ok++;
    }
    return [ok, keys.size];
  }
  const n = Math.max(g.length, s.length);
  return n ? [lcs(g, s), n] : [0, 0];
}

type Op = { tag: 'equal' | 'replace' | 'delete' | 'insert'; i1: number; i2: number; j1: number; j2: number };

/** Aligns gold with got along a longest common subsequence of matching lines. */
function opcodes(gold: string[], got: string[]): Op[] {
  const m = matcher(gold, got);
  const G = gold.length;
  const S = got.length;
  // suffix[i][j]: LCS of gold[i..] and got[j..]
  const suffix: number[][] = Array.from({ length: G + 1 }, () => new Array<number>(S + 1).fill(0));
  for (let i = G - 1; i >= 0; i--) {
    const row = suffix[i] as number[];
    const below = suffix[i + 1] as number[];
    for (let j = S - 1; j >= 0; j--) {
      row[j] = m(i, j) ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const ops: Op[] = [];
  const push = (tag: Op['tag'], i1: number, i2: number, j1: number, j2: number) => {
    const last = ops[ops.length - 1];
    if (last && last.tag === tag && last.i2 === i1 && last.j2 === j1) {
      last.i2 = i2;
      last.j2 = j2;
    } else ops.push({ tag, i1, i2, j1, j2 });
  };
  let i = 0;
  let j = 0;
  let di = 0; // start of the pending unmatched run
  let dj = 0;
  const flush = () => {
    if (i > di && j > dj) push('replace', di, i, dj, j);
    else if (i > di) push('delete', di, i, dj, j);
    else if (j > dj) push('insert', di, i, dj, j);
  };
  while (i < G && j < S) {
    const here = (suffix[i] as number[])[j] as number;
    if (m(i, j) && here === ((suffix[i + 1] as number[])[j + 1] as number) + 1) {
      flush();
      push('equal', i, i + 1, j, j + 1);
      i++;
      j++;
      di = i;
      dj = j;
    } else if (((suffix[i + 1] as number[])[j] as number) === here) i++;
    else j++;
  }
  i = G;
  j = S;
  flush();
  return ops;
}

/** difflib's range in a hunk header: "start,len", "start" when len is 1. */
function hunkRange(start: number, stop: number): string {
  const len = stop - start;
  if (len === 1) return `${start + 1}`;
  return `${len === 0 ? start : start + 1},${len}`;
}

/**
 * A unified diff (golden → sim) with `context` lines around changes, in
 * difflib's format. Lines are aligned by the same wildcard matching the
 * score uses, so only lines that cost points show as changed.
 */
export function unifiedDiff(gold: string[], got: string[], context = 1): string[] {
  const ops = opcodes(gold, got);
  if (!ops.some((o) => o.tag !== 'equal')) return [];
  // Trim leading and trailing context, then split at long equal runs.
  const first = ops[0] as Op;
  if (first.tag === 'equal') {
    first.i1 = Math.max(first.i1, first.i2 - context);
    first.j1 = Math.max(first.j1, first.j2 - context);
  }
  const last = ops[ops.length - 1] as Op;
  if (last.tag === 'equal') {
    last.i2 = Math.min(last.i2, last.i1 + context);
    last.j2 = Math.min(last.j2, last.j1 + context);
  }
  const groups: Op[][] = [];
  let group: Op[] = [];
  for (const o of ops) {
    let { i1, j1 } = o;
    if (o.tag === 'equal' && o.i2 - o.i1 > 2 * context) {
      group.push({ ...o, i2: Math.min(o.i2, o.i1 + context), j2: Math.min(o.j2, o.j1 + context) });
      groups.push(group);
      group = [];
      i1 = Math.max(o.i1, o.i2 - context);
      j1 = Math.max(o.j1, o.j2 - context);
    }
    group.push({ ...o, i1, j1 });
  }
  if (group.length && !(group.length === 1 && group[0]?.tag === 'equal')) groups.push(group);
  const out = ['--- golden', '+++ sim'];
  for (const g of groups) {
    if (g.every((o) => o.tag === 'equal')) continue;
    const a = g[0] as Op;
    const z = g[g.length - 1] as Op;
    out.push(`@@ -${hunkRange(a.i1, z.i2)} +${hunkRange(a.j1, z.j2)} @@`);
    for (const o of g) {
      if (o.tag === 'equal') for (const l of gold.slice(o.i1, o.i2)) out.push(' ' + l);
      if (o.tag === 'replace' || o.tag === 'delete') for (const l of gold.slice(o.i1, o.i2)) out.push('-' + l);
      if (o.tag === 'replace' || o.tag === 'insert') for (const l of got.slice(o.j1, o.j2)) out.push('+' + l);
    }
  }
  return out;
}

/** Python's f"{x:.1f}": correctly rounded, ties to even. */
export function formatPct(x: number): string {
  const exact = x.toFixed(60);
  const dot = exact.indexOf('.');
  const tail = exact.slice(dot + 2);
  if (/^50*$/.test(tail)) {
    // An exact tie: round half to even, where toFixed would round up.
    const down = exact.slice(0, dot + 2);
    const digit = Number(exact[dot + 1]);
    return digit % 2 === 0 ? down : x.toFixed(1);
  }
  return x.toFixed(1);
}

/** Python's f"{name:40s}": padded to 40 code points. */
function pad40(s: string): string {
  const n = [...s].length;
  return n >= 40 ? s : s + ' '.repeat(40 - n);
}

/** Compares a simulated artifact directory with a golden one. */
export function compareDirs(goldenDir: string, simDir: string, opts: CompareOptions = {}): CompareResult {
  const decode = opts.decodePcap ?? tcpdumpDecoder;
  const gold = loadDir(goldenDir, decode);
  const simIsDir = existsSync(simDir) && statSync(simDir).isDirectory();
  const sim = simIsDir ? loadDir(simDir, decode) : new Map<string, string>();
  const unstablePath = join(goldenDir, 'unstable.txt');
  const skip = new Set(existsSync(unstablePath) ? splitWhitespace(readFileSync(unstablePath, 'utf8')) : []);
  const lines: string[] = [];
  const artifacts: ArtifactScore[] = [];
  let total = 0;
  let exact = 0;
  let n = 0;
  for (const name of [...gold.keys()].sort(byCodePoint)) {
    if (skip.has(name)) continue;
    const g = gold.get(name) as string;
    const got = sim.get(name);
    let ok: number;
    let size: number;
    let mark: string;
    if (got === undefined) {
      ok = 0;
      size = Math.max(1, splitLines(g).length);
      mark = 'MISSING';
    } else {
      [ok, size] = scoreArtifact(name, g, got);
      mark = ok === size ? 'exact' : `${ok}/${size}`;
    }
    const frac = size === 0 ? 1 : ok / size;
    total += frac;
    n++;
    if (frac === 1) exact++;
    artifacts.push({ name, ok, size, exact: frac === 1, missing: got === undefined });
    lines.push(`  ${pad40(name)} ${mark}`);
    if (opts.verbose && got !== undefined && frac < 1) {
      for (const l of unifiedDiff(splitLines(g), splitLines(got), 1)) lines.push('    ' + l);
    }
  }
  const extra = [...sim.keys()].filter((k) => !gold.has(k)).sort(byCodePoint);
  for (const name of extra) lines.push(`  ${pad40(name)} extra`);
  const fidelity = n ? (100 * total) / n : 0;
  lines.push(`fidelity ${formatPct(fidelity)}% (${exact}/${n} artifacts exact)`);
  return { artifacts, extra, fidelity, exact, total: n, report: lines.join('\n') + '\n' };
}
