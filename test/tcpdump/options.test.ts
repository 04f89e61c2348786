// tcpdump's option parsing (getopt_long with 4.99.3's SHORTOPTS and longopts,
// then main()'s checks) against what the real 4.99.3 printed and exited with,
// recorded once in fixtures/options.json (record-options.mjs): clustered,
// attached, separate and abbreviated forms, and every error message.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runOffline } from './helpers.ts';

const fixture = JSON.parse(readFileSync(new URL('fixtures/options.json', import.meta.url), 'utf8')) as {
  recorded: string;
  cases: { args: string[]; rc: number; stdout: string; stderr: string }[];
};

describe(`tcpdump options as ${fixture.recorded} takes them`, () => {
  for (const c of fixture.cases) {
    it(JSON.stringify(c.args), () => {
      const ours = runOffline(c.args);
      expect({ rc: ours.rc, out: ours.out, err: ours.err }).toEqual({ rc: c.rc, out: c.stdout, err: c.stderr });
    });
  }
});
