// The runnable examples of docs/API.md: each ```js block, and the ```text
// block right after it (what it prints). docs.test.ts checks them;
// docs.record.ts rewrites the ```text blocks from a run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

export const API_DOC = new URL('../../docs/API.md', import.meta.url);
const api = pathToFileURL(new URL('../../src/index.ts', import.meta.url).pathname).href;

export interface DocExample {
  line: number;
  code: string;
  /** The ```text block right after it, if any, and where its body sits in the text. */
  prints: { body: string; start: number; end: number } | null;
}

export function docExamples(text: string): DocExample[] {
  const blocks = [...text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => {
    const start = m.index ?? 0;
    const bodyStart = start + m[0].indexOf('\n') + 1;
    return { info: (m[1] ?? '').trim(), body: m[2] ?? '', start, end: start + m[0].length, bodyStart };
  });
  const out: DocExample[] = [];
  blocks.forEach((b, i) => {
    if (b.info !== 'js') return;
    const next = blocks[i + 1];
    const adjacent = next && next.info === 'text' && text.slice(b.end, next.start).trim() === '';
    out.push({
      line: text.slice(0, b.start).split('\n').length,
      code: b.body,
      prints: adjacent ? { body: next.body, start: next.bodyStart, end: next.bodyStart + next.body.length } : null,
    });
  });
  return out;
}

let dir: string | null = null;

/** Runs an example as a module with `from 'skbpath'` pointed at src/index.ts; what it logged. */
export async function runExample(e: DocExample): Promise<string> {
  dir ??= mkdtempSync(join(tmpdir(), 'skbpath-api-doc-'));
  const file = join(dir, `example-${e.line}.mjs`);
  writeFileSync(file, e.code.replaceAll("from 'skbpath'", `from '${api}'`));
  let out = '';
  const log = console.log;
  console.log = (...a: unknown[]) => void (out += `${format(...a)}\n`);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = log;
  }
  return out;
}
