// Our getopt_long against glibc's, as util-linux getopt(1) drives it: the
// recorded parses of fixtures/getopt.recorded.json (getopt.record.ts), printed
// the way getopt(1) prints them, must come out byte for byte.
import { describe, expect, it } from 'vitest';
import { Getopt, type LongOption } from '../../src/userspace/getopt.ts';
import { quote, SPECS } from './getopt.cases.ts';
import recorded from './fixtures/getopt.recorded.json' with { type: 'json' };

function longopts(spec: readonly string[]): LongOption[] {
  return spec.map((l) => {
    const name = l.replace(/:+$/, '');
    const colons = l.length - name.length;
    return { name, has_arg: colons === 0 ? 0 : colons === 1 ? 1 : 2, val: `--${name}` };
  });
}

/** util-linux getopt(1)'s generate_output over our Getopt. */
function getopt1(short: string, long: readonly string[], argv: readonly string[]): { stdout: string; stderr: string; status: number } {
  let stderr = '';
  const lo = longopts(long);
  const g = new Getopt(['getopt', ...argv], short, lo, (m) => {
    stderr += m;
  });
  let stdout = '';
  let status = 0;
  const optstr = short.replace(/^[+-]/, '');
  for (;;) {
    const o = g.next();
    if (o === -1) break;
    if (o === '?' || o === ':') {
      status = 1;
      continue;
    }
    if (typeof o === 'string' && o.startsWith('--')) {
      const opt = lo[g.longindex] as LongOption;
      stdout += ` --${opt.name}`;
      if (opt.has_arg) stdout += ` ${quote(g.optarg ?? '')}`;
    } else {
      stdout += ` -${String(o)}`;
      const k = optstr.indexOf(String(o));
      if (k >= 0 && optstr[k + 1] === ':') stdout += ` ${quote(g.optarg ?? '')}`;
    }
  }
  stdout += ` --${g
    .operands()
    .map((a) => ` ${quote(a)}`)
    .join('')}\n`;
  return { stdout, stderr, status };
}

describe('getopt_long is glibc’s', () => {
  const cases = recorded as { spec: number; argv: string[]; stdout: string; stderr: string; status: number }[];
  it('has recorded cases', () => expect(cases.length).toBeGreaterThan(400));
  for (const c of cases) {
    const spec = SPECS[c.spec];
    if (!spec) continue;
    it(`${spec.short} ${JSON.stringify(c.argv)}`, () => {
      expect(getopt1(spec.short, spec.long, c.argv)).toEqual({ stdout: c.stdout, stderr: c.stderr, status: c.status });
    });
  }

  it('takes the forms tools rely on', () => {
    const g = new Getopt(['ping', '-c1', '-W', '1', 'host', '-s1400', '-i0.2', '--', '-q'], 'c:W:s:i:q');
    const seen: [string | number, string | undefined][] = [];
    for (let o = g.next(); o !== -1; o = g.next()) seen.push([o, g.optarg]);
    expect(seen).toEqual([
      ['c', '1'],
      ['W', '1'],
      ['s', '1400'],
      ['i', '0.2'],
    ]);
    expect(g.operands()).toEqual(['host', '-q']);
  });
});
