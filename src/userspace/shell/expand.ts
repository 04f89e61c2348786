// The pure parts of word expansion: brace expansion, field splitting on IFS,
// and the quoting `set -x` uses to show a word.
import type { Word, WordPart } from './ast.ts';
import type { PatChar } from './pattern.ts';

/**
 * Expanded text on its way to fields. 'lit' is unquoted source text (not split),
 * 'exp' an unquoted expansion (split on IFS), 'q' quoted text. A break separates
 * the elements of $@ / $*: 'hard' in "$@", 'soft' (like IFS white space) unquoted.
 */
export type Seg = { readonly s: string; readonly k: 'lit' | 'exp' | 'q' } | { readonly brk: 'hard' | 'soft'; readonly j: string };

const DEFAULT_IFS = ' \t\n';

/** Field splitting (POSIX 2.6.5) and empty-field removal. */
export function splitFields(segs: readonly Seg[], ifs: string | undefined): string[] {
  const IFS = ifs ?? DEFAULT_IFS;
  const fields: string[] = [];
  let cur = '';
  let started = false;
  let wsDelim = false;
  const end = (): void => {
    fields.push(cur);
    cur = '';
    started = false;
  };
  for (const seg of segs) {
    if ('brk' in seg) {
      if (started) end();
      wsDelim = seg.brk === 'soft';
      continue;
    }
    if (seg.k !== 'exp') {
      cur += seg.s;
      if (seg.s !== '' || seg.k === 'q') {
        started = true;
        wsDelim = false;
      }
      continue;
    }
    for (const c of seg.s) {
      if (IFS.includes(c)) {
        if (c === ' ' || c === '\t' || c === '\n') {
          if (started) {
            end();
            wsDelim = true;
          }
        } else {
          if (started) end();
          else if (!wsDelim) fields.push('');
          cur = '';
          wsDelim = false;
        }
      } else {
        cur += c;
        started = true;
        wsDelim = false;
      }
    }
  }
  if (started) fields.push(cur);
  return fields;
}

/** The segments as one string, as in an assignment (no splitting). */
export function joinSegs(segs: readonly Seg[]): string {
  let out = '';
  for (const seg of segs) out += 'brk' in seg ? seg.j : seg.s;
  return out;
}

/** The segments as pattern characters: quoted text matches itself only. */
export function patternChars(segs: readonly Seg[]): PatChar[] {
  const out: PatChar[] = [];
  for (const seg of segs) {
    if ('brk' in seg) {
      for (const c of seg.j) out.push({ c, active: false });
      continue;
    }
    const active = seg.k !== 'q';
    for (const c of seg.s) out.push({ c, active });
  }
  return out;
}

/** Appends src to dst (a spread would pass every element as an argument and overflow the stack). */
export function pushAll<T>(dst: T[], src: readonly T[]): void {
  for (const x of src) dst.push(x);
}

/** Brace expansion ({a,b}, {1..5}, {a..e..2}) within the unquoted literal parts of a word. */
export function braceExpand(w: Word): Word[] {
  for (let i = 0; i < w.parts.length; i++) {
    const p = w.parts[i] as WordPart;
    if (p.t !== 'lit') continue;
    const alts = braceOnce(p.s);
    if (!alts) continue;
    const out: Word[] = [];
    for (const a of alts) {
      const parts = [...w.parts.slice(0, i), ...(a ? [{ t: 'lit' as const, s: a }] : []), ...w.parts.slice(i + 1)];
      pushAll(out, braceExpand({ parts, raw: w.raw }));
    }
    return out;
  }
  return [w];
}

/**
 * How many words brace expansion makes of w, without making them (a count
 * past 2^53 comes out as a large number or Infinity): the shell checks it
 * against the memory budget first.
 */
export function braceCount(w: Word): number {
  let n = 1;
  const memo = new Map<string, number>();
  for (const p of w.parts) if (p.t === 'lit') n *= countIn(p.s, memo);
  return n;
}

