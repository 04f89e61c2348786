// The fuzz campaign's nft inputs (issue 20): rulesets for `nft -f`, made from a
// small grammar of nft 1.0.6's language (tables, chains, sets, maps, rules of
// matches and statements), then often damaged: cut short, tokens dropped,
// doubled, swapped or replaced by keywords and junk, braces nested deep, a
// rule repeated thousands of times. Each input loads its file into a namespace
// (or only checks it, -c) and lists what is left; what nft prints is free, a
// stack trace or an internal error is a failure. No node: imports.
import type { Rng } from './fuzz-campaign-gen.ts';

const FAMILIES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];
const HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress'];
const PRIOS = ['filter', 'raw', 'mangle', 'dstnat', 'srcnat', 'security', '0', '-150', '100', 'filter - 10', 'srcnat + 1', 'out'];
const POLICIES = ['accept', 'drop', 'continue', 'return'];
const TYPES = ['ipv4_addr', 'ipv6_addr', 'inet_service', 'ether_addr', 'inet_proto', 'mark', 'ifname', 'ipv4_addr . inet_service', 'bogus'];

const MATCHES = [
  'ip saddr 10.0.0.1',
  'ip daddr 10.0.0.0/24',
  'ip saddr != 10.0.0.3',
  'ip saddr { 10.0.0.1, 10.0.0.2 }',
  'ip protocol icmp',
  'ip ttl < 5',
  'ip6 nexthdr tcp',
  'tcp dport 22',
  'tcp dport { 22, 80, 443 }',
  'tcp dport 1000-2000',
  'tcp sport != 80',
  'tcp flags & (syn|ack) == syn',
  'tcp flags syn',
  'udp dport 53',
  'th dport 9',
  'icmp type echo-request',
  'icmp type { echo-request, echo-reply }',
  'icmpv6 type nd-neighbor-solicit',
  'ct state established,related',
  'ct state new',
  'ct state invalid',
  'ct status dnat',
  'ct mark 1',
  'meta l4proto tcp',
  'meta mark 0x1',
  'meta nfproto ipv4',
  'meta pkttype broadcast',
  'iif "lo"',
  'iifname "va"',
  'oifname "vb*"',
  'ether type arp',
  'ether saddr 02:00:00:00:00:0a',
  'arp operation request',
  'fib daddr type local',
  'ip saddr @allowed',
  'tcp dport @ports',
  'ip saddr . tcp dport @pairs',
  'ip length > 1000',
  '@th,0,16 0x0035',
  'meta skuid 0',
  'numgen inc mod 2 0',
];

const STATEMENTS = [
  'accept',
  'drop',
  'continue',
  'return',
  'jump other',
  'goto other',
  'counter',
  'counter packets 1 bytes 2',
  'counter name c1',
  'limit rate 10/second',
  'limit rate over 1 mbytes/second burst 2 mbytes',
  'quota 100 mbytes',
  'log prefix "nft: " level info',
  'log',
  'reject',
  'reject with tcp reset',
  'reject with icmp type host-unreachable',
  'reject with icmpx type admin-prohibited',
  'meta nftrace set 1',
  'meta mark set 0x2',
  'ct mark set meta mark',
  'notrack',
  'masquerade',
  'masquerade random,persistent',
  'snat to 10.0.0.9',
  'dnat to 10.0.2.10:80',
  'dnat to tcp dport map { 80 : 10.0.2.10 }',
  'dnat to numgen inc mod 3 map { 0 : 10.0.2.10, 1 : 10.0.2.11, 2 : 10.0.2.12 }',
  'redirect to :8080',
  'add @allowed { ip saddr }',
  'update @allowed { ip saddr timeout 10s }',
  'tcp dport vmap { 22 : accept, 23 : drop }',
  'comment "a rule"',
  'queue num 1',
  'dup to 10.0.0.5',
  'fwd to "vb"',
];

const JUNK = [
  '{',
  '}',
  ';',
  '\\',
  '"',
  '@',
  '$',
  '$x',
  'define',
  '==',
  '.',
  ',',
  ':',
  '/',
  '-',
  '0x',
  '999999999999',
  '',
  '#',
  'include "x"',
  'table',
  'chain',
  'elements',
  '=',
  'tcp',
  'handle',
  'ip',
  'flags',
  'interval',
];

function baseChain(r: Rng): string {
  const type = r.pick(['filter', 'nat', 'route', 'filter', 'bogus']);
  const hook = r.pick(HOOKS);
  const dev = hook === 'ingress' || hook === 'egress' || r.chance(0.05) ? ` device "${r.pick(['va', 'vb', 'lo', 'nosuch'])}"` : '';
  const policy = r.chance(0.6) ? ` policy ${r.pick(POLICIES)};` : '';
  return `\t\ttype ${type} hook ${hook}${dev} priority ${r.pick(PRIOS)};${policy}\n`;
}

