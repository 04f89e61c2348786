// Records what tcpdump 4.99.3 prints for the VXLAN captures of the oracle's
// vxlan scenarios, with each set of flags of VXLAN_FLAGS.
// Usage: npx tsx test/userspace/tcpdump/vxlan.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { VXLAN_CAPTURES, VXLAN_FLAGS } from './vxlan.cases.ts';

const golden = new URL('../../oracle/golden/', import.meta.url).pathname;
const fixture = new URL('./vxlan.recorded.json', import.meta.url);
const out: { capture: string; flags: string; output: string; status: number }[] = [];
for (const capture of VXLAN_CAPTURES)
  for (const flags of VXLAN_FLAGS) {
    const r = spawnSync('bash', ['-c', `tcpdump -r ${golden}${capture} ${flags} 2>/dev/null`], {
      encoding: 'utf8',
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
    });
    out.push({ capture, flags, output: r.stdout, status: r.status ?? -1 });
  }
writeFileSync(fixture, `${JSON.stringify(out, null, 1)}\n`);
console.log(`recorded ${out.length} runs`);
