import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareDirs, formatPct, lcs, scoreArtifact, unifiedDiff } from './compare.ts';
import {
  findTcpdump,
  lineMatches,
  loadDir,
  normalizeIptables,
  normalizeNstat,
  normalizePcapText,
  normalizeTrace,
  normalizeTranscript,
  splitLines,
  tcpdumpDecoder,
  tokens,
  type PcapDecoder,
} from './normalize.ts';
import {
  COPY_REPORTS,
  edgeDirs,
  GOLDEN,
  GOLDENS,
  PERTURBED_REPORTS,
  perturb,
  randomTexts,
  type Recorded,
  simCopy,
} from './compare_reference.ts';
import recorded from './compare.recorded.json' with { type: 'json' };

/** What the oracle's Python tools computed for the same inputs (compare.record.ts). */
const PY = recorded as Recorded;
function pyReport(key: string): string {
  const r = PY.reports[key];
  if (r === undefined) throw new Error(`no recorded compare.py report '${key}': run npx tsx test/oracle/compare.record.ts`);
  return r;
}
const TCPDUMP = findTcpdump();
const why = (what: string) => `(SKIPPED: ${what} not available)`;

const tmp = mkdtempSync(join(tmpdir(), 'skbpath-oracle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** tcpdump runs once per capture file across the whole file of tests. */
const decodeCache = new Map<string, string>();
const cachedDecoder: PcapDecoder = (path) => {
  const key = readFileSync(path).toString('base64');
  let v = decodeCache.get(key);
  if (v === undefined) decodeCache.set(key, (v = tcpdumpDecoder(path)));
  return v;
};

describe('tokens and matching', () => {
  it('split at <*>, white space runs and punctuation runs, keeping them', () => {
    expect(tokens('id <*>, seq 1, length 64')).toEqual(['id', ' ', '<*>', ',', ' ', 'seq', ' ', '1', ',', ' ', 'length', ' ', '64']);
    expect(tokens('0.0.0.0/<*> -> 10.0.2.10/1025')).toEqual(['0.0.0.0', '/', '<*>', ' ', '->', ' ', '10.0.2.10', '/', '1025']);
    expect(tokens('a<*>b')).toEqual(['a', '<*>', 'b']);
    expect(tokens(':PREROUTING ACCEPT [0:0]')).toEqual([':', 'PREROUTING', ' ', 'ACCEPT', ' ', '[', '0', ':', '0', ']']);
    expect(tokens('x ,; y')).toEqual(['x', ' ', ',;', ' ', 'y']);
    expect(tokens('')).toEqual([]);
  });

  it('a golden <*> matches one token; a <*> line matches any line', () => {
    expect(lineMatches('id <*>, seq 1', 'id 4660, seq 1')).toBe(true);
    expect(lineMatches('id <*>, seq 1', 'id 4660, seq 2')).toBe(false);
    expect(lineMatches('id <*>, seq 1', 'id 1 2, seq 1')).toBe(false);
    expect(lineMatches('id <*>, seq 1', 'id  4660, seq 1')).toBe(false); // white space counts
    expect(lineMatches('<*>', 'anything at all')).toBe(true);
    expect(lineMatches('<*>', '')).toBe(true);
    expect(lineMatches('a', '<*>')).toBe(false); // only the golden side is a pattern
  });

  it('LCS over matching lines', () => {
    expect(lcs(['a', 'b <*>', 'c'], ['a', 'x', 'b 2', 'c'])).toBe(3);
    expect(lcs(['a', 'b'], ['b', 'a'])).toBe(1);
    expect(lcs([], ['a'])).toBe(0);
  });

  it('nstat scores counter by counter', () => {
    expect(scoreArtifact('nstat/a.txt', 'A 1\nB 2\nC 3\n', 'A 1\nB 5\nD 1\n')).toEqual([1, 4]);
    expect(scoreArtifact('nstat/a.txt', 'A <*>\n', 'A 7\n')).toEqual([1, 1]);
    expect(scoreArtifact('nstat/a.txt', '', '')).toEqual([0, 0]);
    expect(scoreArtifact('links/a.txt', 'x\ny\n', 'x\n')).toEqual([1, 2]);
    expect(scoreArtifact('links/a.txt', '', '')).toEqual([0, 0]);
  });

  it('formats percentages as Python does, ties to even', () => {
    expect(formatPct(100)).toBe('100.0');
    expect(formatPct(0)).toBe('0.0');
    expect(formatPct(12.25)).toBe('12.2');
    expect(formatPct(12.75)).toBe('12.8');
    expect(formatPct(0.35)).toBe('0.3'); // 0.34999…
    expect(formatPct((2 / 3) * 100)).toBe('66.7');
  });
});

describe('normal forms', () => {
  it('transcript masks times', () => {
    const t = [
      '64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.045 ms',
      '3 packets transmitted, 3 received, 0% packet loss, time 2051ms',
      'rtt min/avg/max/mdev = 0.041/0.046/0.052/0.004 ms',
      ' 1  10.0.1.1  0.048 ms  0.010 ms',
      '12:00:01.123456 IP 10.0.0.1 > 10.0.0.2: ICMP echo request',
      'x 12:00:01.123456 not at a line start',
    ].join('\n');
    expect(normalizeTranscript(t)).toBe(
      [
        '64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=<T> ms',
        '3 packets transmitted, 3 received, 0% packet loss, time <T>ms',
        'rtt min/avg/max/mdev = <RTT> ms',
        ' 1  10.0.1.1  <T> ms  <T> ms',
        '<TS> IP 10.0.0.1 > 10.0.0.2: ICMP echo request',
        'x 12:00:01.123456 not at a line start',
      ].join('\n'),
    );
  });

  it('nstat keeps nonzero counters, sorted, without scheduling counters', () => {
    const raw =
      '#kernel\nIpInReceives                    3                  0.0\nIpForwDatagrams 0 0.0\nTcpExtTCPRcvCoalesce 2 0.0\nIcmpInMsgs 3 0.0\n';
    expect(normalizeNstat(raw)).toBe('IcmpInMsgs 3\nIpInReceives 3\n');
    expect(normalizeNstat('')).toBe('');
  });

  it('iptables drops comments', () => {
    expect(normalizeIptables('# Generated by iptables-save\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n# Completed\n')).toBe(
      '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n',
    );
  });

  it('trace masks pointers, offsets and jiffies', () => {
    const raw = [
      'kfree_skb: skbaddr=ffff8880045a1200 rx_sk=0000000000000000 protocol=2048 location=ip_rcv_core+0x1a3/0x3b0 reason: IP_CSUM',
      'fib_table_lookup: table 254 oif 0 iif 1 proto 1 0.0.0.0/0 -> 10.0.2.10/0 tos 0 scope 0 flags 0 ==> dev va gw 10.0.1.1 err 0',
      'neigh_update: family 2 dev va entries 3 confirmed 4295 updated 4296 used 4297 primary_key6 ::ffff',
      'inet_sock_set_state: skaddr=ffff888003c4b000 sock=ffff888003c4b001 rx_sk=ffff888003c4b002',
    ].join('\n');
    expect(normalizeTrace(raw)).toBe(
      [
        'kfree_skb: skbaddr=SKB rx_sk=NULL protocol=2048 location=ip_rcv_core reason: IP_CSUM',
        'fib_table_lookup: table 254 oif 0 iif 1 proto 1 0.0.0.0/0 -> 10.0.2.10/0 tos 0 scope 0 flags 0 ==> dev va gw <GW> err 0',
        'neigh_update: family 2 dev va entries <N> confirmed <J> updated <J> used <J> primary_key6 <K6>',
        'inet_sock_set_state: skaddr=SK sock=SK rx_sk=SK',
        '',
      ].join('\n'),
    );
  });

  it('pcap text loses its leading stamps only', () => {
    expect(normalizePcapText('12:00:01.000001 02:00 > ff:ff, ARP\n    10.0.0.1 > 10.0.0.2: 12:00:01.000001 \n')).toBe(
      '02:00 > ff:ff, ARP\n    10.0.0.1 > 10.0.0.2: 12:00:01.000001 \n',
    );
    expect(normalizePcapText('')).toBe('');
  });

  it('splitLines is Python’s splitlines', () => {
    expect(splitLines('a\nb\r\nc\rd\x0be\x0cf\x1cg\x85h\u2028i\u2029')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
    expect(splitLines('a\n\nb\n')).toEqual(['a', '', 'b']);
    expect(splitLines('\n')).toEqual(['']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\x1fb')).toEqual(['a\x1fb']);
  });

  it('agree with normalize.py on random text', () => {
    const cases = randomTexts();
    const want = PY.normalize;
    expect(want.length).toBe(cases.length);
    cases.forEach(({ a, b }, i) => {
      const got = [
        normalizeTranscript(a),
        normalizeNstat(a),
        normalizeIptables(a),
        normalizeTrace(a),
        tokens(a),
        lineMatches(a, b),
        lineMatches(a, a),
        splitLines(a),
      ];
      expect(got, JSON.stringify(a)).toEqual(want[i]);
    });
  });
});

describe.skipIf(!TCPDUMP)(`each golden against itself ${TCPDUMP ? '' : why('tcpdump')}`, () => {
  it.each(GOLDENS)('%s: decoded captures match the golden .txt, and the copy scores 100%%', (name) => {
    const sim = simCopy(name, join(tmp, 'sim', name));
    // The captures' normal form agrees with what the oracle recorded.
    const gold = loadDir(join(GOLDEN, name), cachedDecoder);
    const mine = loadDir(sim, cachedDecoder);
    expect([...mine.keys()].sort()).toEqual([...gold.keys()].sort());
    let captures = 0;
    for (const [art, text] of mine) {
      if (!art.startsWith('pcap/')) continue;
      captures++;
      const g = splitLines(gold.get(art)!);
      const s = splitLines(text);
      expect(s.length, art).toBe(g.length);
      g.forEach((line, i) => expect(lineMatches(line, s[i]!), `${art}:${i + 1}\n  gold: ${line}\n  got:  ${s[i]}`).toBe(true));
    }
    expect(captures).toBeGreaterThan(0);

    const res = compareDirs(join(GOLDEN, name), sim, { decodePcap: cachedDecoder });
    expect(res.fidelity).toBe(100);
    expect(res.exact).toBe(res.total);
    expect(res.total).toBe(gold.size);
    expect(res.extra).toEqual([]);
    expect(res.artifacts.every((a) => a.exact && !a.missing)).toBe(true);
    expect(res.report.trimEnd().split('\n').at(-1)).toBe(`fidelity 100.0% (${res.total}/${res.total} artifacts exact)`);
  });

  it('prints what compare.py prints for a golden against its copy', () => {
    for (const name of COPY_REPORTS) {
      const sim = simCopy(name, join(tmp, 'sim', name));
      expect(compareDirs(join(GOLDEN, name), sim, { decodePcap: cachedDecoder }).report).toBe(pyReport(`copy:${name}`));
    }
  });
});

describe.skipIf(!TCPDUMP)('perturbed copies', () => {
  const cases = GOLDENS.map((name, i) => [name, i] as const);

  it.each(cases)('%s scores below 100%%', (name, variant) => {
    const sim = simCopy(name, join(tmp, 'perturbed', name));
    perturb(sim, variant);
    const res = compareDirs(join(GOLDEN, name), sim);
    expect(res.fidelity).toBeLessThan(100);
    expect(res.exact).toBeLessThan(res.total);
    expect(res.extra).toContain('extra/sim-only.txt');
    expect(res.artifacts.find((a) => a.name === 'transcript.txt')!.exact).toBe(false);
    const ns = res.artifacts.find((a) => a.name.startsWith('nstat/'))!;
    expect(ns.ok).toBe(ns.size - 2);
    if (variant % 3 !== 1) expect(res.artifacts.some((a) => a.missing && a.name.startsWith('links/'))).toBe(true);
    // The fidelity is the mean of per-artifact fractions.
    const mean = (100 * res.artifacts.reduce((s, a) => s + (a.size ? a.ok / a.size : 1), 0)) / res.total;
    expect(res.fidelity).toBeCloseTo(mean, 10);
  });

  it('report is line for line what compare.py prints', () => {
    // every third golden (tcpdump decodes each pcap)
    for (const name of PERTURBED_REPORTS) {
      const gold = join(GOLDEN, name);
      const sim = join(tmp, 'perturbed', name);
      if (!existsSync(sim)) {
        simCopy(name, sim);
        perturb(sim, GOLDENS.indexOf(name));
      }
      const mine = compareDirs(gold, sim, { decodePcap: cachedDecoder });
      expect(mine.report, name).toBe(pyReport(`perturbed:${name}`));
      // With -v (checked on a few), the lines outside the diffs are the same too.
      if (GOLDENS.indexOf(name) % 4 !== 0) continue;
      const outside = (s: string) => s.split('\n').filter((l) => !l.startsWith('    '));
      const verbose = compareDirs(gold, sim, { verbose: true, decodePcap: cachedDecoder }).report;
      expect(outside(verbose)).toEqual(outside(pyReport(`perturbed-v:${name}`)));
      expect(verbose).toContain('    --- golden\n    +++ sim\n    @@ -');
    }
  }, 180_000);
});

describe('edge cases', () => {
  const dir = (name: string, files: Record<string, string>) => {
    const d = join(tmp, 'edge', name);
    rmSync(d, { recursive: true, force: true });
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(d, f)), { recursive: true });
      writeFileSync(join(d, f), text);
    }
    return d;
  };
  const noDecode: PcapDecoder = () => 'decoded\n';

  it('skips what unstable.txt names, and scores a missing sim dir as 0', () => {
    const { gold, sim, none: noneDir } = edgeDirs(tmp);
    const res = compareDirs(gold, sim, { decodePcap: noDecode });
    expect(res.artifacts.map((a) => a.name)).toEqual(['links/a.txt', 'transcript.txt']);
    expect(res.report).toBe(
      `  ${'links/a.txt'.padEnd(40)} exact\n  ${'transcript.txt'.padEnd(40)} 1/2\nfidelity 75.0% (1/2 artifacts exact)\n`,
    );
    const none = compareDirs(gold, noneDir, { decodePcap: noDecode });
    expect(none.fidelity).toBe(0);
    expect(none.artifacts).toEqual([
      { name: 'links/a.txt', ok: 0, size: 1, exact: false, missing: true },
      { name: 'transcript.txt', ok: 0, size: 2, exact: false, missing: true },
    ]);
    expect(res.report).toBe(pyReport('edge'));
    expect(none.report).toBe(pyReport('edge-none'));
  });

  it('normalizes the sim side by artifact kind and decodes bare captures', () => {
    const gold = dir('g2', { 'transcript.txt': 'time=<T> ms\n', 'nstat/a.txt': 'A 1\n', 'pcap/a/va.txt': 'decoded\n' });
    const sim = dir('s2', { 'transcript.txt': 'time=0.123 ms\r\n', 'nstat/a.txt': 'A 1 0.0\nB 0 0.0\n', 'pcap/a/va.pcap': 'raw' });
    const res = compareDirs(gold, sim, { decodePcap: noDecode });
    expect(res.fidelity).toBe(100);
  });

  it('diffs in difflib’s unified format, aligned by wildcards', () => {
    expect(unifiedDiff(['a', 'b', 'c', 'd', 'e', 'f', 'g'], ['a', 'b', 'X', 'd', 'e', 'f', 'g'])).toEqual([
      '--- golden',
      '+++ sim',
      '@@ -2,3 +2,3 @@',
      ' b',
      '-c',
      '+X',
      ' d',
    ]);
    expect(unifiedDiff(['id <*>', 'x'], ['id 5', 'x'])).toEqual([]);
    expect(unifiedDiff(['a'], [])).toEqual(['--- golden', '+++ sim', '@@ -1 +0,0 @@', '-a']);
    expect(unifiedDiff(['a', 'b', 'c', 'd', 'e', 'f'], ['z', 'a', 'b', 'c', 'd', 'e', 'f', 'y'])).toEqual([
      '--- golden',
      '+++ sim',
      '@@ -1 +1,2 @@',
      '+z',
      ' a',
      '@@ -6 +7,2 @@',
      ' f',
      '+y',
    ]);
  });
});