function rule(r: Rng): string {
  const parts: string[] = [];
  for (let n = r.int(4); n > 0; n--) parts.push(r.pick(MATCHES));
  for (let n = r.range(0, 3); n > 0; n--) parts.push(r.pick(STATEMENTS));
  return parts.join(' ');
}

function set(r: Rng, name: string): string {
  const type = r.pick(TYPES);
  let s = `\t${r.chance(0.2) ? 'map' : 'set'} ${name} {\n\t\ttype ${type}${r.chance(0.2) ? ' : verdict' : ''}\n`;
  if (r.chance(0.4)) s += `\t\tflags ${r.pick(['interval', 'timeout', 'dynamic', 'constant', 'interval,timeout'])}\n`;
  if (r.chance(0.6)) {
    const elems: string[] = [];
    for (let n = r.range(1, 5); n > 0; n--)
      elems.push(r.pick(['10.0.0.1', '10.0.0.0/24', '22', '80-90', '02:00:00:00:00:0a', 'tcp', '10.0.0.1 . 22', '"va"', '1', 'bogus']));
    s += `\t\telements = { ${elems.join(', ')} }\n`;
  }
  return `${s}\t}\n`;
}

/** A ruleset in nft's own file syntax, usually valid. */
export function nftRuleset(r: Rng): string {
  let s = '';
  if (r.chance(0.2)) s += 'flush ruleset\n';
  if (r.chance(0.2)) s += 'define ports = { 22, 80 }\n';
  for (let t = r.range(1, 3); t > 0; t--) {
    s += `table ${r.pick(FAMILIES)} ${r.pick(['filter', 'nat', 't', 'fw'])} {\n`;
    if (r.chance(0.3)) s += set(r, r.pick(['allowed', 'ports', 'pairs']));
    if (r.chance(0.2)) s += '\tcounter c1 {\n\t}\n';
    s += '\tchain other {\n\t}\n';
    for (let c = r.range(1, 2); c > 0; c--) {
      s += `\tchain ${r.pick(HOOKS)} {\n`;
      if (r.chance(0.8)) s += baseChain(r);
      for (let n = r.range(0, 5); n > 0; n--) s += `\t\t${rule(r)}\n`;
      s += '\t}\n';
    }
    s += '}\n';
  }
  return s;
}

/** Damages a ruleset the ways files get damaged or mistyped. */
function damage(r: Rng, text: string): string {
  const k = r.int(7);
  if (k === 0) return text.slice(0, r.int(text.length)); // truncated
  const toks = text.split(/(\s+)/);
  if (k <= 3) {
    for (let n = r.range(1, 4); n > 0; n--) {
      const i = r.int(toks.length);
      const op = r.int(4);
      if (op === 0) toks.splice(i, 1);
      else if (op === 1) toks.splice(i, 0, toks[i] ?? '');
      else if (op === 2) toks[i] = r.pick(JUNK);
      else {
        const j = r.int(toks.length);
        [toks[i], toks[j]] = [toks[j] ?? '', toks[i] ?? ''];
      }
    }
    return toks.join('');
  }
  if (k === 4) {
    // deep nesting: braces, anonymous sets in sets, parentheses
    const d = r.pick([10, 100, 1000, 5000]);
    const open = r.pick(['{ ', '( ', '{ 1, ', 'table ip t { chain c { ']);
    return `table ip t {\n\tchain c {\n\t\tip saddr ${open.repeat(d)}10.0.0.1${r.chance(0.5) ? ' }'.repeat(d) : ''}\n\t}\n}\n`;
  }
  if (k === 5) {
    // one line repeated: many rules, or a very long one
    const n = r.pick([100, 2000, 10000]);
    const line = `\t\t${rule(r)}\n`;
    return `table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n${line.repeat(n)}\t}\n}\n`;
  }
  return text.replace(/[a-z]+/, (w) => (w.length > 2 ? w.slice(0, -1) : `${w}x`));
}

/** An nft input: a script that loads a ruleset file into namespace b and lists it. */
export function genNft(r: Rng): { argv: string[]; files: Record<string, string> } {
  let text = nftRuleset(r);
  if (r.chance(0.7)) text = damage(r, text);
  const opts = r.pick(['-f', '-c -f', '-f', '-o -c -f', '-j -f', '-e -f', '-a -f']);
  let script = 'ip netns add b\nip -n b link set lo up\nip link add va type veth peer name vb netns b\n';
  script += `ip netns exec b nft ${opts} in.nft; echo rc=$?\n`;
  const list = r.pick([
    'list ruleset',
    '-a list ruleset',
    '-j list ruleset',
    'list tables',
    'list chain inet t c',
    '-s list ruleset',
    'flush ruleset',
  ]);
  script += `ip netns exec b nft ${list}; echo rc=$?\n`;
  if (r.chance(0.3))
    script += `ip netns exec b nft ${r.pick(['add', 'insert', 'delete', 'replace'])} rule inet t c ${rule(r)}; echo rc=$?\n`;
  return { argv: ['run', 'in.sh'], files: { 'in.sh': script, 'in.nft': text } };
}
