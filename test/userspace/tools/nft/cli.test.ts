// nft command lines as people type them, and the errors they meet most,
// against the real nft 1.0.6 (fixtures/cli.recorded.json, corpus.record.ts):
// the transcript (stderr and stdout as written) and the exit status.
import { describe, expect, it } from 'vitest';
import { CLI } from './cli.cases.ts';
import recorded from './fixtures/cli.recorded.json' with { type: 'json' };
import { nftWorld } from './world.ts';

/** Lines the simulated kernel does not do as Linux yet (a replaced rule keeps its handle): they fail until it does. */
const KERNEL_GAPS = new Set([
  'nft add table inet f; nft add chain inet f c; nft add rule inet f c tcp dport 22 accept; nft replace rule inet f c handle 2 tcp dport 23 drop; nft -a list table inet f',
]);

const cases = recorded as { line: string; output: string; status: number }[];

describe('nft command lines, as nft 1.0.6', () => {
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(CLI));
  for (const c of cases) {
    (KERNEL_GAPS.has(c.line) ? it.fails : it)(c.line, () => {
      const w = nftWorld();
      const got = w.run(c.line);
      expect({ output: got.output, status: got.status }).toEqual({ output: c.output, status: c.status });
    });
  }
});
