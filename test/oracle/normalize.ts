// The oracle's normal forms (ORACLE.md "Normal forms"): what makes an artifact
// the simulator wrote comparable, line by line, with one Linux recorded.
//
// Written to agree with the oracle's Python on any text, Unicode included:
// Python's `\s`, `\d`, `\b` and `str.splitlines` are wider than JavaScript's,
// so the classes below spell out Python's sets.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const WILD = '<*>';

/** Python's whitespace (str.isspace, re's \s on str). */
const WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python's \d on str: any decimal digit. */
const D = '\\p{Nd}';
/** Python's \b on str: between a word character (letter, number, _) and anything else. */
const WORD = '[\\p{L}\\p{N}_]';
const B = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
/** Python's \S. */
const NS = `[^${WS}]`;

const re = (src: string) => new RegExp(src, 'gu');

/** Line breaks Python's str.splitlines knows: \n \r \r\n \v \f \x1c \x1d \x1e \x85 \u2028 \u2029. */
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Python's str.splitlines(): no empty last element for a trailing break. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const out = text.split(new RegExp(LINE_BREAK.source, 'g'));
  // A break at the very end leaves one empty string that splitlines drops.
  if (LINE_BREAK.test(text.slice(-1))) out.pop();
  return out;
}

/** Lines joined with "\n" and a final "\n" when there are any. */
function joinLines(lines: string[]): string {
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** Orders strings by code point, as Python's sort does. */
export function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0)! - (y[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Python's str.split() with no argument. */
export function splitWhitespace(s: string): string[] {
  return s.split(re(`[${WS}]+`)).filter((t) => t !== '');
}

const TRANSCRIPT: Array<[RegExp, string]> = [
  [re(`time=${D}+(?:\\.${D}+)? ms`), 'time=<T> ms'],
  [re(`, time ${D}+ms`), ', time <T>ms'],
  [re(`rtt min/avg/max/mdev = ${NS}+ ms`), 'rtt min/avg/max/mdev = <RTT> ms'],
  // traceroute hop times
  [re(`(?<= )${D}+\\.${D}+ ms`), '<T> ms'],
  // tcpdump stamps at a line start (after "\n" only, as Python's (?m)^)
  [re(`(?<![^\\n])${D}${D}:${D}${D}:${D}${D}\\.${D}{6} `), '<TS> '],
];

/** Masks times in stdout+stderr of a scenario. */
export function normalizeTranscript(text: string): string {
  let t = text;
  for (const [pattern, by] of TRANSCRIPT) t = t.replace(pattern, by);
  return t;
}

const PCAP_STAMP = new RegExp(`^${D}${D}:${D}${D}:${D}${D}\\.${D}+ `, 'u');

/** Cuts the leading timestamp from each line of `tcpdump -nn -e -vv -r` output. */
export function normalizePcapText(tcpdumpStdout: string): string {
  return joinLines(splitLines(tcpdumpStdout).map((l) => l.replace(PCAP_STAMP, '')));
}

/** The tcpdump the oracle used, found on PATH (or where Debian puts it). */
export function findTcpdump(): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const d of [...dirs, '/usr/sbin', '/usr/bin']) {
    const p = join(d, 'tcpdump');
    if (existsSync(p)) return p;
  }
  return null;
}

/** Turns a capture file into its normal form. */
export type PcapDecoder = (path: string) => string;

