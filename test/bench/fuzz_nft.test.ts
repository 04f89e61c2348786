// The fuzz campaign's nft inputs (bench/fuzz-campaign-gen-nft.ts, issue 20): rulesets for
// `nft -f`, valid and damaged (cut short, junk tokens, deep nesting, 10,000 repeated rules),
// made again from (seed, index), and none ends in a stack trace or an internal error.
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../bench/fuzz-campaign-corpus.ts';
import { runInput } from '../../bench/fuzz-campaign-exec.ts';
import { nftRuleset } from '../../bench/fuzz-campaign-gen-nft.ts';
import { classify, failureKey, makeInput, Rng } from '../../bench/fuzz-campaign-gen.ts';

const corpus = loadCorpus(process.cwd());

describe('nft fuzz inputs', () => {
  it('are made again from the seed and the index alone, and are nft files', () => {
    const a = makeInput(5, 4, corpus);
    expect(a.gen).toBe('nft');
    expect(makeInput(5, 4, corpus)).toEqual(a);
    expect(makeInput(6, 4, corpus)).not.toEqual(a);
    expect(a.files['in.sh']).toContain('nft ');
    expect(typeof a.files['in.nft']).toBe('string');
    const r = new Rng(1);
    expect(nftRuleset(r)).toMatch(/^(flush ruleset\n)?(define .*\n)?table /);
  });

  it('load without a stack trace or an internal error', () => {
    const bad: string[] = [];
    for (let i = 0; i < 40; i++) {
      const input = makeInput(1, i, corpus, ['nft']);
      const rep = runInput(input);
      const c = classify(rep, Number.POSITIVE_INFINITY);
      if (c !== 'ok') bad.push(`#${i}: ${failureKey(rep, c)}`);
    }
    expect(bad).toEqual([]);
  }, 60_000);
});
