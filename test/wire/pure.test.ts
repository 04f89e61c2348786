// src/wire is the one place header layouts live; it depends on nothing else in
// the project (kernel, userspace and the web view import it, never the reverse).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../src/wire/', import.meta.url);

describe('src/wire', () => {
  it('imports only its own modules', () => {
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(new URL(f, dir), 'utf8');
      for (const m of src.matchAll(/\bfrom\s+'([^']+)'/g)) expect(m[1], `${f} imports ${m[1]}`).toMatch(/^\.\/[a-z0-9_]+\.ts$/);
    }
  });
});
