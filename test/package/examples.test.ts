// Each example that writes files says so in a `# Files:` comment, naming
// them; running it (with the library, files in memory) writes exactly those.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/index.ts';

const dir = new URL('../../examples/', import.meta.url);
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.sh'))
  .map((f) => ({ name: f, text: readFileSync(new URL(f, dir), 'utf8') }));

/** The files a script redirects output into (not /dev, /proc or /sys). */
function redirected(text: string): string[] {
  const code = text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
  const names = [...code.matchAll(/(?<![0-9&])>>?\s*([^\s&;|)]+)/g)].map((m) => m[1] as string);
  return [...new Set(names.filter((n) => !/^\/(dev|proc|sys)\//.test(n) && !n.startsWith('&')))].sort();
}

/** The names a `# Files: writes A and B …` comment gives. */
function declared(text: string): string[] | null {
  const m = /^# Files: writes (.+?) in its working directory/m.exec(text);
  return m ? (m[1] as string).split(/, | and /).sort() : null;
}

describe('examples say where their files go', () => {
  it('finds the examples that write files', () => {
    expect(examples.filter((e) => redirected(e.text).length).map((e) => e.name)).toEqual([
      'e1000-tcp-gro.sh',
      'nat-masquerade.sh',
      'netem-tcp-loss.sh',
      'tcp-exchange.sh',
    ]);
  });

  for (const e of examples) {
    it(e.name, () => {
      const writes = redirected(e.text);
      expect(declared(e.text) ?? []).toEqual(writes);
      if (!writes.length) return;
      const r = runScenario(e.text, { events: false });
      expect(Object.keys(r.files).sort()).toEqual(writes);
    });
  }
});
