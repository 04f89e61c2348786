// Records what iproute2 6.1 and Linux 6.18 on this machine do with IPv6 policy
// routing: `ip -6 rule` add/del/show/flush and its errors, `ip -6 route get`
// through the rules with the fib6:fib6_table_lookup events each lookup fires
// (the tables tried, in order), and `ip -6 route show table …`, run in order in
// one fresh namespace. Uses the global tracefs buffer, so run it under the
// recording lock:
//   flock /work/wt/record.lock npx tsx test/userspace/tools/ip/rule6.record.ts
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export const SETUP = [
  'sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0',
  'ip link set lo up',
  'ip link add x1 address 02:00:00:00:00:01 type veth peer name x2 address 02:00:00:00:00:02',
  // x2 without IPv6: the order of two devices' fe80::/64 and ff00::/8 routes is a race on Linux
  'sysctl -qw net.ipv6.conf.x2.disable_ipv6=1',
  'ip addr add 2001:db8:1::1/64 dev x1 nodad',
  'ip addr add 2001:db8:2::1/64 dev x1 nodad',
  'ip link set x1 up',
  'ip link set x2 up',
  'ip -6 route add default via 2001:db8:1::2 dev x1',
  'ip -6 route add default via 2001:db8:2::2 dev x1 table 100',
  'ip -6 route add 2001:db8:99::/64 via 2001:db8:2::2 dev x1 table 200',
  'ip -6 route add prohibit 2001:db8:96::/64 table 200',
];

/** Each line, and whether its fib6_table_lookup events are recorded. */
const CASES: [string, boolean][] = [
  ['ip -6 rule', false],
  ['ip -6 route get 2001:db8:99::1', true],
  ['ip -6 rule add from 2001:db8:2::1 lookup 100 pref 100', false],
  ['ip -6 rule add fwmark 0x7/0xff lookup 200 pref 200', false],
  ['ip -6 rule add to 2001:db8:98::/64 prohibit pref 300', false],
  ['ip -6 rule add to 2001:db8:97::/64 unreachable pref 310', false],
  ['ip -6 rule add to 2001:db8:95::/64 blackhole pref 320', false],
  ['ip -6 rule add not to 2001:db8::/32 lookup main suppress_prefixlength 0 pref 400', false],
  ['ip -6 rule add iif x2 goto 32000 pref 500', false],
  ['ip -6 rule add oif x1 ipproto udp sport 1000-2000 dport 53 lookup 300 pref 600', false],
  ['ip -6 rule add tos 0x10 lookup 300 pref 700', false],
  ['ip -6 rule add dsfield AF11 table 300 pref 710', false],
  ['ip -6 rule add uidrange 1000-2000 lookup local pref 800', false],
  ['ip -6 rule add suppress_ifgroup default lookup main pref 900', false],
  ['ip -6 rule add lookup 100 suppress_ifgroup 5 pref 910', false],
  ['ip -6 rule add pref 32000 lookup 100', false],
  ['ip -6 rule add from 2001:db8:3::/48 to 2001:db8:4::1 lookup 100', false],
  ['ip -6 rule', false],
  ['ip -6 rule add from 2001:db8:2::1 lookup 100 pref 100', false],
  ['ip -6 rule add table 0', false],
  ['ip -6 rule add tos 0x03 table 5', false],
  ['ip -6 rule add from 10.0.0.1 table 5', false],
  ['ip rule add to 2001:db8::/32 table 5', false],
  ['ip rule add from 2001:db8::1 table 5', false],
  ['ip -6 rule add suppress_ifgroup foo lookup main', false],
  ['ip -6 rule add goto 10 pref 20', false],
  ['ip -6 rule add nop pref 50', false],
  ['ip -6 rule show table 100', false],
  ['ip -6 rule show from 2001:db8:2::/64', false],
  ['ip -6 rule show to 2001:db8:4::/64', false],
  ['ip -6 rule show not', false],
  ['ip -6 rule show pref 300', false],
  ['ip -6 rule show fwmark 0x7', false],
  ['ip -6 route get 2001:db8:99::1', true],
  ['ip -6 route get 2001:db8:99::1 from 2001:db8:2::1', true],
  ['ip -6 route get 2001:db8:99::1 mark 7', true],
  ['ip -6 route get 2001:db8:96::1 mark 7', true],
  ['ip -6 route get 2001:db8:98::1', true],
  ['ip -6 route get 2001:db8:97::1', true],
  ['ip -6 route get 2001:db8:95::1', true],
  ['ip -6 route get 2001:db8:99::1 from 2001:db8:2::1 iif x2', true],
  ['ip -6 route get 2001:db8:99::1 mark 7 fibmatch', true],
  ['ip -d -6 route get 2001:db8:99::1 from 2001:db8:2::1', true],
  ['ip -6 route show table all', false],
  ['ip -6 route show table 200', false],
  ['ip -6 route show table 300', false],
  ['ip -6 route show table 400', false],
  ['ip -6 route show table local', false],
  ['ip -6 rule del pref 900', false],
  ['ip -6 rule del from 2001:db8:2::1', false],
  ['ip -6 rule del fwmark 0x7/0xff', false],
  ['ip -6 rule del pref 12345', false],
  ['ip -6 rule del to 2001:db8:98::/64 unreachable', false],
  ['ip -6 route get 2001:db8:99::1', true],
  ['ip -6 route get 2001:db8:99::1 from 2001:db8:2::1', true],
  ['ip -6 rule flush', false],
  ['ip -6 rule', false],
  ['ip -6 route get 2001:db8:99::1', true],
  ['ip -6 rule add lookup main pref 32766', false],
  ['ip -6 rule', false],
  ['ip -6 route get 2001:db8:99::1', true],
  ['ip rule', false],
];

