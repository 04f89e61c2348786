// Records what Linux prints for test/kernel/fixtures/macvlan_netns.sh (root,
// iproute2 6.1): npx tsx test/kernel/macvlan.record.ts
// It creates and deletes namespaces named mvt*; it takes the recorders' lock.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIX = join(new URL('.', import.meta.url).pathname, 'fixtures');
const out = execFileSync('flock', ['/work/wt/record.lock', 'bash', join(FIX, 'macvlan_netns.sh')], { encoding: 'utf8' });
writeFileSync(join(FIX, 'macvlan_netns.linux.txt'), out);
