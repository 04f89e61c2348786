// The fuzz campaign (bench/fuzz-campaign.ts, issue 24): its classifier on known
// samples, its inputs reproducible from (seed, index), and a few hundred of
// its inputs run in-process from the generators whose areas hold here
// (tool arguments, pcap/pcapng corruption, shallow filter expressions): none
// may end in a stack trace or an internal error.
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../bench/fuzz-campaign-corpus.ts';
import { runInput } from '../../bench/fuzz-campaign-exec.ts';
import {
  classify,
  failureKey,
  filterExpr,
  type FuzzInput,
  makeInput,
  type Outcome,
  Rng,
  type RunReport,
} from '../../bench/fuzz-campaign-gen.ts';

const MIB = 1048576;
const corpus = loadCorpus(process.cwd());

describe('the campaign classifier', () => {
  const cls = (r: Partial<RunReport>): Outcome => classify({ status: 0, out: '', err: '', ...r }, 1024 * MIB);

  it('accepts what a real tool could print, with any exit status', () => {
    expect(cls({ status: 0, out: 'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n' })).toBe('ok');
    expect(cls({ status: 1, err: 'tcpdump: syntax error in filter expression: syntax error\n' })).toBe('ok');
    expect(cls({ status: 2, err: 'grep: Unmatched ( or \\(\n' })).toBe('ok');
    expect(cls({ status: 124, err: 'skbpath: the run reached its event budget (20000000 events)\n' })).toBe('ok');
    expect(cls({ status: 127, out: 'bash: line 3: python: command not found\n' })).toBe('ok');
    // a script may well print the word "at" indented, or "Error:" of its own
    expect(cls({ status: 0, out: '    at the end\nError: none\nRTNETLINK answers: File exists\n' })).toBe('ok');
  });

  it('finds a stack trace in either stream, or an exception that left the program', () => {
    const trace = 'RangeError: Maximum call stack size exceeded\n    at _Parser.peek (file:///x/dist/skbpath.js:35447:49)\n';
    expect(cls({ status: 1, err: trace })).toBe('stack');
    expect(cls({ status: 1, out: `rc=0\n${trace}` })).toBe('stack');
    expect(cls({ status: 1, err: "TypeError: Cannot read properties of undefined (reading 'x')\n" })).toBe('stack');
    expect(cls({ status: 1, err: '    at Object.<anonymous> (/work/src/userspace/shell/interp.ts:12:3)\n' })).toBe('stack');
    expect(cls({ status: 1, thrown: 'Error: boom' })).toBe('stack');
    expect(cls({ status: 0, out: 'x\nRangeError: Invalid string length\n' })).toBe('stack');
  });

  it('finds internal errors, wall and memory budgets, and dead workers', () => {
    expect(cls({ status: 70, err: 'skbpath: internal error in cat: x\n' })).toBe('internal');
    expect(cls({ status: 1, err: 'skbpath: internal error in ip: y\nplease report it\n' })).toBe('internal');
    expect(cls({ status: null, timedOut: true })).toBe('timeout');
    expect(cls({ status: 0, rss: 1025 * MIB })).toBe('rss');
    expect(cls({ status: 0, rss: 1023 * MIB })).toBe('ok');
    expect(cls({ status: null, died: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' })).toBe('rss');
    expect(cls({ status: null, died: 'killed by SIGSEGV' })).toBe('crash');
  });

  it('deduplicates failures by message and place, not by numbers', () => {
    const overflow = (line: number): RunReport => ({
      status: 1,
      out: '',
      err:
        'RangeError: Maximum call stack size exceeded\n    at RegExp.test (<anonymous>)\n' +
        `    at _Parser.peek (file:///a/src/userspace/tcpdump/grammar.ts:${line}:9)\n` +
        `    at _Parser.unary (file:///a/src/userspace/tcpdump/grammar.ts:${line + 7}:9)\n` +
        '    at compileFilter (file:///a/src/userspace/tcpdump/compile.ts:3:1)\n',
    });
    expect(failureKey(overflow(10), 'stack')).toBe(failureKey(overflow(99), 'stack'));
    expect(failureKey(overflow(10), 'stack')).toBe(
      'stack: RangeError: Maximum call stack size exceeded @ recursion in src/userspace/tcpdump/grammar.ts',
    );
    const regex = (re: string): RunReport => ({
      status: 1,
      out: '',
      thrown: `SyntaxError: Invalid regular expression: /${re}/: Unterminated group\n    at new RegExp (<anonymous>)\n    at selectPath (/a/src/machine/path_report.ts:32:16)\n`,
      err: '',
    });
    expect(failureKey(regex('('), 'stack')).toBe(failureKey(regex('a(b'), 'stack'));
    expect(failureKey(regex('('), 'stack')).toBe(
      'stack: SyntaxError: Invalid regular expression: /…/: Unterminated group @ selectPath (src/machine/path_report.ts)',
    );
  });
});

describe('the campaign inputs', () => {
  it('are made again from the seed and the index alone', () => {
    for (const i of [0, 1, 2, 3, 401, 99999]) {
      const a = makeInput(7, i, corpus);
      expect(makeInput(7, i, corpus)).toEqual(a);
      expect(makeInput(8, i, corpus)).not.toEqual(a);
    }
    expect(['shell', 'args', 'pcap', 'filter'].map((_, i) => makeInput(1, i, corpus).gen)).toEqual(['shell', 'args', 'pcap', 'filter']);
  });

  it('include pcapng files and classic pcaps, whole and corrupted', () => {
    const heads = new Set<string>();
    for (let i = 2; i < 400; i += 4) {
      const f = makeInput(3, i, corpus, ['pcap']).files['in.pcap'] as Uint8Array;
      heads.add(f.length >= 4 ? Array.from(f.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('') : 'short');
    }
    expect(heads.has('0a0d0d0a')).toBe(true); // pcapng section header block
    expect(heads.has('d4c3b2a1')).toBe(true); // little-endian pcap
    expect(heads.size).toBeGreaterThan(3); // bad magics too
  });
});

describe('a short campaign in-process', () => {
  const failures = (inputs: FuzzInput[]): string[] => {
    const bad: string[] = [];
    for (const input of inputs) {
      const rep = runInput(input);
      const c = classify(rep, Number.POSITIVE_INFINITY);
      if (c !== 'ok') bad.push(`#${input.index} ${input.argv.slice(0, 4).join(' ')}: ${failureKey(rep, c)}`);
    }
    return bad;
  };

  it('corrupted pcap and pcapng files: no stack trace, no internal error', () => {
    const inputs = Array.from({ length: 250 }, (_, i) => makeInput(1, i, corpus, ['pcap']));
    expect(failures(inputs)).toEqual([]);
  });

  it('tool argument fuzz: no stack trace, no internal error', () => {
    const inputs = Array.from({ length: 60 }, (_, i) => makeInput(1, i, corpus, ['args']));
    expect(failures(inputs)).toEqual([]);
  });

  it('filter expressions of bounded depth for tcpdump -d: no stack trace, no internal error', () => {
    const inputs: FuzzInput[] = [];
    for (let i = 0; i < 200; i++) {
      const r = new Rng(1000 + i);
      inputs.push({ gen: 'filter', index: i, argv: ['tcpdump', '-d', filterExpr(r, r.range(0, 5))], files: {} });
    }
    expect(failures(inputs)).toEqual([]);
  });
});
