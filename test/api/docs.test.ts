// docs/API.md: every ```js block runs (its `from 'skbpath'` pointed at
// src/index.ts) and prints exactly the ```text block after it. The block
// tagged `js browser` needs a page; test/api/browser.test.ts covers it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_DOC, docExamples, runExample } from './doc_examples.ts';

const doc = readFileSync(API_DOC, 'utf8');
const examples = docExamples(doc);

describe('docs/API.md examples', () => {
  it('has examples, each importing from skbpath and showing what it prints', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const e of examples) {
      expect(e.code, `line ${e.line}`).toMatch(/from 'skbpath';/);
      expect(e.prints, `line ${e.line}`).not.toBeNull();
    }
    // only the browser example is left out
    expect(doc.match(/^```js.*$/gm)?.length).toBe(examples.length + 1);
    expect(doc.match(/^```js browser$/gm)?.length).toBe(1);
  });

  for (const e of examples) {
    it(`the example at line ${e.line}`, async () => {
      expect(await runExample(e)).toBe(e.prints?.body);
    });
  }
});
