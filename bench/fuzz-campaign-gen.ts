// The fuzz campaign's inputs (issue 24): each input is an skbpath command
// line plus the files it reads, generated from a seed and its index alone, so
// that any one input can be made again without the others. Four generators:
//   shell   mutants of the oracle scenarios and the examples (lines deleted,
//           duplicated, swapped, cut; tokens and options changed; hostile
//           constructs from issue 24 inserted) run by `skbpath run`;
//   args    random options and values for every simulated tool, from each
//           real tool's option set, run inside a small two-namespace setup;
//   pcap    corrupted pcap and pcapng files for `skbpath tcpdump -r`;
//   filter  tcpdump filter expressions (grammar walks, deep nesting, long
//           chains, token soup) for `skbpath tcpdump -d` and `skbpath trace --filter`;
//   nft     rulesets for `nft -f`, valid and damaged (./fuzz-campaign-gen-nft.ts).
// No node: imports: the corpus is handed in (bench/fuzz-campaign.ts reads it
// from the repository; test/bench/fuzz_campaign.test.ts likewise).

import { genNft } from './fuzz-campaign-gen-nft.ts';

export type GenName = 'shell' | 'args' | 'pcap' | 'filter' | 'nft';
export const GENERATORS: readonly GenName[] = ['shell', 'args', 'pcap', 'filter', 'nft'];

export interface FuzzInput {
  gen: GenName;
  /** Index in the campaign: with the seed, all that is needed to make it again. */
  index: number;
  /** The skbpath command line (without `skbpath`). */
  argv: string[];
  /** Files of the working directory the command reads. */
  files: Record<string, string | Uint8Array>;
}

export interface Corpus {
  /** Scenario scripts by name (test/oracle/scenarios/*.sh, examples/*.sh). */
  scripts: { name: string; text: string }[];
  /** pcap files (test/oracle/golden/ ∗ /pcap/ ∗ / ∗.pcap). */
  pcaps: Uint8Array[];
  /** Files the scenarios read (test/oracle/frames: the pcaps tcpreplay sends), by name. */
  files: Record<string, Uint8Array>;
  /** The scenario `skbpath trace --filter` inputs run (the events are computed once per worker). */
  traceScript: string;
}

/** splitmix32-style generator: small, fast, deterministic. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** 0 ≤ n < k. */
  int(k: number): number {
    return k <= 0 ? 0 : Math.floor((this.u32() / 4294967296) * k);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  /** Small values more often than large ones: up to 2^bits. */
  skewed(bits: number): number {
    return this.int(2 ** this.int(bits + 1));
  }
}

/** The input's own seed: the campaign seed and the index mixed. */
export function inputSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index >>> 0, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return (h ^ (h >>> 12)) >>> 0;
}

// ---------------------------------------------------------------- values

const NUMBERS = [
  '0',
  '1',
  '-1',
  '2',
  '3',
  '7',
  '64',
  '100',
  '255',
  '256',
  '1000',
  '1500',
  '65535',
  '65536',
  '2147483647',
  '2147483648',
  '4294967295',
  '4294967296',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '99999999999999999999999',
  '0x10',
  '0x',
  '010',
  '08',
  '1e3',
  '1.5',
  '.5',
  '-0',
  '+1',
  '0.0001',
  'nan',
  'inf',
  '1k',
  '1M',
  '3s',
  '1ms',
];
const WORDS = [
  '',
  ' ',
  'x',
  'a',
  'b',
  'va',
  'vb',
  'lo',
  'eth0',
  'br0',
  'nonexistent',
  'all',
  'any',
  'default',
  'none',
  'on',
  'off',
  'up',
  'down',
  '-',
  '--',
  '-x',
  '--x',
  '=',
  ':',
  '::',
  '/',
  '.',
  '..',
  '%',
  '*',
  '?',
  '\\',
  '@',
  ',',
  'a,b',
  'a=b',
  'a b',
  'x'.repeat(16),
  'y'.repeat(300),
  'z'.repeat(4097),
  '日本',
  '\u00e9',
  '\t',
  'a\nb',
  '$x',
  '`x`',
  "'",
  '"',
];
const ADDRS = [
  '10.0.0.1',
  '10.0.0.2',
  '10.0.0.255',
  '10.0.0.0/24',
  '10.0.0.1/32',
  '10.0.0.1/33',
  '10.0.0.1/-1',
  '0.0.0.0',
  '0/0',
  '255.255.255.255',
  '127.0.0.1',
  '127.0.0.1/8',
  '224.0.0.1',
  '300.1.1.1',
  '1.2.3',
  '1.2.3.4.5',
  '::1',
  'fe80::1',
  '10.0.1.1',
  '02:00:00:00:00:0a',
  '02:00:00:00:00:0b',
  'ff:ff:ff:ff:ff:ff',
  '00:00:00:00:00:00',
  '02:00:00:00:00',
  'gg:00:00:00:00:00',
  'localhost',
  'example.invalid',
];

function value(r: Rng): string {
  const k = r.int(10);
  if (k < 4) return r.pick(NUMBERS);
  if (k < 7) return r.pick(ADDRS);
  if (k < 9) return r.pick(WORDS);
  return String(r.range(-5, 70000));
}