const TRACING = '/sys/kernel/tracing';
const ns = `rule6rec${process.pid}`;
const run = (argv: string[]) =>
  spawnSync(argv[0] as string, argv.slice(1), {
    encoding: 'utf8',
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 20_000,
  });
const inNs = (line: string) => run(['ip', 'netns', 'exec', ns, 'bash', '-c', line]);

type Case = [command: string, output: string, status: number, trace: string[] | null];
const cases: Case[] = [];
run(['ip', 'netns', 'add', ns]);
try {
  for (const c of SETUP) {
    const r = inNs(c);
    if (r.status !== 0) throw new Error(`setup failed: ${c}: ${r.stderr}`);
  }
  writeFileSync(`${TRACING}/events/fib6/fib6_table_lookup/enable`, '0');
  for (const [line, traced] of CASES) {
    if (traced) {
      writeFileSync(`${TRACING}/trace`, '');
      writeFileSync(`${TRACING}/events/fib6/fib6_table_lookup/enable`, '1');
    }
    const r = inNs(line);
    let trace: string[] | null = null;
    if (traced) {
      writeFileSync(`${TRACING}/events/fib6/fib6_table_lookup/enable`, '0');
      const t = run(['cat', `${TRACING}/trace`]).stdout;
      trace = t
        .split('\n')
        // only the lookups of this command (not MLD or ND the links send meanwhile)
        .filter((l) => l.includes('fib6_table_lookup: ') && l.includes(` -> ${line.split(' get ')[1]?.split(' ')[0]}/`))
        .map((l) => l.slice(l.indexOf('fib6_table_lookup: ') + 'fib6_table_lookup: '.length));
    }
    // one stream, as a transcript: stderr then stdout
    cases.push([line, r.stderr + r.stdout, r.status ?? -1, trace]);
  }
} finally {
  run(['ip', 'netns', 'del', ns]);
}
writeFileSync(
  new URL('./fixtures/rule6.json', import.meta.url),
  `${JSON.stringify({ comment: 'iproute2 6.1.0 on Linux 6.18: ip -6 rule and lookups through it (root, one fresh namespace)', setup: SETUP, cases }, null, 1)}\n`,
);
console.log(`recorded ${cases.length} command lines`);
