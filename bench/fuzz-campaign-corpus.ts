// The fuzz campaign's corpus, read from the repository: the oracle scenarios
// and the examples (shell mutants), the oracle's pcap files (pcap and pcapng
// corruption), and examples/ping-veth.sh (the run `trace --filter` selects from).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Corpus } from './fuzz-campaign-gen.ts';

export function loadCorpus(root: string): Corpus {
  const scripts: Corpus['scripts'] = [];
  for (const dir of ['test/oracle/scenarios', 'examples']) {
    for (const e of readdirSync(join(root, dir)).sort()) {
      if (e.endsWith('.sh')) scripts.push({ name: `${dir}/${e}`, text: readFileSync(join(root, dir, e), 'utf8') });
    }
  }
  const pcaps: Uint8Array[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.pcap') && p.includes('/pcap/')) pcaps.push(new Uint8Array(readFileSync(p)));
    }
  };
  walk(join(root, 'test/oracle/golden'));
  const files: Corpus['files'] = {};
  const frames = join(root, 'test/oracle/frames');
  for (const e of readdirSync(frames).sort()) files[e] = new Uint8Array(readFileSync(join(frames, e)));
  return { scripts, pcaps, files, traceScript: readFileSync(join(root, 'examples/ping-veth.sh'), 'utf8') };
}
