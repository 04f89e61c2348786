// Records what Linux prints for test/kernel/fixtures/macvlan_{netns,address}.sh (root,
// iproute2 6.1): npx tsx test/kernel/macvlan.record.ts
// It creates and deletes namespaces named mvt*; it takes the recorders' lock.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIX = join(new URL('.', import.meta.url).pathname, 'fixtures');
for (const name of ['macvlan_netns', 'macvlan_address']) {
  const out = execFileSync('flock', ['/work/wt/record.lock', 'bash', '-c', `bash ${join(FIX, `${name}.sh`)} 2>&1`], {
    encoding: 'utf8',
  });
  writeFileSync(join(FIX, `${name}.linux.txt`), out);
}