/** Quotes a word for the shell (single quotes). */
export function shq(s: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------- tools

interface ToolSpec {
  /** Short options; a trailing ':' takes a value, '::' an optional one. */
  shorts: string;
  longs: string[];
  /** Operand words the tool understands (subcommands, keywords). */
  words: string[];
  /** May block: wrap in `timeout` most of the time. */
  blocks?: boolean;
}

const IP_OBJECTS = [
  'link',
  'address',
  'addr',
  'a',
  'route',
  'r',
  'rule',
  'neigh',
  'neighbour',
  'n',
  'netns',
  'maddr',
  'tunnel',
  'monitor',
  'stats',
  'xfrm',
  'help',
];
const IP_VERBS = [
  'add',
  'del',
  'delete',
  'show',
  'list',
  'ls',
  'set',
  'change',
  'replace',
  'flush',
  'get',
  'exec',
  'identify',
  'pids',
  'help',
  'save',
  'restore',
];
const IP_KEYS = [
  'dev',
  'type',
  'veth',
  'bridge',
  'dummy',
  'vlan',
  'macvlan',
  'peer',
  'name',
  'netns',
  'address',
  'broadcast',
  'mtu',
  'up',
  'down',
  'master',
  'nomaster',
  'via',
  'src',
  'table',
  'metric',
  'proto',
  'scope',
  'from',
  'to',
  'iif',
  'oif',
  'lookup',
  'priority',
  'pref',
  'fwmark',
  'lladdr',
  'nud',
  'permanent',
  'reachable',
  'stale',
  'local',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'label',
  'id',
  'txqueuelen',
  'arp',
  'promisc',
  'multicast',
  'allmulticast',
  'group',
  'alias',
  'vrf',
  'ipproto',
  'sport',
  'dport',
  'onlink',
  'dynamic',
  'noprefixroute',
  'valid_lft',
  'preferred_lft',
  'forever',
  'host',
  'link',
  'global',
  'main',
  'all',
  'tos',
  'ttl',
  'realms',
  'nexthop',
  'weight',
  'encap',
];
const TOOLS: Record<string, ToolSpec> = {
  ip: {
    shorts: '46BdDhiVsrcnNoj',
    longs: [
      '-details',
      '-stats',
      '-statistics',
      '-brief',
      '-color',
      '-json',
      '-pretty',
      '-oneline',
      '-netns',
      '-family',
      '-force',
      '-batch',
      '-all',
      '-resolve',
      '-Version',
    ],
    words: [...IP_OBJECTS, ...IP_VERBS, ...IP_KEYS],
  },
  bridge: {
    shorts: 'sdjpcnV',
    longs: ['-details', '-stats', '-json', '-netns', '-oneline', '-compressvlan'],
    words: [
      'link',
      'fdb',
      'mdb',
      'vlan',
      'monitor',
      'show',
      'add',
      'del',
      'replace',
      'set',
      'dev',
      'master',
      'self',
      'static',
      'dynamic',
      'permanent',
      'port',
      'vid',
      'learning',
      'flood',
      'hairpin',
      'state',
      'guard',
      'cost',
      'priority',
      'on',
      'off',
    ],
  },
  ping: {
    shorts: 'h?4bRT:6F:N:aABc:CdDe:fHi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:',
    longs: [],
    words: ['10.0.0.1', '10.0.0.2', '127.0.0.1', '10.0.0.255', '224.0.0.1'],
    blocks: true,
  },
  sysctl: {
    shorts: 'bneNwfp::qoxaAXr:Vdh',
    longs: [
      'all',
      'binary',
      'deprecated',
      'dotted',
      'ignore',
      'names',
      'values',
      'pattern=',
      'quiet',
      'write',
      'load',
      'system',
      'help',
      'version',
    ],
    words: [
      'net.ipv4.ip_forward',
      'net.ipv4.ip_forward=1',
      'net.ipv4.conf.all.rp_filter=2',
      'net.ipv4.icmp_ratelimit',
      'net.core.netdev_max_backlog=1',
      'kernel.x',
      'net.ipv4.conf.va.forwarding',
      'net.ipv4.tcp_rmem=1 2 3',
      'a.b=c',
    ],
  },
  nstat: {
    shorts: 'h?vVzrnasd:t:jp',
    longs: ['help', 'version', 'zeros', 'reset', 'nooutput', 'noupdate', 'scan=', 'interval=', 'json', 'pretty', 'json-pretty'],
    words: ['IpInReceives', 'Icmp*', 'Tcp*', '*', 'Udp*'],
  },
  traceroute: {
    shorts: '46dFITUnrAVeEf:g:i:m:N:p:t:s:q:w:z:M:O:P:',
    longs: ['icmp', 'tcp', 'udp', 'sport=', 'fwmark=', 'back', 'mtu', 'help', 'version'],
    words: ['10.0.0.2', '10.0.1.1', '127.0.0.1', '60', '1500'],
    blocks: true,
  },
  tcpdump: {
    shorts: 'aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#',
    longs: [
      'buffer-size=',
      'count',
      'direction=',
      'list-interfaces',
      'help',
      'interface=',
      'monitor-mode',
      'immediate-mode',
      'linktype=',
      'no-promiscuous-mode',
      'snapshot-length=',
      'number',
      'print',
      'version',
      'time-stamp-precision=',
      'nano',
      'micro',
    ],
    words: ['icmp', 'tcp', 'udp', 'arp', 'port', '80', 'host', '10.0.0.1', 'and', 'or', 'not', '(', ')', 'ip', 'ether', 'src', 'dst'],
    blocks: true,
  },
  tcpreplay: {
    shorts: 'i:I:l:LqtT:vVx:p:M:o',
    longs: [
      'intf1=',
      'loop=',
      'limit=',
      'pps=',
      'mbps=',
      'multiplier=',
      'topspeed',
      'oneatatime',
      'quiet',
      'verbose',
      'help',
      'version',
      'stats=',
    ],
    words: ['x.pcap', 'va'],
    blocks: true,
  },
  nc: {
    shorts: '46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz',
    longs: [],
    words: ['10.0.0.1', '10.0.0.2', '127.0.0.1', '80', '5000', '9', '0', '65536', '1-3'],
    blocks: true,
  },
  ss: {
    shorts: 'dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO',
    longs: [
      'all',
      'listening',
      'tcp',
      'udp',
      'raw',
      'numeric',
      'extended',
      'memory',
      'info',
      'processes',
      'summary',
      'family=',
      'query=',
      'socket=',
      'net=',
      'no-header',
      'oneline',
      'kill',
      'help',
      'version',
    ],
    words: [
      'state',
      'established',
      'listening',
      'all',
      'dport',
      'sport',
      'dst',
      'src',
      '=',
      '!=',
      '<',
      '>',
      ':80',
      ':abc',
      'eq',
      'and',
      'or',
      'not',
      '(',
      ')',
      'dev',
      'va',
    ],
  },
  nft: {
    shorts: '+hvVf:D:iI:coastSNunypTejd:',
    longs: [
      'help',
      'version',
      'file=',
      'define=',
      'interactive',
      'includepath=',
      'check',
      'optimize',
      'handle',
      'stateless',
      'terse',
      'service',
      'reversedns',
      'guid',
      'numeric',
      'numeric-priority',
      'numeric-protocol',
      'numeric-time',
      'echo',
      'json',
      'debug=',
    ],
    words: [
      'list',
      'ruleset',
      'tables',
      'add',
      'table',
      'inet',
      'filter',
      'chain',
      'input',
      'rule',
      'delete',
      'handle',
      'flush',
      'monitor',
      'trace',
      '{',
      '}',
      ';',
      'type',
      'hook',
      'priority',
      'policy',
      'drop',
      'accept',
      'tcp',
      'dport',
      '22',
      'counter',
      'set',
      'element',
      'map',
      'ip',
      'saddr',
      '10.0.0.1',
      'describe',
      'reset',
      'counters',
    ],
    blocks: true,
  },
  iptables: {
    shorts: 'A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46',
    longs: [
      'append=',
      'check=',
      'delete=',
      'insert=',
      'replace=',
      'list',
      'list-rules',
      'flush',
      'zero',
      'new-chain=',
      'delete-chain',
      'rename-chain=',
      'policy=',
      'table=',
      'jump=',
      'goto=',
      'in-interface=',
      'out-interface=',
      'protocol=',
      'source=',
      'destination=',
      'match=',
      'numeric',
      'verbose',
      'line-numbers',
      'exact',
      'dport=',
      'sport=',
      'icmp-type=',
      'reject-with=',
      'to-destination=',
      'to-source=',
      'to-ports=',
      'state=',
      'ctstate=',
      'log-prefix=',
      'log-level=',
      'set-mark=',
      'mark=',
      'limit=',
      'limit-burst=',
      'tcp-flags=',
      'syn',
      'fragment',
      'comment=',
      'help',
      'version',
    ],
    words: [
      'INPUT',
      'OUTPUT',
      'FORWARD',
      'PREROUTING',
      'POSTROUTING',
      'ACCEPT',
      'DROP',
      'REJECT',
      'LOG',
      'DNAT',
      'SNAT',
      'MASQUERADE',
      'REDIRECT',
      'RETURN',
      'MARK',
      'nat',
      'filter',
      'mangle',
      'raw',
      'tcp',
      'udp',
      'icmp',
      'all',
      'conntrack',
      'state',
      'multiport',
      'limit',
      'mark',
      'comment',
      'NEW,ESTABLISHED',
      'echo-request',
      'icmp-port-unreachable',
      'tcp-reset',
    ],
  },
  conntrack: {
    shorts: 'L::I::U::D::G::E::F::A::hVs:d:r:q:p:t:u:e:a:z[:]:{:}:m:i:f:o:n::g::c:b:C::Sj::w:l:',
    longs: [
      'dump',
      'create',
      'update',
      'delete',
      'get',
      'event',
      'flush',
      'count',
      'stats',
      'orig-src=',
      'orig-dst=',
      'reply-src=',
      'reply-dst=',
      'proto=',
      'timeout=',
      'status=',
      'mark=',
      'zone=',
      'output=',
      'family=',
      'src-nat',
      'dst-nat',
      'any-nat',
      'sport=',
      'dport=',
      'icmp-type=',
      'icmp-code=',
      'icmp-id=',
      'state=',
      'help',
      'version',
    ],
    words: [
      'conntrack',
      'expect',
      'tcp',
      'udp',
      'icmp',
      'extended',
      'xml',
      'id',
      'ESTABLISHED',
      'ASSURED',
      'ipv4',
      'ipv6',
      '10.0.0.1',
      '300.1.1.1',
    ],
  },
  dmesg: {
    shorts: 'CcDdEeF:f:HhJkL::l:n:iPprSs:TtuVWwx',
    longs: [
      'clear',
      'read-clear',
      'console-off',
      'show-delta',
      'reltime',
      'console-on',
      'file=',
      'facility=',
      'human',
      'json',
      'kernel',
      'color=',
      'level=',
      'console-level=',
      'noescape',
      'nopager',
      'force-prefix',
      'raw',
      'syslog',
      'buffer-size=',
      'ctime',
      'notime',
      'since=',
      'until=',
      'userspace',
      'follow',
      'follow-new',
      'decode',
      'time-format=',
      'help',
      'version',
    ],
    words: ['err', 'warn', 'info', 'debug', 'kern', 'user', 'always', 'never', 'iso', 'delta', 'reltime', 'notime', 'ctime'],
  },
  'skbpath-nic': {
    shorts: 'h',
    longs: ['help'],
    words: [
      'add',
      'del',
      'show',
      'set',
      'e1000',
      'snull',
      'dev',
      'eth0',
      'netns',
      'a',
      'b',
      'rx',
      'tx',
      'queues',
      'mac',
      'link',
      'peer',
      'rps',
      'irq',
    ],
  },
  ethtool: {
    shorts: 'hVdaAcCgGiklLnSPpsKkTrwWx',
    longs: [
      'help',
      'version',
      'driver',
      'show-pause',
      'pause',
      'show-coalesce',
      'coalesce',
      'show-ring',
      'set-ring',
      'show-features',
      'features',
      'offload',
      'statistics',
      'show-priv-flags',
      'json',
      'show-channels',
      'set-channels',
      'identify',
      'negotiate',
      'show-permaddr',
      'change',
      'show-rxfh',
      'rxfh',
    ],
    words: ['eth0', 'va', 'lo', 'rx', 'tx', 'on', 'off', 'gro', 'gso', 'tso', 'combined', 'speed', 'duplex', 'full', 'autoneg'],
  },
  taskset: {
    shorts: '+apchV',
    longs: ['all-tasks', 'pid', 'cpu-list', 'help', 'version'],
    words: ['1', '0x3', '0-1', '0,1', '1-0', 'ffffffff', 'ping', 'sleep', '0'],
  },
  cat: {
    shorts: 'AbeEnstTuv',
    longs: ['show-all', 'number-nonblank', 'number', 'squeeze-blank', 'show-tabs', 'show-ends', 'help', 'version'],
    words: ['f', 'g', '-', 'nofile'],
  },
  head: {
    shorts: 'c:n:qvz',
    longs: ['bytes=', 'lines=', 'quiet', 'silent', 'verbose', 'zero-terminated', 'help', 'version'],
    words: ['f', '-', 'nofile'],
  },
  tail: {
    shorts: 'c:fFn:qs:vz',
    longs: ['bytes=', 'follow', 'lines=', 'quiet', 'retry', 'sleep-interval=', 'pid=', 'verbose', 'zero-terminated', 'help', 'version'],
    words: ['f', '-', 'nofile', '+1', '-1'],
  },
  tr: {
    shorts: 'cCdst',
    longs: ['complement', 'delete', 'squeeze-repeats', 'truncate-set1', 'help', 'version'],
    words: ['a-z', 'A-Z', '[:alpha:]', '[:upper:]', '\\n', '\\0', 'a-', '[=a=]', '[a*3]', 'z-a'],
  },
  wc: {
    shorts: 'clLmw',
    longs: ['bytes', 'chars', 'lines', 'max-line-length', 'words', 'files0-from=', 'total=', 'help', 'version'],
    words: ['f', '-', 'nofile'],
  },
  grep: {
    shorts: 'EFGPe:f:iyvwxcm:obnHhqsrRLlA:B:C:aIzZUTuV',
    longs: [
      'extended-regexp',
      'fixed-strings',
      'basic-regexp',
      'perl-regexp',
      'regexp=',
      'file=',
      'ignore-case',
      'invert-match',
      'word-regexp',
      'line-regexp',
      'count',
      'max-count=',
      'only-matching',
      'quiet',
      'color=',
      'after-context=',
      'before-context=',
      'context=',
      'null-data',
      'help',
      'version',
    ],
    words: ['a', 'x', '^a', 'a$', '(a|b)+', '[[:digit:]]', '\\(a\\)\\1', 'a{2,3}', '[', '(', '*a', 'a**', '\\', '[z-a]', 'f', '-'],
  },
  seq: {
    shorts: 'f:s:w',
    longs: ['format=', 'separator=', 'equal-width', 'help', 'version'],
    words: ['1', '5', '-1', '0.5', '1e3', '%g', '%x', '%05.2f', '%%'],
  },
  timeout: {
    shorts: '+fk:ps:v',
    longs: ['foreground', 'kill-after=', 'preserve-status', 'signal=', 'verbose', 'help', 'version'],
    words: ['1', '0', '0.1', '1s', '1m', 'sleep', 'ping', 'KILL', 'TERM', 'INT', '99'],
  },
  sort: {
    shorts: 'bdfgiMhnRrVck:mo:st:T:uz',
    longs: [
      'ignore-leading-blanks',
      'numeric-sort',
      'reverse',
      'unique',
      'key=',
      'field-separator=',
      'output=',
      'stable',
      'check',
      'merge',
      'help',
      'version',
    ],
    words: ['f', '-', '1,2', '2n', '1.3', '0'],
  },
  cut: {
    shorts: 'b:c:d:f:nsz',
    longs: ['bytes=', 'characters=', 'delimiter=', 'fields=', 'complement', 'only-delimited', 'output-delimiter=', 'help', 'version'],
    words: ['f', '1', '1-', '-2', '1,3', '0', '3-1', ':', ''],
  },
  tee: { shorts: 'aip', longs: ['append', 'ignore-interrupts', 'output-error', 'help', 'version'], words: ['f', 'g', 'plain/sub', '-'] },
  basename: { shorts: 'as:z', longs: ['multiple', 'suffix=', 'zero', 'help', 'version'], words: ['a/b', '/', '', 'a/b/', '.sh'] },
  dirname: { shorts: 'z', longs: ['zero', 'help', 'version'], words: ['a/b', '/', '', 'a/b/', '.'] },
  sleep: { shorts: '', longs: ['help', 'version'], words: ['0', '0.1', '1', 'inf', '1d', '-1', '1x'], blocks: true },
};
export const TOOL_NAMES = Object.keys(TOOLS);

/** One option of a tool: `-x`, `-xVALUE`, `-x VALUE`, `--long`, `--long=VALUE`, or a clustered run of flags. */
function toolOption(r: Rng, spec: ToolSpec): string[] {
  const shorts: { c: string; arg: 0 | 1 | 2 }[] = [];
  const s = spec.shorts.replace(/^[+:-]+/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === ':') continue;
    const arg = s[i + 1] === ':' ? (s[i + 2] === ':' ? 2 : 1) : 0;
    shorts.push({ c, arg });
  }
  const k = r.int(10);
  if (k < 5 && shorts.length) {
    const o = r.pick(shorts);
    if (o.arg === 0) {
      if (r.chance(0.3)) {
        let cl = `-${o.c}`;
        for (let n = r.range(1, 3); n > 0; n--) cl += r.pick(shorts).c;
        return [cl];
      }
      return [`-${o.c}`];
    }
    if (o.arg === 2 || r.chance(0.3)) return [`-${o.c}${value(r)}`];
    return r.chance(0.05) ? [`-${o.c}`] : [`-${o.c}`, value(r)];
  }
  if (k < 8 && spec.longs.length) {
    const l = r.pick(spec.longs);
    // ip and bridge spell their long options with one dash (`-details`); the table keeps it
    const name = l.replace(/=$/, '').replace(/^-/, '');
    const dashes = l.startsWith('-') ? '-' : '--';
    const cut = `${dashes.slice(1)}${r.chance(0.2) ? name.slice(0, r.range(1, name.length)) : name}`;
    if (l.endsWith('=')) return r.chance(0.5) ? [`--${cut}=${value(r)}`] : r.chance(0.9) ? [`--${cut}`, value(r)] : [`--${cut}`];
    return r.chance(0.1) ? [`--${cut}=${value(r)}`] : [`--${cut}`];
  }
  if (k < 9) return [r.pick(['-', '--', '-?', `-${String.fromCharCode(r.range(33, 126))}`, `--${r.pick(WORDS)}`])];
  return [r.pick(spec.words)];
}

