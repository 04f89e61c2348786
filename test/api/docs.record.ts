// Rewrites the ```text block after each example of docs/API.md with what
// the example prints: npx tsx test/api/docs.record.ts (then read the diff).
import { readFileSync, writeFileSync } from 'node:fs';
import { API_DOC, docExamples, runExample } from './doc_examples.ts';

let doc = readFileSync(API_DOC, 'utf8');
for (const e of docExamples(doc).reverse()) {
  if (!e.prints) continue;
  doc = doc.slice(0, e.prints.start) + (await runExample(e)) + doc.slice(e.prints.end);
}
writeFileSync(API_DOC, doc);
