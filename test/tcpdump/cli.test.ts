// `skbpath tcpdump` on host files, as the filter oracle is measured: -r with a
// filter prints the accepted packets, -d the program, -w writes a savefile.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'src/cli/main.ts');
const BPF = join(ROOT, 'test/oracle/bpf');
const golden = JSON.parse(readFileSync(join(BPF, 'golden.json'), 'utf8')) as {
  filters: Record<string, { listing: string; matches: number[] }>;
  errors: Record<string, { rc: number; stderr: string }>;
};

const run = (args: string[], cwd = BPF) => spawnSync(TSX, [MAIN, 'tcpdump', ...args], { cwd, encoding: 'latin1' });

describe('skbpath tcpdump', () => {
  it('-tt -nn -r corpus.pcap EXPR prints the packets libpcap accepts', () => {
    const expr = 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn';
    const r = run(['-tt', '-nn', '-r', 'corpus.pcap', expr]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('reading from file corpus.pcap, link-type EN10MB (Ethernet), snapshot length 262144\n');
    const got = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => Number(l.slice(0, l.indexOf('.'))));
    expect(got).toEqual(golden.filters[expr]?.matches);
  });

  it('-d -y EN10MB EXPR prints libpcap program; errors exit 1 with its message', () => {
    const r = run(['-d', '-y', 'EN10MB', 'host 10.0.0.2']);
    expect(r.stdout).toBe(golden.filters['host 10.0.0.2']?.listing);
    const e = run(['-d', '-y', 'EN10MB', 'net 10.0.0.1/24']);
    expect(e.status).toBe(1);
    expect(e.stderr.trimEnd()).toBe(golden.errors['net 10.0.0.1/24']?.stderr);
  });

  it('-w writes the filtered packets; -r reads them back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-td-'));
    const w = run(['-r', join(BPF, 'corpus.pcap'), '-w', join(dir, 'icmp.pcap'), 'icmp'], dir);
    expect(w.status).toBe(0);
    const r = run(['-tt', '-nn', '-r', 'icmp.pcap'], dir);
    const got = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => Number(l.slice(0, l.indexOf('.'))));
    expect(got).toEqual(golden.filters.icmp?.matches);
  });
});
