// Records what nf_tables holds for iptables-nft 1.8.9's rules on this machine
// (nft 1.0.6 --debug=netlink, libnftnl's expression dump) into
// fixtures/real-nft-iptables.txt. Needs root (it makes a network namespace).
// Usage: sudo npx tsx test/kernel/netfilter/nft_compat.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const script = new URL('./nft-iptables.sh', import.meta.url).pathname;
const r = spawnSync('bash', [script], {
  encoding: 'utf8',
  env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
});
writeFileSync(new URL('./fixtures/real-nft-iptables.txt', import.meta.url), r.stdout);
console.log(`recorded ${r.stdout.split('\n').length - 1} lines`);
