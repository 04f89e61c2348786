// Records what iproute2 6.1's ip does with each line of iplink_vxlan.cases.ts
// on this machine (root; namespace vxlant).
// Usage: npx tsx test/userspace/tools/ip/iplink_vxlan.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { CLEANUP, IPLINK_VXLAN_CASES, SETUP } from './iplink_vxlan.cases.ts';

const fixture = new URL('./iplink_vxlan.recorded.json', import.meta.url);
const out: { line: string; output: string; status: number }[] = [];
for (const line of IPLINK_VXLAN_CASES) {
  spawnSync('bash', ['-c', CLEANUP], { stdio: 'ignore' });
  spawnSync('bash', ['-c', SETUP], { stdio: 'ignore' });
  try {
    const r = spawnSync('bash', ['-c', line], {
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    out.push({ line, output: r.stderr + r.stdout, status: r.status ?? -1 });
  } finally {
    spawnSync('bash', ['-c', CLEANUP], { stdio: 'ignore' });
  }
}
writeFileSync(fixture, `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${out.length} command lines`);
