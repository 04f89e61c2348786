// Bad input is a feature: damaged rulesets give nft's messages and exit 1,
// never an exception (an internal error would end the run with status 70);
// and the language layer does no quadratic work on big inputs (10,000 rules,
// a 100,000-element set) — the kernel's own work is measured elsewhere.
import { describe, expect, it } from 'vitest';
import { linearizeRule } from '../../../../src/userspace/tools/nft/evaluate.ts';
import { Parser } from '../../../../src/userspace/tools/nft/parser.ts';
import { RULES, RULESETS } from './corpus.cases.ts';
import { nftWorld } from './world.ts';

/** A deterministic generator (xorshift32): the damage is the same on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const PIECES = [
  '{',
  '}',
  ';',
  '\n',
  '"',
  '$x',
  '@s',
  '.',
  ':',
  '-',
  '/',
  ',',
  'map',
  'vmap',
  'accept',
  'ip',
  '0x',
  '999999999999',
  '\\',
  '#',
  '*',
  'tcp dport',
  'table',
  'chain',
];

function damage(text: string, r: () => number): string {
  let s = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const k = r();
    if (k < 0.4) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 6));
    else if (k < 0.8) s = s.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + s.slice(at);
    else s = s.slice(0, at);
  }
  return s;
}

describe('nft with damaged input', () => {
  it('gives a message and a status, never an internal error', () => {
    const r = rng(20);
    const inputs = [
      ...RULESETS,
      ...RULES.slice(0, 60).map(([f, rule]) => `table ${f} t {\n chain c {\n  type filter hook input priority 0;\n  ${rule}\n }\n}\n`),
    ];
    const w = nftWorld();
    let refused = 0;
    for (let i = 0; i < 150; i++) {
      const text = damage(inputs[i % inputs.length] as string, r);
      w.vfs.writeFile('F', text, false);
      const got = w.run('nft -f F; echo "status $?"');
      const status = Number(/status (\d+)\n$/.exec(got.output)?.[1]);
      expect([0, 1], `${JSON.stringify(text)}\n${got.output}`).toContain(status);
      if (status === 1) {
        refused++;
        expect(got.output).toMatch(/Error: /);
      }
      w.run('nft flush ruleset');
    }
    expect(refused).toBeGreaterThan(50);
  });
});

describe('big inputs', () => {
  const env = {
    family: 'inet',
    ifindex: () => 1,
    set: () => undefined,
    nextSetId: (() => {
      let n = 0;
      return () => n++;
    })(),
  };

  it('10,000 rules parse and linearize in linear time', () => {
    const lines = ['table inet big {', ' chain c {', '  type filter hook input priority 0;'];
    for (let i = 0; i < 10000; i++) lines.push(`  ip saddr 10.${(i >> 8) & 255}.${i & 255}.1 tcp dport ${(i % 60000) + 1} counter accept`);
    lines.push(' }', '}');
    const t0 = performance.now();
    const p = new Parser({ include: () => null }, false);
    p.parse(`${lines.join('\n')}\n`, 'big');
    expect(p.errors).toEqual([]);
    const rules = p.cmds[0]?.table?.chains[0]?.rules ?? [];
    expect(rules.length).toBe(10000);
    let exprs = 0;
    for (const r of rules) exprs += linearizeRule(r, env).exprs.length;
    // meta nfproto, ip saddr, meta l4proto, tcp dport (two each), counter, verdict
    expect(exprs).toBe(10000 * 10);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('a 100,000-element anonymous set parses and linearizes in linear time', () => {
    const elems: string[] = [];
    for (let i = 0; i < 100000; i++) elems.push(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const t0 = performance.now();
    const p = new Parser({ include: () => null }, false);
    p.parse(`table ip t {\n chain c {\n  ip saddr { ${elems.join(', ')} } accept\n }\n}\n`, 'big');
    expect(p.errors).toEqual([]);
    const rule = p.cmds[0]?.table?.chains[0]?.rules[0];
    const lin = linearizeRule(rule as NonNullable<typeof rule>, { ...env, family: 'ip' });
    expect(lin.sets[0]?.elements.length).toBe(100000);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