/** Decodes with the real tcpdump; a file it cannot read gives "UNREADABLE: <stderr>". */
export const tcpdumpDecoder: PcapDecoder = (path) => {
  const bin = findTcpdump();
  if (bin === null) return 'UNREADABLE: tcpdump not found\n';
  const r = spawnSync(bin, ['-nn', '-e', '-vv', '-r', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return `UNREADABLE: ${(r.stderr ?? '').replace(re(`^[${WS}]+|[${WS}]+$`), '')}\n`;
  return normalizePcapText(universalNewlines(r.stdout));
};

/** Counters that follow process scheduling, not packets (they differ between real runs). */
export const SCHEDULING_COUNTERS: ReadonlySet<string> = new Set(['TcpExtTCPRcvCoalesce', 'TcpExtTCPBacklogCoalesce']);

/** `NAME VALUE` for each nonzero counter of `nstat -asz`, sorted, scheduling counters left out. */
export function normalizeNstat(text: string): string {
  const out: string[] = [];
  for (const line of splitLines(text)) {
    const parts = splitWhitespace(line);
    const [name, value] = parts;
    if (name === undefined || value === undefined) continue;
    if (line.startsWith('#') || value === '0' || SCHEDULING_COUNTERS.has(name)) continue;
    out.push(`${name} ${value}`);
  }
  return joinLines(out.sort(byCodePoint));
}

/** `iptables-save -c` without its comment lines (generator, dates). */
export function normalizeIptables(text: string): string {
  return joinLines(splitLines(text).filter((l) => !l.startsWith('#')));
}

const TRACE: Array<[RegExp, string]> = [
  [re(`skbaddr=${NS}+`), 'skbaddr=SKB'],
  // the tracepoint prints stale memory here
  [re(` gw ${NS}+ err `), ' gw <GW> err '],
  [re('location=([A-Za-z0-9_.]+)\\+0x[0-9a-f]+/0x[0-9a-f]+'), 'location=$1'],
  [re(`rx_sk=0+${B}`), 'rx_sk=NULL'],
  [re('rx_sk=[0-9a-f]{8,}'), 'rx_sk=SK'],
  [re(`${B}(skaddr|sock)=[0-9a-f]{8,}`), '$1=SK'],
  [re(`${B}(confirmed|updated|used) ${D}+`), '$1 <J>'],
  [re(`${B}entries ${D}+`), 'entries <N>'],
  [re(`${B}primary_key6 ${NS}+`), 'primary_key6 <K6>'],
];

/** Masks pointers, jiffies and offsets in ftrace text. */
export function normalizeTrace(text: string): string {
  return joinLines(
    splitLines(text).map((line) => {
      let l = line;
      for (const [pattern, by] of TRACE) l = l.replace(pattern, by);
      return l;
    }),
  );
}

/**
 * Normalizes one artifact by its name: `value` is text, or for a `.pcap`
 * the file's path. Returns the normalized name (a capture becomes `.txt`)
 * and text.
 */
export function normalizeArtifact(name: string, value: string, decode: PcapDecoder = tcpdumpDecoder): [string, string] {
  if (name.endsWith('.pcap')) return [name.slice(0, -'.pcap'.length) + '.txt', decode(value)];
  switch (name.split('/')[0]) {
    case 'transcript.txt':
      return [name, normalizeTranscript(value)];
    case 'nstat':
      return [name, normalizeNstat(value)];
    case 'iptables':
      return [name, normalizeIptables(value)];
    case 'trace.txt':
      return [name, normalizeTrace(value)];
    default:
      return [name, value];
  }
}

/** Python's text-mode reading: "\r\n" and "\r" become "\n". */
function universalNewlines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

/** Files under `root` as paths relative to it, walking into real directories only (os.walk). */
function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(root, r));
    else if (e.isSymbolicLink()) {
      const st = statSync(join(root, r), { throwIfNoEntry: false });
      if (st && !st.isDirectory()) out.push(r);
    } else out.push(r);
  }
  return out;
}

/**
 * Reads an artifact directory, golden or simulated, into {name: normalized
 * text}. A capture with a `.txt` beside it (a golden's masked decoding) is
 * represented by that `.txt`; one without is decoded. Other files than
 * `.txt` and `.pcap`, and `unstable.txt`, are left out.
 */
export function loadDir(dir: string, decode: PcapDecoder = tcpdumpDecoder): Map<string, string> {
  const raw = new Map<string, string>();
  for (const name of walk(dir)) {
    if (name === 'unstable.txt') continue;
    const full = join(dir, name);
    if (name.endsWith('.pcap')) {
      if (!existsSync(full.slice(0, -'.pcap'.length) + '.txt')) raw.set(name, full);
    } else if (name.endsWith('.txt')) {
      raw.set(name, universalNewlines(new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync(full))));
    }
  }
  const out = new Map<string, string>();
  for (const [name, value] of raw) {
    const [n, text] = normalizeArtifact(name, value, decode);
    out.set(n, text);
  }
  return out;
}

/** Splits a line at `<*>`, at runs of white space and at runs of `,;:=()[]/`, keeping the separators as tokens. */
export function tokens(line: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of line.matchAll(TOKEN_SPLIT)) {
    if (m.index > last) out.push(line.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < line.length) out.push(line.slice(last));
  return out;
}
const TOKEN_SPLIT = re(`<\\*>|[${WS}]+|[,;:=()\\[\\]/]+`);

/** Token lists agree, a golden `<*>` matching any one token. */
export function tokensMatch(gold: readonly string[], got: readonly string[]): boolean {
  if (gold.length !== got.length) return false;
  for (let i = 0; i < gold.length; i++) if (gold[i] !== WILD && gold[i] !== got[i]) return false;
  return true;
}

/** A golden line matches a produced one: `<*>` alone matches any line, a `<*>` token any one token. */
export function lineMatches(gold: string, got: string): boolean {
  if (gold === WILD) return true;
  return tokensMatch(tokens(gold), tokens(got));
}
