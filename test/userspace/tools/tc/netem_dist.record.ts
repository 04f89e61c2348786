// Records the sha256 and length of the netem distribution tables iproute2 6.1
// installed on this machine, for netem_dist.test.ts.
// Usage: npx tsx test/userspace/tools/tc/netem_dist.record.ts
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const out: Record<string, { bytes: number; sha256: string }> = {};
for (const name of ['normal', 'pareto', 'paretonormal', 'experimental']) {
  const data = readFileSync(`/usr/lib/x86_64-linux-gnu/tc/${name}.dist`);
  out[name] = { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}
writeFileSync(new URL('./fixtures/netem_dist.recorded.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
