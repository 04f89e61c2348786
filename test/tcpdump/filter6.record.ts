// Records the real tcpdump's answers for the IPv6 filter corpus.
//   npx tsx test/tcpdump/filter6.record.ts           programs, accepted frames, errors
//   npx tsx test/tcpdump/filter6.record.ts --corpus  first rebuilds fixtures/filter6-corpus.pcap
// --corpus needs root: two namespaces with IPv6 left on exchange DAD, MLDv2,
// router solicitations, ND, echo (fragmented too), UDP and TCP while tcpdump
// writes them; filter6.corpus.ts's crafted frames follow. Frame N carries
// timestamp N seconds. Hold the recording lock:
//   flock /work/wt/record.lock npx tsx test/tcpdump/filter6.record.ts --corpus
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter, readPcap } from '../../src/wire/pcap.ts';
import { ERRORS6, FILTERS6, randomFilters6 } from './filter6.cases.ts';
import { craftedFrames } from './filter6.corpus.ts';

const corpusUrl = new URL('./fixtures/filter6-corpus.pcap', import.meta.url);
const fixtureUrl = new URL('./fixtures/filter6.recorded.json', import.meta.url);
const env = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };

const CAPTURE = String.raw`
set -u
OUT=$1; A=skbf6a$$; B=skbf6b$$
ip netns add $A; ip netns add $B
trap 'ip netns del $A; ip netns del $B' EXIT
ip -n $A link add veth0 type veth peer name veth0 netns $B
ip -n $A link set veth0 address 02:00:00:00:06:0a
ip -n $B link set veth0 address 02:00:00:00:06:0b
ip -n $A link set lo up; ip -n $B link set lo up
ip -n $A addr add 10.6.0.1/24 dev veth0
ip -n $B addr add 10.6.0.2/24 dev veth0
ip -n $A addr add 2001:db8::a/64 dev veth0 nodad
ip -n $B addr add 2001:db8::b/64 dev veth0 nodad
ip -n $B addr add 2001:db8:8000::b/64 dev veth0 nodad
ip -n $B link set veth0 up
ip netns exec $B tcpdump -i veth0 -w "$OUT" -U -s 0 2>/dev/null & TD=$!
sleep 1
ip -n $A link set veth0 up
sleep 2.5
ip -n $A -6 route add 2001:db8:8000::/64 dev veth0
ip netns exec $A ping -6 -c 2 -i 0.2 2001:db8::b >/dev/null
ip netns exec $A ping -6 -c 1 -s 3000 2001:db8::b >/dev/null
ip netns exec $A ping -6 -c 1 2001:db8:8000::b >/dev/null
ip netns exec $A ping -6 -c 1 -I veth0 ff02::1 >/dev/null 2>&1
ip netns exec $A ping -c 1 10.6.0.2 >/dev/null
ip netns exec $B socat -u UDP6-RECV:53 /dev/null & U=$!
ip netns exec $B socat -u TCP6-LISTEN:80,reuseaddr /dev/null & T=$!
sleep 0.3
echo hi | ip netns exec $A socat -u - UDP6-SENDTO:[2001:db8::b]:53,sourceport=5353
echo hi | ip netns exec $A socat -u - UDP6-SENDTO:[2001:db8::b]:9999
echo hello | ip netns exec $A socat -u - TCP6:[2001:db8::b]:80,sourceport=40000
echo hi | ip netns exec $A socat -u - UDP4-SENDTO:10.6.0.2:53
sleep 0.5
kill $U $T 2>/dev/null
sleep 0.5
kill $TD; wait $TD
`;

function buildCorpus(): void {
  const dir = mkdtempSync(join(tmpdir(), 'filter6-'));
  try {
    const live = join(dir, 'live.pcap');
    const r = spawnSync('bash', ['-c', CAPTURE, 'capture', live], { encoding: 'utf8', env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0 && r.status !== 143) throw new Error(`capture failed: ${r.status}`);
    const frames = readPcap(new Uint8Array(readFileSync(live))).records.map((p) => p.data);
    const w = new PcapWriter();
    [...frames, ...craftedFrames()].forEach((f, i) => w.write(BigInt(i + 1) * 1_000_000_000n, f));
    writeFileSync(corpusUrl, w.bytes());
    console.log(`corpus: ${frames.length} captured + ${craftedFrames().length} crafted frames`);
  } finally {
    rmSync(dir, { recursive: true });
  }
}

const tcpdump = (args: string[]) => spawnSync('tcpdump', args, { encoding: 'latin1', env });

function answer(expr: string): { listing: string; matches: number[] | null; rc: number; stderr: string } {
  const d = tcpdump(['-d', '-y', 'EN10MB', expr]);
  const r = tcpdump(['-tt', '-nn', '-r', corpusUrl.pathname, expr]);
  const matches =
    r.status === 0
      ? r.stdout
          .split('\n')
          .filter((l) => /^\d+\.\d{6} /.test(l))
          .map((l) => Number(l.slice(0, l.indexOf('.'))))
      : null;
  return { listing: d.stdout, matches, rc: d.status ?? -1, stderr: d.stderr.replace(/^Warning: assuming Ethernet\n/, '').trim() };
}

if (process.argv.includes('--corpus')) buildCorpus();
const filters: Record<string, { listing: string; matches: number[]; cooked: Record<string, string> }> = {};
for (const e of FILTERS6) {
  const a = answer(e);
  if (a.rc !== 0 || !a.matches) throw new Error(`tcpdump refused ${e}: ${a.stderr}`);
  // the "any" device's link types: the program, or libpcap's message
  const cooked: Record<string, string> = {};
  for (const dlt of ['LINUX_SLL', 'LINUX_SLL2']) {
    const d = tcpdump(['-d', '-y', dlt, e]);
    cooked[dlt] = d.status === 0 ? d.stdout : d.stderr.trim();
  }
  filters[e] = { listing: a.listing, matches: a.matches, cooked };
}
const errors: Record<string, { rc: number; stderr: string }> = {};
for (const e of ERRORS6) {
  const a = answer(e);
  if (a.rc === 0) throw new Error(`tcpdump accepted ${e}`);
  errors[e] = { rc: a.rc, stderr: a.stderr };
}
const random: Record<string, { listing: string; matches: number[] } | { rc: number; stderr: string }> = {};
for (const e of randomFilters6()) {
  const a = answer(e);
  random[e] = a.rc === 0 && a.matches ? { listing: a.listing, matches: a.matches } : { rc: a.rc, stderr: a.stderr };
}
writeFileSync(fixtureUrl, `${JSON.stringify({ filters, errors, random }, null, 1)}\n`);
console.log(
  `${Object.keys(filters).length} filters, ${Object.keys(errors).length} errors, ${Object.keys(random).length} random expressions`,
);