/** The setup every argument-fuzz script starts with (a and b joined by a veth pair). */
export const ARGS_SETUP = `ip netns add a
ip netns add b
ip link add va netns a address 02:00:00:00:00:0a type veth peer name vb netns b address 02:00:00:00:00:0b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set va up
ip -n b link set vb up
ip -n a link set lo up
printf 'a\\nb\\n10.0.0.1\\n' > f
`;

const toolLineCache = new WeakMap<Corpus, string[][]>();

/** The simple tool command lines of the corpus (no shell syntax), as words, without `ip netns exec NS`. */
export function corpusToolLines(corpus: Corpus): string[][] {
  let lines = toolLineCache.get(corpus);
  if (lines) return lines;
  lines = [];
  for (const { text } of corpus.scripts) {
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*$/, '').trim();
      if (!line || /[;|&<>$`"'(){}\\]/.test(line)) continue;
      let w = line.split(/\s+/);
      if (w[0] === 'ip' && w[1] === 'netns' && w[2] === 'exec') w = w.slice(4);
      if (w[0] && w[0] in TOOLS) lines.push(w);
    }
  }
  toolLineCache.set(corpus, lines);
  return lines;
}

/** A tool's argv: random options from its table, or a corpus line of it with options inserted and values changed. */
function toolArgv(r: Rng, corpus: Corpus): string[] {
  const lines = corpusToolLines(corpus);
  if (lines.length && r.chance(0.5)) {
    // the corpus's namespaces are mostly a and b here
    const w = r.pick(lines).map((x, i, all) => (all[i - 1] === '-n' || all[i - 1] === 'netns' ? r.pick(['a', 'b', x]) : x));
    const spec = TOOLS[w[0] as string] as ToolSpec;
    for (let m = r.range(1, 3); m > 0; m--) {
      const i = r.range(1, w.length);
      const k = r.int(6);
      if (k < 2) w.splice(i, 0, ...toolOption(r, spec));
      else if (k === 2 && i < w.length) w[i] = value(r);
      else if (k === 3 && i < w.length) w.splice(i, 1);
      else if (k === 4) w.splice(i, 0, r.pick(spec.words));
      else if (i < w.length) w[i] = mutateToken(r, w[i] as string);
    }
    return w;
  }
  const name = r.pick(TOOL_NAMES);
  const spec = TOOLS[name] as ToolSpec;
  const argv: string[] = [name];
  for (let n = r.skewed(3); n >= 0; n--) {
    if (r.chance(0.35)) argv.push(r.pick(spec.words));
    else argv.push(...toolOption(r, spec));
    if (name === 'ip' && r.chance(0.3)) argv.push(r.pick(IP_KEYS), value(r));
  }
  return argv;
}

const TRAFFIC = [
  'ip netns exec a ping -c 2 -i 0.2 -W 1 10.0.0.2; echo rc=$?\n',
  'ip netns exec a ping -c 1 -s 3000 -W 1 10.0.0.2; echo rc=$?\n',
  'ip netns exec b ping -c 1 -W 1 -b 10.0.0.255; echo rc=$?\n',
  'ip netns exec b timeout 2 nc -u -l 10.0.0.2 9 > got &\nsleep 0.2\necho hi | ip netns exec a nc -u -w 1 10.0.0.2 9\nwait\ncat got\n',
  'ip netns exec b timeout 2 nc -l 5000 > got &\nsleep 0.2\necho hi | ip netns exec a nc -q 0 10.0.0.2 5000; echo rc=$?\nwait\ncat got\n',
  'ip netns exec a traceroute -n -q 1 -w 1 10.0.0.2; echo rc=$?\n',
  'ip netns exec a timeout 2 tcpdump -n -c 2 -i va & sleep 0.2; ip netns exec a ping -c 2 -i 0.2 -W 1 10.0.0.2 >/dev/null; wait\n',
  'ip netns exec a ss -tuan; ip netns exec b nstat -asz | head -5\n',
];

function toolLine(r: Rng, corpus: Corpus): string {
  const argv = toolArgv(r, corpus);
  const spec = TOOLS[argv[0] as string] as ToolSpec;
  if ((argv[0] === 'ping' || argv[0] === 'tcpdump') && !argv.some((a) => a.startsWith('-c')) && r.chance(0.7))
    argv.push(r.pick(['-c', '-c1']));
  let line = argv.map(shq).join(' ');
  if (spec.blocks && r.chance(0.8)) line = `timeout ${r.pick(['1', '2', '0.5'])} ${line}`;
  if (r.int(4) < 2) line = `ip netns exec ${r.pick(['a', 'b'])} ${line}`;
  if (r.chance(0.15)) line = `${line} < f`;
  if (r.chance(0.1)) line = `echo x | ${line}`;
  if (r.chance(0.1)) line = `${line} | head -${r.range(1, 5)}`;
  if (r.chance(0.05)) line = `${line} &`;
  return `${line}\necho rc=$?\n`;
}

export function genArgs(r: Rng, corpus: Corpus): string {
  let s = ARGS_SETUP;
  for (let n = r.range(1, 3); n > 0; n--) s += toolLine(r, corpus);
  if (s.includes('&\n')) s += 'wait\n';
  // traffic through whatever the tools changed (routes, MTUs, rules, addresses, sysctls)
  if (r.chance(0.5)) s += r.pick(TRAFFIC);
  return s;
}

// ---------------------------------------------------------------- shell mutants

/** Hostile constructs (issue 24's findings, at sizes a fair user might type, and a few more). */
function hostile(r: Rng): string {
  const n = (lo: number, hi: number): number => r.range(lo, hi);
  const list: (() => string)[] = [
    () => 'x=x; echo $((x))',
    () => 'y=z; z=y; echo $((y))',
    () => ': > plain; echo x > plain/sub; echo rc=$?',
    () => ': > plain; echo x | tee plain/sub; echo rc=$?',
    () => `seq -w 1 ${n(1, 200000)} | wc -l`,
    () => `seq 1 ${n(1, 300000)} | tail -1`,
    () => `for i in $(seq 1 ${n(1, 130000)}); do :; done; echo done`,
    () => `echo x > ${'f'.repeat(n(200, 400))}; echo rc=$?`,
    () => `echo x > "$(printf 'a\\001b')"; echo rc=$?`,
    () => {
      const d = r.chance(0.5) ? n(1, 100) : n(100, 5000);
      return `${'( '.repeat(d)}echo deep${' )'.repeat(d)}`;
    },
    () => {
      const d = r.chance(0.5) ? n(1, 100) : n(100, 5000);
      return `echo $((${'('.repeat(d)}1${')'.repeat(d)}))`;
    },
    () => `echo ${'{a,b}'.repeat(n(1, r.chance(0.8) ? 12 : 24))} | wc -c`,
    () => 'x=abc; echo ${!x}; echo rc=$?',
    () => 'x=abc; [[ $x =~ ^a(b)c$ ]] && echo m; echo rc=$?',
    () => `s=$(seq -s 0 1 ${n(10, 5000)}); echo \${#s}; t=\${s//0/ab}; echo \${#t}`,
    () => `printf 'a%.0s' $(seq 1 ${n(5, 30)}) | grep -E '^(a+)+b$'; echo rc=$?`,
    () => 'set -- a "b c" d; printf \'<%s>\\n\' "${@:-none}"',
    () => 'echo 日本 > u; cat u; wc -c u',
    () => 'sleep 1 & kill $!; wait; echo rc=$?',
    () => 'sleep 5 & kill %1; wait %1; echo rc=$?',
    () => 'trap "echo trapped" EXIT; echo body',
    () => `exit ${r.pick(['0', '1', '255', '256', '300', '-1', 'x'])}`,
    () => `shift ${n(0, 9)}; echo rc=$?`,
    () => 'read x < nofile; echo rc=$?',
    () => 'cd nodir; echo rc=$?; cd ..; echo rc=$?',
    () =>
      `echo $((${r.pick(['1/0', '2**64', '2**-1', '-9223372036854775808 / -1', '08', '0x', '1 +', '++', 'a[', '1 ? 2', '9223372036854775807 + 1', '1 << 99', '-(-(-1))'])}))`,
    () => `printf '${r.pick(['%d', '%5.2f', '%x', '%q', '%b', '%s %s', '%*d', '%.*s', '%c', '%z', '%'])}\\n' ${value(r)} ${value(r)}`,
    () => `f() { [ "$1" -gt 0 ] && f $(($1 - 1)); echo "$1"; }; f ${n(1, 300)} | tail -1`,
    () => `i=0; while [ $i -lt ${n(1, 3000)} ]; do i=$((i + 1)); done; echo $i`,
    () => `cat <<EOF\n${'line $x\n'.repeat(n(1, 2000))}EOF`,
    () => `x=${'a'.repeat(n(1, 20000))}; echo \${#x}; echo \${x:${n(0, 5)}:${n(-3, 5)}}`,
    () =>
      `echo ${r.pick(['"unterminated', "'unterminated", '$(unclosed', '`unclosed', '${', '$((1', 'a | | b', '; ;', '&& x', '|| x', 'if then fi', 'case x in', 'for in do done', '{ echo', 'done', 'fi', 'esac', '} }'])}`,
    () =>
      `${r.pick(['ip', 'ping', 'tcpdump', 'ss', 'iptables', 'nc', 'sysctl', 'nstat', 'conntrack', 'bridge'])} ${value(r)} ${value(r)}; echo rc=$?`,
    () => `ip netns add ${'n'.repeat(n(1, 300))}; echo rc=$?`,
    () => 'ip netns exec a timeout 1 ping -q -c 100000 -i 0 127.0.0.1 | tail -2',
    () => 'timeout 1 sleep 5; echo rc=$?',
    () => 'sleep infinity & kill $!; wait; echo rc=$?',
    () => 'echo x | sort | uniq | cut -c1; echo rc=$?',
    () =>
      `${r.pick(['kill -9 $$', 'kill -STOP $$', 'kill 0', 'kill -- -1', 'wait 99999', 'jobs -l', 'exec 3>&-', 'exec 9<f', 'echo x >&5', 'echo x 2>&1 >&-'])}; echo rc=$?`,
    () => `export ${r.pick(['PATH=', 'IFS=x', 'HOME', 'A=b', '1x=2'])}; echo rc=$?`,
    () => `unset ${r.pick(['PATH', 'IFS', 'x', '1', '?'])}; echo rc=$?`,
    () => `a=(1 2 3); echo \${a[${r.pick(['0', '1', '-1', '99', '@', '*', 'x'])}]}`,
    () => `echo {1..${n(1, 100000)}} | wc -c`,
    () => `echo {${r.pick(['a..z', 'z..a', '1..10..3', '01..10', 'a..9', '-5..5'])}}`,
    () => `echo ${r.pick(['*', '?', '[a-z]*', '**', '.*', '~', '~root'])}`,
    () => `tcpdump -r ${r.pick(['nofile', 'f', '.', '-'])} -n; echo rc=$?`,
    () => `tcpdump -w ${r.pick(['plain/sub', 'nodir/x.pcap', '.', ''])} -c 1 -i lo; echo rc=$?`,
  ];
  return r.pick(list)();
}

function mutateToken(r: Rng, tok: string): string {
  const k = r.int(8);
  if (/^-?\d+(\.\d+)?$/.test(tok) && k < 5) return r.pick(NUMBERS);
  if (tok.startsWith('-') && k < 5) {
    // flip an option: another letter, dropped, doubled, or its value torn off
    const c = String.fromCharCode(r.pick([r.range(97, 122), r.range(65, 90), r.range(48, 57)]));
    return r.pick([`-${c}`, '', `${tok}${tok}`, tok.slice(0, 2), `-${tok}`, `${tok}=`, `${tok}${value(r)}`]);
  }
  if (k < 6) return value(r);
  if (k < 7) return tok + r.pick(['"', "'", '$', '`', '(', ')', '{', '}', '|', '&', ';', '<', '>', '\\', '#', '*', '!', '$(', '${', '$((']);
  return tok.slice(0, r.int(tok.length + 1));
}

/** A mutant of one corpus script. */
export function genShell(r: Rng, corpus: Corpus): Record<string, string | Uint8Array> {
  const src = r.pick(corpus.scripts);
  const lines = src.text.split('\n');
  for (let m = r.range(1, 4); m > 0; m--) {
    const i = r.int(lines.length);
    const k = r.int(9);
    if (k === 0) lines.splice(i, 1);
    else if (k === 1) lines.splice(i, 0, lines[i] ?? '');
    else if (k === 2) {
      const j = r.int(lines.length);
      const t = lines[i] as string;
      lines[i] = lines[j] as string;
      lines[j] = t;
    } else if (k <= 5) {
      const toks = (lines[i] ?? '').split(' ');
      const t = r.int(toks.length);
      toks[t] = mutateToken(r, toks[t] ?? '');
      lines[i] = toks.join(' ');
    } else if (k <= 7) lines.splice(i, 0, hostile(r));
    else {
      // cut the script mid-line (unclosed quotes, half a command)
      const line = lines[i] ?? '';
      lines.splice(i, lines.length - i, line.slice(0, r.int(line.length + 1)));
    }
  }
  const text = lines.join('\n');
  // the files it reads (tcpreplay's pcaps), now and then corrupted: mutated frames into a live receive path
  const files: Record<string, string | Uint8Array> = { 'in.sh': text };
  for (const [name, data] of Object.entries(corpus.files)) {
    if (text.includes(name)) files[name] = name.endsWith('.pcap') && r.chance(0.3) ? corrupt(r, data, false) : data;
  }
  return files;
}

// ---------------------------------------------------------------- pcap / pcapng

function le32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The records of a classic little- or big-endian pcap, leniently (stops at the first short record). */
function pcapRecords(f: Uint8Array): { linktype: number; recs: Uint8Array[] } {
  if (f.length < 24) return { linktype: 1, recs: [] };
  const dv = new DataView(f.buffer, f.byteOffset, f.byteLength);
  const le = dv.getUint32(0, true) === 0xa1b2c3d4 || dv.getUint32(0, true) === 0xa1b23c4d;
  const linktype = dv.getUint32(20, le);
  const recs: Uint8Array[] = [];
  for (let o = 24; o + 16 <= f.length; ) {
    const cap = dv.getUint32(o + 8, le);
    if (o + 16 + cap > f.length) break;
    recs.push(f.subarray(o + 16, o + 16 + cap));
    o += 16 + cap;
  }
  return { linktype, recs };
}

function block(type: number, body: Uint8Array): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const len = 12 + padded;
  const b = new Uint8Array(len);
  le32(b, 0, type);
  le32(b, 4, len);
  b.set(body, 8);
  le32(b, len - 4, len);
  return b;
}

/** A pcapng file of these records: SHB, one or two IDBs, EPBs (some SPBs), maybe an NRB and an ISB. */
export function toPcapng(r: Rng, linktype: number, recs: Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const shb = new Uint8Array(16);
  le32(shb, 0, 0x1a2b3c4d);
  shb[4] = 1; // major 1, minor 0
  le32(shb, 8, 0xffffffff); // section length unknown
  le32(shb, 12, 0xffffffff);
  parts.push(block(0x0a0d0d0a, shb));
  const ifaces = r.chance(0.3) ? 2 : 1;
  for (let i = 0; i < ifaces; i++) {
    const idb = new Uint8Array(8);
    idb[0] = (i === 0 ? linktype : r.pick([1, 0, 12, 101, 113, 228, 276])) & 0xff;
    idb[1] = ((i === 0 ? linktype : 1) >> 8) & 0xff;
    le32(idb, 4, 262144);
    parts.push(block(0x00000001, idb));
  }
  if (r.chance(0.3)) {
    // NRB: one IPv4 record (type 1, length 4+name) and the end record
    const name = new TextEncoder().encode('host.example\0');
    const body = new Uint8Array(4 + ((4 + name.length + 3) & ~3) + 4);
    body[0] = 1;
    body[2] = (4 + name.length) & 0xff;
    body.set([10, 0, 0, 1], 4);
    body.set(name, 8);
    parts.push(block(0x00000004, body));
  }
  let ts = 1_700_000_000_000_000;
  for (const rec of recs) {
    ts += 1000;
    if (r.chance(0.1)) {
      const spb = new Uint8Array(4 + rec.length);
      le32(spb, 0, rec.length);
      spb.set(rec, 4);
      parts.push(block(0x00000003, spb));
      continue;
    }
    const epb = new Uint8Array(20 + rec.length);
    le32(epb, 0, ifaces === 2 ? r.int(2) : 0);
    le32(epb, 4, Math.floor(ts / 4294967296));
    le32(epb, 8, ts % 4294967296);
    le32(epb, 12, rec.length);
    le32(epb, 16, rec.length);
    epb.set(rec, 20);
    parts.push(block(0x00000006, epb));
  }
  if (r.chance(0.3)) parts.push(block(0x00000005, new Uint8Array(12)));
  if (r.chance(0.1)) parts.push(block(r.u32() & 0x7fffffff, new Uint8Array(r.int(16))));
  return concat(parts);
}

const HUGE = [0, 1, 15, 16, 65535, 65536, 262144, 262145, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

/** Corrupts a file: truncation, bit flips, huge length fields, bad magic, garbage, duplicated ranges. */
function corrupt(r: Rng, f0: Uint8Array, pcapng: boolean): Uint8Array {
  let f: Uint8Array = f0.slice();
  for (let m = r.range(1, 3); m > 0; m--) {
    const k = r.int(9);
    if (k === 0) f = f.slice(0, r.int(f.length + 1));
    else if (k === 1) {
      for (let n = r.range(1, 8); n > 0 && f.length; n--) {
        const i = r.int(f.length);
        f[i] = (f[i] as number) ^ (1 << r.int(8));
      }
    } else if (k === 2 && f.length >= 8) {
      // a length field: pcap record caplen/len (offsets 24+8, 24+12) or a pcapng block length
      const at = pcapng ? r.pick([4, 28, 32, 36, 4 * r.int(f.length >> 2)]) : r.pick([16, 32, 36, 24 + 16 * r.int(4) + 8]);
      if (at + 4 <= f.length) le32(f, at, r.pick(HUGE));
    } else if (k === 3 && f.length >= 4) le32(f, 0, r.pick([0, 0xa1b2c3d4, 0xd4c3b2a1, 0x4d3cb2a1, 0x0a0d0d0a, 0x1a2b3c4d, r.u32()]));
    else if (k === 4 && f.length >= 24) {
      // link type / snaplen / version
      if (pcapng) le32(f, r.pick([28, 32]), r.pick([0, 1, 12, 101, 105, 113, 147, 228, 276, 0xffff, r.u32()]));
      else le32(f, r.pick([20, 16, 4]), r.pick([0, 1, 12, 101, 105, 113, 147, 228, 276, 0xffff, 0, 2, r.u32()]));
    } else if (k === 5) {
      const g = new Uint8Array(r.skewed(10));
      for (let i = 0; i < g.length; i++) g[i] = r.int(256);
      const at = r.int(f.length + 1);
      f = concat([f.subarray(0, at), g, f.subarray(at)]);
    } else if (k === 6 && f.length > 8) {
      const a = r.int(f.length);
      const b = Math.min(f.length, a + r.skewed(9));
      f = concat([f, f.subarray(a, b)]);
    } else if (k === 7 && f.length > 8) {
      const a = r.int(f.length);
      f = concat([f.subarray(0, a), f.subarray(Math.min(f.length, a + r.range(1, 64)))]);
    } else {
      // big-endian pcapng section (byte-order magic swapped), or zero everything after the header
      if (pcapng && f.length >= 12) le32(f, 8, 0x4d3c2b1a);
      else f.fill(0, Math.min(f.length, 24));
    }
  }
  return f;
}

const TCPDUMP_READ_OPTS = [
  '-n',
  '-nn',
  '-e',
  '-v',
  '-vv',
  '-vvv',
  '-x',
  '-xx',
  '-X',
  '-XX',
  '-A',
  '-q',
  '-t',
  '-tt',
  '-ttt',
  '-tttt',
  '-ttttt',
  '-S',
  '-K',
  '-#',
  '-l',
  '-N',
  '-f',
  '-u',
  '-U',
  '--number',
  '-c1',
  '-c3',
  '-c0',
  '-c-1',
  '-s0',
  '-s10',
  '-s70000',
  '-y EN10MB',
  '-y LINUX_SLL',
  '-y RAW',
  '-T snmp',
  '-E x',
  '--time-stamp-precision=nano',
  '--nano',
  '-w out.pcap',
  '-F nofile',
  '-C 1',
  '-G 1',
  '-z gzip',
  '-Q in',
];

export function genPcap(r: Rng, corpus: Corpus): { argv: string[]; files: Record<string, Uint8Array> } {
  const src = r.pick(corpus.pcaps);
  const pcapng = r.chance(0.5);
  let f = src;
  if (pcapng) {
    const { linktype, recs } = pcapRecords(src);
    f = toPcapng(r, linktype, recs.slice(0, r.range(0, recs.length)));
  }
  if (r.chance(0.9)) f = corrupt(r, f, pcapng);
  const argv = ['tcpdump', '-r', 'in.pcap'];
  for (let n = r.skewed(2); n > 0; n--) argv.push(...r.pick(TCPDUMP_READ_OPTS).split(' '));
  if (r.chance(0.3)) argv.push(filterExpr(r, 2));
  return { argv, files: { 'in.pcap': f } };
}

// ---------------------------------------------------------------- filter expressions

const PRIMS = [
  'ip',
  'ip6',
  'arp',
  'rarp',
  'tcp',
  'udp',
  'icmp',
  'icmp6',
  'sctp',
  'igmp',
  'vlan',
  'vlan 10',
  'mpls',
  'broadcast',
  'multicast',
  'ip broadcast',
  'ether broadcast',
  'ip multicast',
  'inbound',
  'outbound',
  'greater 100',
  'less 60',
  'ip proto \\tcp',
  'ip proto 17',
  'ether proto \\arp',
  'proto \\icmp',
  'ip6 proto 58',
  'llc',
  'stp',
  'decnet',
  'iso',
  'ifname va',
  'on va',
  'gateway 10.0.0.1',
  'atalk',
];
const QUALS = ['', 'src ', 'dst ', 'src or dst ', 'src and dst ', 'tcp ', 'udp ', 'ip ', 'ether ', 'ether src ', 'ip6 '];
const ACCESS = ['ether', 'ip', 'ip6', 'tcp', 'udp', 'icmp', 'arp', 'link', 'vlan', 'igmp', 'sctp', 'icmp6', 'radio', 'ppp'];
const FIELDS = [
  'tcpflags',
  'icmptype',
  'icmpcode',
  'icmp6type',
  'tcp-syn',
  'tcp-ack',
  'icmp-echo',
  'icmp-echoreply',
  '0',
  '1',
  '2',
  '9',
  '12',
  '13',
  '20',
  '23',
  '40',
  '65535',
  '-1',
  '4294967296',
];
const RELOPS = ['==', '=', '!=', '<', '<=', '>', '>=', '&', '|'];
const ARITH = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>'];

function arithExpr(r: Rng, depth: number): string {
  const k = r.int(depth > 0 ? 6 : 3);
  if (k === 0) return r.pick([...NUMBERS.slice(0, 16), 'len', 'tcp-syn', 'icmp-echo', '0xffffffff', '-5', '010']);
  if (k === 1) return `${r.pick(ACCESS)}[${r.pick(FIELDS)}${r.chance(0.4) ? `:${r.pick(['1', '2', '4', '3', '0', '8'])}` : ''}]`;
  if (k === 2) return r.pick(['len', 'ip[0] & 0xf', 'tcp[13]', 'ip[2:2]', 'ether[12:2]']);
  if (k === 3) return `${r.pick(ACCESS)}[${arithExpr(r, depth - 1)}${r.chance(0.3) ? `:${r.pick(['1', '2', '4'])}` : ''}]`;
  if (k === 4) return `(${arithExpr(r, depth - 1)})`;
  return `${arithExpr(r, depth - 1)} ${r.pick(ARITH)} ${arithExpr(r, depth - 1)}`;
}

function primitive(r: Rng): string {
  const k = r.int(9);
  if (k < 2) return r.pick(PRIMS);
  if (k === 2) return `${r.pick(QUALS)}host ${r.pick(ADDRS)}`;
  if (k === 3)
    return `${r.pick(QUALS)}net ${r.pick(['10.0.0.0/24', '10.0.0', '10', '10.0.0.0 mask 255.255.255.0', '10.0.0.1/33', '0/0', '10.0.0.0/8', '1.2.3.4/-1', '224.0.0.0/4', 'fe80::/10'])}`;
  if (k === 4) return `${r.pick(QUALS)}port ${r.pick(['80', '0', '65535', '65536', 'http', 'domain', 'nosuchservice', '-1', '1-2'])}`;
  if (k === 5) return `${r.pick(QUALS)}portrange ${r.pick(['1-1024', '1024-1', '0-65535', '80-80', '5-', '-5', 'a-b', '1-99999'])}`;
  if (k === 6)
    return `${r.pick(['ether host ', 'ether src ', 'ether dst ', 'ether proto ', 'ip proto ', 'ip6 proto '])}${r.pick(ADDRS.concat(NUMBERS.slice(0, 10)))}`;
  return `${arithExpr(r, 3)} ${r.pick(RELOPS)} ${arithExpr(r, 2)}`;
}

/** A grammar walk: primitives joined by and/or/not, parenthesised, to a depth. */
export function filterExpr(r: Rng, depth: number): string {
  const k = r.int(depth > 0 ? 6 : 1);
  if (k === 0) return primitive(r);
  if (k === 1) return `${r.pick(['not ', '! ', 'not not '])}${filterExpr(r, depth - 1)}`;
  if (k === 2) return `(${filterExpr(r, depth - 1)})`;
  return `${filterExpr(r, depth - 1)} ${r.pick(['and', 'or', '&&', '||', 'and not', 'or not'])} ${filterExpr(r, depth - 1)}`;
}

const SOUP = [
  '(',
  ')',
  'and',
  'or',
  'not',
  '!',
  '[',
  ']',
  ':',
  '==',
  '&',
  'tcp',
  'ip',
  'host',
  'port',
  '1',
  '10.0.0.1',
  'src',
  'dst',
  '\\',
  '"',
  'ether',
  '/',
  '-',
  '+',
  'len',
  '>',
  'proto',
  'net',
  'mask',
];

export function genFilterExpr(r: Rng): string {
  const k = r.int(10);
  if (k < 5) return filterExpr(r, r.range(1, 6));
  if (k === 5) {
    // deep nesting (real tcpdump: 1,000 parentheses are fine)
    const d = r.chance(0.5) ? r.range(1, 200) : r.range(200, 3000);
    const inner = primitive(r);
    return `${r.pick(['', 'not '])}${'('.repeat(d)}${inner}${')'.repeat(d - (r.chance(0.1) ? 1 : 0))}`;
  }
  if (k === 6) {
    // a long chain (real tcpdump: 5,000 `and` terms are fine)
    const n = r.chance(0.5) ? r.range(2, 300) : r.range(300, 6000);
    const op = r.pick(['and', 'or', '&&']);
    const terms: string[] = [];
    for (let i = 0; i < n; i++)
      terms.push(r.chance(0.5) ? r.pick(['tcp', 'port 80', 'host 10.0.0.1', 'not icmp', 'len > 10']) : primitive(r));
    return terms.join(` ${op} `);
  }
  if (k === 7) {
    // deep arithmetic
    const d = r.range(1, r.chance(0.5) ? 50 : 2000);
    return `${'('.repeat(d)}len${' + 1)'.repeat(d)} > 0`;
  }
  const n = r.range(1, 12);
  const toks: string[] = [];
  for (let i = 0; i < n; i++) toks.push(r.pick(SOUP));
  return toks.join(r.chance(0.8) ? ' ' : '');
}

const FUNC_RES = ['ip_rcv', '^ip_', 'ip_(rcv|output)', '(', '[', '*', 'a{2,}', '\\', '(?<x>ip)', 'x'.repeat(100), '.*', '', '+'];

export function genFilter(r: Rng): { argv: string[]; files: Record<string, string> } {
  const expr = genFilterExpr(r);
  if (r.chance(0.5)) {
    const argv = ['tcpdump', r.pick(['-d', '-d', '-dd', '-ddd'])];
    if (r.chance(0.2)) argv.push(r.pick(['-y', '-i']), r.pick(['EN10MB', 'LINUX_SLL', 'LINUX_SLL2', 'RAW', 'NULL', 'lo', 'x']));
    if (r.chance(0.1)) argv.push(r.pick(['-O', '-s', '-n']));
    return { argv: [...argv, expr], files: {} };
  }
  const argv = ['trace', 'trace.sh', '--filter', expr];
  if (r.chance(0.1)) argv.push('--func', r.pick(FUNC_RES));
  if (r.chance(0.1)) argv.push(r.pick(['--netns', '--dev']), r.pick(['a', 'b', 'va', 'vb', 'lo', 'x'.repeat(300), '']));
  if (r.chance(0.1)) argv.push('--json');
  return { argv, files: {} };
}

// ---------------------------------------------------------------- the campaign's inputs

/** Input `index` of the campaign with this seed; its generator by rotation (shell, args, pcap, filter, nft, …) unless `only`. */
export function makeInput(seed: number, index: number, corpus: Corpus, only?: readonly GenName[]): FuzzInput {
  const gens = only?.length ? only : GENERATORS;
  const gen = gens[index % gens.length] as GenName;
  const r = new Rng(inputSeed(seed, index));
  if (gen === 'shell') {
    // a quarter with --artifacts: the captures, counters and trace are built too
    const files = genShell(r, corpus);
    return { gen, index, argv: r.chance(0.25) ? ['run', 'in.sh', '--artifacts', 'art'] : ['run', 'in.sh'], files };
  }
  if (gen === 'args') return { gen, index, argv: ['run', 'in.sh'], files: { 'in.sh': genArgs(r, corpus) } };
  if (gen === 'pcap') return { gen, index, ...genPcap(r, corpus) };
  if (gen === 'nft') return { gen, index, ...genNft(r) };
  const f = genFilter(r);
  return { gen, index, argv: f.argv, files: f.argv[0] === 'trace' ? { 'trace.sh': corpus.traceScript } : {} };
}

// ---------------------------------------------------------------- classification

export type Outcome = 'ok' | 'internal' | 'stack' | 'timeout' | 'rss' | 'crash';
export const OUTCOMES: readonly Outcome[] = ['ok', 'internal', 'stack', 'timeout', 'rss', 'crash'];

export interface RunReport {
  /** Exit status; null when the process did not exit by itself (killed at the wall or memory budget, or died). */
  status: number | null;
  /** stdout and stderr (the transcript for `run`). */
  out: string;
  err: string;
  /** Set when the command threw out of the program (what the CLI would print as a stack trace). */
  thrown?: string;
  timedOut?: boolean;
  /** Peak resident memory in bytes, when measured. */
  rss?: number;
  /** The process died (signal, V8 out of memory). */
  died?: string;
}

/** A JavaScript stack frame line, or a JavaScript error name at the start of a message. */
const FRAME = /^ {4}at (?:.+ \()?(?:file:\/\/|node:|\/|[A-Za-z]:\\|<anonymous>|native)[^\n]*$/m;
const JS_ERROR =
  /(?:^|\n|: )(?:Uncaught )?(?:TypeError|RangeError|ReferenceError|SyntaxError|EvalError|URIError|AggregateError|InternalError)(?:: |\n|$)|Maximum call stack size exceeded|Invalid string length|Invalid array length|JavaScript heap out of memory/;

export function classify(rep: RunReport, maxRss: number): Outcome {
  if (rep.timedOut) return 'timeout';
  if (rep.rss !== undefined && rep.rss > maxRss) return 'rss';
  if (rep.died) return /heap out of memory|ERR_WORKER_OUT_OF_MEMORY|ENOMEM/.test(rep.died) ? 'rss' : 'crash';
  const text = `${rep.out}\n${rep.err}`;
  if (rep.status === 70 || /internal error/.test(rep.err) || /skbpath: internal error/.test(rep.out)) return 'internal';
  if (rep.thrown !== undefined || FRAME.test(text) || JS_ERROR.test(text)) return 'stack';
  return 'ok';
}

/** What identifies a failure for deduplication: the first frame or error line, numbers blanked. */
export function failureKey(rep: RunReport, outcome: Outcome): string {
  if (outcome === 'timeout' || outcome === 'rss' || outcome === 'crash') return outcome;
  const text = rep.thrown ?? `${rep.err}\n${rep.out}`;
  const lines = text.split('\n');
  const msgLine =
    lines.find((l) => /internal error/.test(l)) ??
    lines.find((l) => JS_ERROR.test(l)) ??
    lines.find((l) => FRAME.test(l)) ??
    lines.find((l) => l.trim() !== '') ??
    '';
  // the place: the first frame in our sources; for a stack overflow, the file most of the frames are in
  const frames = lines.filter((l) => /^ {4}at /.test(l)).map((l) => l.replace(/^ {4}at /, '').replace(/\(.*?\/(src|bench)\//, '($1/'));
  const ours = frames.filter((f) => /\((src|bench)\//.test(f));
  let where = (ours[0] ?? frames[0] ?? '').replace(/:\d+(:\d+)?\)?$/, '');
  if (where.includes('(') && !where.endsWith(')')) where += ')';
  if (/Maximum call stack size exceeded/.test(msgLine) && ours.length) {
    const files = new Map<string, number>();
    for (const f of ours) {
      const file = /\(((?:src|bench)\/[^:)]+)/.exec(f)?.[1] ?? '';
      files.set(file, (files.get(file) ?? 0) + 1);
    }
    where = `recursion in ${[...files].sort((x, y) => y[1] - x[1])[0]?.[0]}`;
  }
  const msg = msgLine
    .replace(/Invalid regular expression: \/.*\/[a-z]*: /, 'Invalid regular expression: /…/: ')
    .replace(/\d+/g, 'N')
    .slice(0, 160);
  return `${outcome}: ${msg}${where ? ` @ ${where}` : ''}`;
}
