// The IPv6 printers on malformed input: the mutated corpus prints what
// tcpdump 4.99.3 printed for it (fixtures/tcpdump6.fuzz.recorded.json, from
// tcpdump6.fuzz.record.ts), and random bytes behind an IPv6 ethertype never
// throw at any verbosity.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Vfs } from '../../src/userspace/proc.ts';
import { Printer } from '../../src/userspace/tcpdump/print.ts';
import { tcpdumpOffline } from '../../src/userspace/tools/tcpdump.ts';
import { mutatedPcap, randomFrames, randomPcap } from './tcpdump6.cases.ts';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/tcpdump6.fuzz.recorded.json', import.meta.url), 'utf8')) as {
  args: string[];
  stdout: string;
  stderr: string;
  status: number;
}[];

const files: Record<string, string> = {
  'mut6.pcap': Buffer.from(mutatedPcap()).toString('latin1'),
  'rand6.pcap': Buffer.from(randomPcap()).toString('latin1'),
};

// Frames whose mutated next header is a protocol tcpdump decodes and skbpath
// does not (here RSVP) print as an unknown protocol.
const NOT_DECODED: Record<string, number[]> = { 'mut6.pcap': [860], 'rand6.pcap': [] };

describe('mutated IPv6 frames as tcpdump 4.99.3 prints them', () => {
  for (const r of recorded) {
    it(r.args.join(' '), () => {
      const vfs: Vfs = { readFile: (p) => files[p] ?? { errno: 'ENOENT' }, writeFile: () => null };
      let out = '';
      let err = '';
      const rc = tcpdumpOffline(['tcpdump', ...r.args], { vfs, out: (s) => (out += s), err: (s) => (err += s) });
      expect(rc).toBe(r.status);
      expect(err).toBe(r.stderr);
      const split = (t: string): string[] => t.split(/\n(?=\d+\.\d{6} )/);
      const want = split(r.stdout);
      const got = split(out);
      expect(got.length).toBe(want.length);
      const differ: number[] = [];
      want.forEach((w, i) => {
        if (got[i] !== w) differ.push(i + 1);
      });
      expect(differ).toEqual(NOT_DECODED[r.args[r.args.length - 1] as string]);
    });
  }
});

describe('random IPv6 bytes', () => {
  it('never throw, at any verbosity, with -e, -q, -x, -S', () => {
    const flagsets = [0, 1, 2, 3].flatMap((vflag) =>
      [false, true].map((q) => ({ eflag: q, vflag, nflag: 2, qflag: q, xflag: vflag & 1, Xflag: 0, Sflag: q, tflag: 1 })),
    );
    const printers = flagsets.map((o) => new Printer(o));
    const frames = randomFrames(11, 3000);
    let lines = 0;
    for (const f of frames) {
      const data = new Uint8Array(f.data);
      for (const p of printers) {
        expect(() => p.packet(data, f.orig)).not.toThrow();
        lines++;
      }
    }
    expect(lines).toBe(frames.length * printers.length);
  });
});
