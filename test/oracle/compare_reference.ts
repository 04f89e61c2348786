// What the oracle's Python tools (../shared/oracle: normalize.py, compare.py)
// computed for the inputs of compare.test.ts, recorded by compare.record.ts
// into compare.recorded.json, so the test checks our TypeScript port against
// them without reading ../shared. The inputs are made here, for both.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

const HERE = dirname(fileURLToPath(import.meta.url));
export const GOLDEN = join(HERE, 'golden');
export const GOLDENS = readdirSync(GOLDEN).sort();

/** Random text for the normal forms: 400 pairs, fixed seed. */
export function randomTexts(): { a: string; b: string }[] {
  const pieces = [
    'time=',
    '12',
    '3.5',
    '.',
    ' ms',
    ', time ',
    'ms',
    'rtt min/avg/max/mdev = ',
    '0.1/0.2/0.3/0.0',
    '12:34:56.123456 ',
    '\n',
    '\r\n',
    '\r',
    '\x0b',
    '\x0c',
    '\x1c',
    '\x1f',
    '\x85',
    '\u2028',
    '\xa0',
    '\u3000',
    '\u200b',
    '\ufeff',
    ' ',
    '  ',
    '\t',
    'skbaddr=',
    'ffff888012345678',
    ' gw ',
    ' err ',
    'location=',
    'ip_rcv_core+0x1a/0x2f0',
    'rx_sk=',
    '00000000',
    '0',
    'SK',
    'skaddr=',
    'sock=',
    'confirmed ',
    'updated ',
    'used ',
    '4294',
    'entries ',
    'primary_key6 ',
    '#',
    'IpInReceives',
    ' 3',
    'TcpExtTCPRcvCoalesce',
    '<*>',
    '<*',
    ',',
    ';',
    ':',
    '=',
    '(',
    ')',
    '[',
    ']',
    '/',
    '١٢',
    '٣.٤',
    'é',
    'x',
    '_',
    'a-b',
    '😀',
    'Ⅻ',
  ];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((a) => a.join(''));
  return fc.sample(fc.tuple(text, text), { numRuns: 400, seed: 42 }).map(([a, b]) => ({ a, b }));
}

/** The goldens whose copy's report is checked line for line. */
export const COPY_REPORTS = ['ping-veth', 'nat-masquerade'];
/** The perturbed goldens whose report is checked (every third), and those also checked with -v (index % 4 == 0). */
export const PERTURBED_REPORTS = GOLDENS.filter((_, i) => i % 3 === 0);

/** A golden copied as a simulator would write it: captures without their decoded .txt. */
export function simCopy(name: string, dest: string): string {
  rmSync(dest, { recursive: true, force: true });
  cpSync(join(GOLDEN, name), dest, { recursive: true });
  const pcapRoot = join(dest, 'pcap');
  if (existsSync(pcapRoot)) {
    for (const ns of readdirSync(pcapRoot)) {
      for (const f of readdirSync(join(pcapRoot, ns))) {
        if (f.endsWith('.pcap')) unlinkSync(join(pcapRoot, ns, f.slice(0, -5) + '.txt'));
      }
    }
  }
  return dest;
}

/** Edits a simulated copy so that it scores below 100%. */
export function perturb(dir: string, variant: number): void {
  const edit = (rel: string, fn: (s: string) => string) => {
    const p = join(dir, rel);
    if (existsSync(p)) writeFileSync(p, fn(readFileSync(p, 'utf8')));
  };
  const firstNs = readdirSync(join(dir, 'nstat')).sort()[0]!;
  const firstLinks = readdirSync(join(dir, 'links')).sort()[0]!;
  // transcript: one line dropped, one added
  edit('transcript.txt', (s) => {
    const l = s.split('\n');
    l.splice(Math.min(1, l.length - 1), 1);
    return l.join('\n') + 'an extra line\n';
  });
  // nstat: one counter changed, one added, one zero (normalized away)
  edit(`nstat/${firstNs}`, (s) => s.replace(/ (\d+)\n/, (_, n: string) => ` ${Number(n) + 1}\n`) + 'TcpExtSimOnly 4\nIpExtInNoRoutes 0\n');
  // trace: a token changed in every other line
  if (variant % 2 === 0)
    edit('trace.txt', (s) =>
      s
        .split('\n')
        .map((l, i) => (i % 2 ? l.replace(/\b\d+\b/, '999') : l))
        .join('\n'),
    );
  // links: removed
  if (variant % 3 !== 1) rmSync(join(dir, 'links', firstLinks));
  // an artifact the golden lacks
  mkdirSync(join(dir, 'extra'), { recursive: true });
  writeFileSync(join(dir, 'extra', 'sim-only.txt'), 'hello\n');
  // a capture with its last record cut off, and (sometimes) one that is not a capture at all
  const pcapRoot = join(dir, 'pcap');
  const caps = readdirSync(pcapRoot)
    .sort()
    .flatMap((ns) =>
      readdirSync(join(pcapRoot, ns))
        .sort()
        .filter((f) => f.endsWith('.pcap'))
        .map((f) => join(pcapRoot, ns, f)),
    );
  const big = caps.find((p) => readFileSync(p).length > 200);
  if (big) {
    const b = readFileSync(big);
    writeFileSync(big, b.subarray(0, b.length - 10));
  }
  if (variant % 2 === 1 && caps[0]) writeFileSync(caps[0], 'not a capture');
}

/** The edge-case directories: a golden with unstable.txt and its sim. */
export function edgeDirs(root: string): { gold: string; sim: string; none: string } {
  const dir = (name: string, files: Record<string, string>) => {
    const d = join(root, 'edge', name);
    rmSync(d, { recursive: true, force: true });
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(d, f)), { recursive: true });
      writeFileSync(join(d, f), text);
    }
    return d;
  };
  const gold = dir('g1', {
    'transcript.txt': 'a\nb\n',
    'trace.txt': 'x\n',
    'links/a.txt': '',
    'unstable.txt': 'trace.txt\n  other.txt\n',
  });
  const sim = dir('s1', { 'transcript.txt': 'a\nc\n', 'trace.txt': 'y\n', 'links/a.txt': '' });
  return { gold, sim, none: join(root, 'edge', 'does-not-exist') };
}

export interface Recorded {
  /** normalize.py's [transcript, nstat, iptables, trace, tokens, line_matches(a,b), line_matches(a,a), splitlines] per random pair. */
  normalize: unknown[][];
  /** compare.py's report by key: copy:NAME, perturbed:NAME, perturbed-v:NAME, edge, edge-none. */
  reports: Record<string, string>;
}
