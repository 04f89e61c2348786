// nft command lines as people type them, and the errors they meet most,
// against the real nft 1.0.6 (fixtures/cli.recorded.json, corpus.record.ts):
// the transcript (stderr and stdout as written) and the exit status.
import { describe, expect, it } from 'vitest';
import { CLI } from './cli.cases.ts';
import recorded from './fixtures/cli.recorded.json' with { type: 'json' };
import { nftWorld } from './world.ts';

const cases = recorded as { line: string; output: string; status: number }[];

describe('nft command lines, as nft 1.0.6', () => {
  it('every case is recorded', () => expect(cases.map((c) => c.line)).toEqual(CLI));
  for (const c of cases) {
    it(c.line, () => {
      const w = nftWorld();
      const got = w.run(c.line);
      expect({ output: got.output, status: got.status }).toEqual({ output: c.output, status: c.status });
    });
  }
});