function countIn(s: string, memo: Map<string, number>): number {
  const first = s.indexOf('{');
  if (first < 0) return 1;
  // what comes before the first brace (but the '$' of ${) does not change the count
  const key = s.slice(Math.max(0, first - 1));
  const known = memo.get(key);
  if (known !== undefined) return known;
  const b = braceAt(s);
  let n = 1;
  if (b) {
    if (b.items) {
      n = 0;
      for (const it of b.items) n += countIn(it + b.post, memo);
    } else n = b.seqLen * countIn(b.post, memo);
  }
  memo.set(key, n);
  return n;
}

/** The first brace expression of s: its items (a list) or its sequence's length, and what follows it. */
function braceAt(s: string): { pre: string; post: string; items: string[] | null; seqLen: number; inner: string } | null {
  for (let open = s.indexOf('{'); open >= 0; open = s.indexOf('{', open + 1)) {
    if (s[open - 1] === '$') continue;
    let depth = 0;
    const commas: number[] = [];
    let close = -1;
    for (let i = open + 1; i < s.length; i++) {
      const c = s[i];
      if (c === '{') depth++;
      else if (c === '}') {
        if (depth === 0) {
          close = i;
          break;
        }
        depth--;
      } else if (c === ',' && depth === 0) commas.push(i);
    }
    if (close < 0) return null;
    const pre = s.slice(0, open);
    const post = s.slice(close + 1);
    const inner = s.slice(open + 1, close);
    if (commas.length > 0) {
      const items: string[] = [];
      let from = open + 1;
      for (const c of [...commas, close]) {
        items.push(s.slice(from, c));
        from = c + 1;
      }
      return { pre, post, items, seqLen: 0, inner };
    }
    const len = sequenceLength(inner);
    if (len !== null) return { pre, post, items: null, seqLen: len, inner };
  }
  return null;
}

function sequenceLength(inner: string): number | null {
  let m = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
  let a: number;
  let b: number;
  if (m) {
    a = Number(m[1]);
    b = Number(m[2]);
  } else {
    m = /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(inner);
    if (!m) return null;
    a = (m[1] as string).charCodeAt(0);
    b = (m[2] as string).charCodeAt(0);
  }
  const step = Math.abs(Number(m[3] ?? 1)) || 1;
  return Math.floor(Math.abs(b - a) / step) + 1;
}

/** The first brace expression of s, expanded one level; null if there is none. */
function braceOnce(s: string): string[] | null {
  const b = braceAt(s);
  if (!b) return null;
  const items = b.items ?? sequence(b.inner);
  return items ? items.map((it) => b.pre + it + b.post) : null;
}

function sequence(inner: string): string[] | null {
  let m = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(inner);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    let step = Math.abs(Number(m[3] ?? 1)) || 1;
    if (a > b) step = -step;
    const width = [m[1], m[2]].some((x) => /^-?0\d/.test(x as string)) ? Math.max((m[1] as string).length, (m[2] as string).length) : 0;
    const out: string[] = [];
    for (let v = a; step > 0 ? v <= b : v >= b; v += step) {
      const neg = v < 0;
      let d = String(Math.abs(v));
      if (width) d = d.padStart(width - (neg ? 1 : 0), '0');
      out.push((neg ? '-' : '') + d);
    }
    return out;
  }
  m = /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(inner);
  if (m) {
    const a = (m[1] as string).charCodeAt(0);
    const b = (m[2] as string).charCodeAt(0);
    let step = Math.abs(Number(m[3] ?? 1)) || 1;
    if (a > b) step = -step;
    const out: string[] = [];
    for (let v = a; step > 0 ? v <= b : v >= b; v += step) out.push(String.fromCharCode(v));
    return out;
  }
  return null;
}

/** A word as `set -x` prints it: single-quoted when it holds shell syntax. */
export function xtraceQuote(s: string): string {
  if (s === '') return "''";
  if (!/[\s'"\\|&;()<>!{}*[\]?^$`]/.test(s) && !/^[~#]/.test(s) && !/[=:]~/.test(s)) return s;
  return "'" + s.replace(/'/g, "'\\''") + "'";
}
