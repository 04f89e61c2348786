// tcpdump -r over crafted savefiles (pcapng, link types, corrupt files)
// against what tcpdump 4.99.3 printed for them (savefile.record.ts), and
// tcpdump -w to a path it cannot create.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Vfs } from '../../src/userspace/proc.ts';
import { tcpdumpOffline } from '../../src/userspace/tools/tcpdump.ts';
import { openPcapng, writePcapng } from '../../src/wire/pcapng.ts';
import { SAVEFILES } from './savefile.cases.ts';

const recorded = JSON.parse(readFileSync(new URL('./fixtures/savefile.recorded.json', import.meta.url), 'utf8')) as {
  args: string[];
  stdout: string;
  stderr: string;
  status: number;
}[];

const latin1 = (b: Uint8Array): string => String.fromCharCode(...b);

function run(args: string[], written = new Map<string, string>()): { rc: number | null; out: string; err: string } {
  const vfs: Vfs = {
    readFile: (p) => {
      const b = SAVEFILES[p];
      return b ? latin1(b) : (written.get(p) ?? { errno: 'ENOENT' });
    },
    writeFile: (p, d) => {
      if (p.startsWith('missing/')) return { errno: 'ENOENT' };
      written.set(p, d);
      return null;
    },
  };
  let out = '';
  let err = '';
  const rc = tcpdumpOffline(['tcpdump', ...args], { vfs, out: (s) => (out += s), err: (s) => (err += s) });
  return { rc, out, err };
}

describe('tcpdump -r as tcpdump 4.99.3 reads savefiles', () => {
  for (const r of recorded) {
    it(r.args.join(' '), () => {
      expect(run(r.args)).toEqual({ rc: r.status, out: r.stdout, err: r.stderr });
    });
  }
});

describe('pcapng writing and -w', () => {
  it('writePcapng round-trips through the reader', () => {
    const data = Uint8Array.from({ length: 61 }, (_, i) => i);
    const bytes = writePcapng(
      [{ linktype: 1 }, { linktype: 1, nanosecond: true }],
      [
        { ifid: 1, tsNs: 5_000_000_007n, data, origLen: 100 },
        { ifid: 0, tsNs: 6_000_001_000n, data: data.subarray(0, 3) },
      ],
    );
    const f = openPcapng({ length: bytes.length, get: (o, n) => bytes.subarray(o, o + n) });
    expect(f?.linktype).toBe(1);
    const pkts = [...(f?.packets() ?? [])];
    expect(pkts.map((p) => [p.ifid, p.tsNs, p.origLen, p.data.length])).toEqual([
      [1, 5_000_000_007n, 100, 61],
      [0, 6_000_001_000n, 3, 3],
    ]);
    expect(pkts[0]?.data).toEqual(data);
  });

  it('-w to a path that cannot be created fails as tcpdump does', () => {
    expect(run(['-r', 'eth.pcapng', '-w', 'missing/x.pcap'])).toEqual({
      rc: 1,
      out: '',
      err: 'reading from file eth.pcapng, link-type EN10MB (Ethernet), snapshot length 262144\ntcpdump: missing/x.pcap: No such file or directory\n',
    });
  });

  it('a pcapng file copied with -w reads back as the same packets', () => {
    const written = new Map<string, string>();
    expect(run(['-r', 'blocks.pcapng', '-w', 'copy.pcap'], written).rc).toBe(0);
    const again = run(['-nr', 'copy.pcap'], written);
    expect(again.out).toBe(run(['-nr', 'blocks.pcapng']).out);
  });
});
