// /proc/net tables, /sys/class/net attributes and /proc/sys files read with
// cat and written with echo (issue 25), against goldens recorded on Linux 6.18
// (test/oracle/scenarios/{proc-net-tables,proc-net-tcp-timewait,proc-net-udp-raw,sysfs-net}.sh).
// What varies between real runs — inode numbers, ephemeral ports, timers, the
// UDP hash slot (net_hash_mix is random per namespace) — is <*> in the goldens.
// The %pK socket pointer of a /proc/net/{tcp,udp,raw} record is normalized to
// <PTR> on both sides here: it hashes a kernel address with a per-boot key, and
// when the slab hands the same address to every run the recorder keeps it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { compareDirs } from './compare.ts';
import { ORACLE_DIR, runOracle } from './run_oracle.ts';

/** A socket record ("   0: 0100000A:8A90 …"): its one 16-digit lowercase hex token is the %pK pointer. */
function normalizeSockPointers(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\s*\d+: [0-9A-F]{8}:/.test(l) ? l.replace(/ [0-9a-f]{16}(?= |$)/, ' <PTR>') : l))
    .join('\n');
}

it('normalizeSockPointers masks the pointer of a socket record only', () => {
  const row =
    '   0: 0200000A:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1247910 1 000000008ed1bdc7 100 0 0 10 0';
  expect(normalizeSockPointers(row)).toBe(row.replace('000000008ed1bdc7', '<PTR>'));
  const udp =
    ' 8154: 00000000:1388 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1247909 2 00000000b4454fbd 0       ';
  expect(normalizeSockPointers(udp)).toBe(udp.replace('00000000b4454fbd', '<PTR>'));
  const other = 'va\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0 000000008ed1bdc7';
  expect(normalizeSockPointers(other)).toBe(other);
});

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

for (const name of ['proc-net-tables', 'proc-net-tcp-timewait', 'proc-net-udp-raw', 'sysfs-net']) {
  it(`procfs: ${name}`, () => {
    const { dir } = runOracle(name);
    const gold = mkdtempSync(join(tmpdir(), `skbpath-golden-${name}-`));
    made.push(gold, dir);
    cpSync(join(ORACLE_DIR, 'golden', name), gold, { recursive: true });
    for (const d of [gold, dir]) {
      const t = join(d, 'transcript.txt');
      writeFileSync(t, normalizeSockPointers(readFileSync(t, 'utf8')));
    }
    const result = compareDirs(gold, dir, { verbose: true });
    const failures = result.artifacts.filter((a) => (a.name === 'trace.txt' ? a.size > 0 && a.ok / a.size < 0.9 : !a.exact));
    if (failures.length) console.log(result.report);
    expect(failures.map((f) => f.name)).toEqual([]);
  });
}
