// The pcap-filter(7) language: libpcap's scanner (scanner.l) and grammar
// (grammar.y), parsed into a tree that gencode.ts turns into blocks. "and" and
// "or" share one precedence and associate left; a bare id after and/or takes
// the qualifiers of what precedes it, as grammar.y's $<blk>0 does.

import { parseIpv6 } from '../../wire/ipv6.ts';
import { type Rec, run } from './trampoline.ts';

export { parseIpv6 };

export class FilterError extends Error {}

export const syntaxError = (): FilterError => new FilterError("can't parse filter expression: syntax error");

// Qualifiers (gencode.h).
export const Q = {
  DEFAULT: 0,
  // addr
  HOST: 1,
  NET: 2,
  PORT: 3,
  GATEWAY: 4,
  PROTO: 5,
  PROTOCHAIN: 6,
  PORTRANGE: 7,
  UNDEF: 255,
  // proto
  LINK: 1,
  IP: 2,
  ARP: 3,
  RARP: 4,
  SCTP: 5,
  TCP: 6,
  UDP: 7,
  ICMP: 8,
  IGMP: 9,
  IGRP: 10,
  ATALK: 11,
  DECNET: 12,
  LAT: 13,
  SCA: 14,
  MOPRC: 15,
  MOPDL: 16,
  IPV6: 17,
  ICMPV6: 18,
  AH: 19,
  ESP: 20,
  PIM: 21,
  VRRP: 22,
  AARP: 23,
  ISO: 24,
  ESIS: 25,
  ISIS: 26,
  CLNP: 27,
  STP: 28,
  IPX: 29,
  NETBEUI: 30,
  CARP: 41,
  RADIO: 42,
  // dir
  SRC: 1,
  DST: 2,
  OR: 3,
  AND: 4,
} as const;

export interface Qual {
  proto: number;
  dir: number;
  addr: number;
}

export const QERR: Qual = { proto: Q.UNDEF, dir: Q.UNDEF, addr: Q.UNDEF };

type Tok =
  | { t: 'num'; v: number }
  | { t: 'hid'; s: string }
  | { t: 'hid6'; s: string }
  | { t: 'eid'; s: string }
  | { t: 'id'; s: string }
  | { t: 'kw'; s: string }
  | { t: 'op'; s: string }
  /** A token the scanner refused (bpf_set_error): the parse stops when it becomes the lookahead. */
  | { t: 'err'; msg: string }
  | { t: 'eof' };

const KEYWORDS = new Set([
  'dst',
  'src',
  'host',
  'net',
  'mask',
  'port',
  'portrange',
  'proto',
  'protochain',
  'gateway',
  'less',
  'greater',
  'byte',
  'broadcast',
  'multicast',
  'and',
  'or',
  'not',
  'len',
  'inbound',
  'outbound',
  'vlan',
  'mpls',
  'pppoed',
  'pppoes',
  'geneve',
  'link',
  'ether',
  'ppp',
  'slip',
  'fddi',
  'tr',
  'wlan',
  'arp',
  'rarp',
  'ip',
  'sctp',
  'tcp',
  'udp',
  'icmp',
  'igmp',
  'igrp',
  'pim',
  'vrrp',
  'carp',
  'radio',
  'ip6',
  'icmp6',
  'ah',
  'esp',
  'atalk',
  'aarp',
  'decnet',
  'lat',
  'sca',
  'moprc',
  'mopdl',
  'iso',
  'esis',
  'es-is',
  'isis',
  'is-is',
  'clnp',
  'stp',
  'ipx',
  'netbeui',
]);

/** Names the scanner turns into numbers. */
const NUM_WORDS: Record<string, number> = {
  icmptype: 0,
  icmpcode: 1,
  'icmp-echoreply': 0,
  'icmp-unreach': 3,
  'icmp-sourcequench': 4,
  'icmp-redirect': 5,
  'icmp-echo': 8,
  'icmp-routeradvert': 9,
  'icmp-routersolicit': 10,
  'icmp-timxceed': 11,
  'icmp-paramprob': 12,
  'icmp-tstamp': 13,
  'icmp-tstampreply': 14,
  'icmp-ireq': 15,
  'icmp-ireqreply': 16,
  'icmp-maskreq': 17,
  'icmp-maskreply': 18,
  tcpflags: 13,
  'tcp-fin': 0x01,
  'tcp-syn': 0x02,
  'tcp-rst': 0x04,
  'tcp-push': 0x08,
  'tcp-ack': 0x10,
  'tcp-urg': 0x20,
  'tcp-ece': 0x40,
  'tcp-cwr': 0x80,
  icmp6type: 0,
  icmp6code: 1,
  'icmp6-destinationunreach': 1,
  'icmp6-packettoobig': 2,
  'icmp6-timeexceeded': 3,
  'icmp6-parameterproblem': 4,
  'icmp6-echo': 128,
  'icmp6-echoreply': 129,
  'icmp6-multicastlistenerquery': 130,
  'icmp6-multicastlistenerreportv1': 131,
  'icmp6-multicastlistenerdone': 132,
  'icmp6-routersolicit': 133,
  'icmp6-routeradvert': 134,
  'icmp6-neighborsolicit': 135,
  'icmp6-neighboradvert': 136,
  'icmp6-redirect': 137,
  'icmp6-routerrenum': 138,
  'icmp6-nodeinformationquery': 139,
  'icmp6-nodeinformationresponse': 140,
  'icmp6-ineighbordiscoverysolicit': 141,
  'icmp6-ineighbordiscoveryadvert': 142,
  'icmp6-multicastlistenerreportv2': 143,
  'icmp6-homeagentdiscoveryrequest': 144,
  'icmp6-homeagentdiscoveryreply': 145,
  'icmp6-mobileprefixsolicit': 146,
  'icmp6-mobileprefixadvert': 147,
  'icmp6-certpathsolicit': 148,
  'icmp6-certpathadvert': 149,
  'icmp6-multicastrouteradvert': 151,
  'icmp6-multicastroutersolicit': 152,
  'icmp6-multicastrouterterm': 153,
};

const ALIASES: Record<string, string> = { '&&': 'and', '||': 'or', '!': 'not' };

const isIdStart = (c: string): boolean => /[A-Za-z0-9]/.test(c);

/** stou: decimal, 0x hex, 0 octal; null when it overflows 32 bits or has a bad digit. */
function stou(s: string): number | null {
  let base = 10;
  let i = 0;
  if (/^0[xX]/.test(s)) {
    base = 16;
    i = 2;
  } else if (s.length > 1 && s[0] === '0') {
    base = 8;
    i = 1;
  }
  let v = 0;
  for (; i < s.length; i++) {
    const d = parseInt(s[i] as string, base);
    if (Number.isNaN(d)) return null;
    v = v * base + d;
    if (v > 0xffffffff) throw new FilterError(`number ${s} overflows 32 bits`);
  }
  return v;
}

// ---- scanner.l's patterns for IPv6 literals
const W = '[0-9A-Fa-f]{1,4}';
const N = '(?:0[Xx][0-9A-Fa-f]+|[0-9]+)';
const B1 = '[0-9A-Fa-f]{1,2}';
const B2 = '[0-9A-Fa-f]{4}';
/** V680 … V6004: k groups with "::" after the p-th, or eight groups; some end in a dotted quad. */
const V6_RULES: RegExp[] = (() => {
  const alts: string[] = [Array(8).fill(W).join(':'), `${Array(6).fill(W).join(':')}:${N}\\.${N}\\.${N}\\.${N}`];
  const dbl = (k: number, p: number): string =>
    `${Array(p).fill(W).join(':')}::${Array(k - p)
      .fill(W)
      .join(':')}`;
  for (let k = 7; k >= 0; k--) for (let p = 0; p <= k; p++) alts.push(dbl(k, p));
  for (let k = 5; k >= 0; k--) for (let p = 0; p <= k; p++) alts.push(`${dbl(k, p)}${p < k ? ':' : ''}${N}\\.${N}\\.${N}\\.${N}`);
  return alts.map((a) => new RegExp(a, 'y'));
})();
const MAC_RULES = [
  `${B1}:${B1}:${B1}:${B1}:${B1}:${B1}`,
  `${B1}-${B1}-${B1}-${B1}-${B1}-${B1}`,
  `${B1}\\.${B1}\\.${B1}\\.${B1}\\.${B1}\\.${B1}`,
  `${B2}\\.${B2}\\.${B2}`,
  `${B2}${B2}${B2}`,
].map((a) => new RegExp(a, 'y'));
const HID_RULE = new RegExp(`${N}\\.${N}\\.${N}\\.${N}|${N}\\.${N}\\.${N}|${N}\\.${N}`, 'y');
const N_RULE = new RegExp(N, 'y');
const ID_RULE = /[A-Za-z0-9](?:[-_.A-Za-z0-9]*[.A-Za-z0-9])?/y;
const BOGUS_EID_RULE = new RegExp(`${B1}:+(?:${B1}:+)+`, 'y');

function matchLen(re: RegExp, src: string, at: number): number {
  re.lastIndex = at;
  const m = re.exec(src);
  return m ? m[0].length : 0;
}

/**
 * When the longest match at `at` is the MAC rule, the V6 rule or the
 * bogus-ethernet rule ("{B}:+({B}:+)+"), which one and how long; null when
 * another rule wins (scanner.l's order breaks ties: MAC, N, HID, V6, bogus, ID).
 */
function longestSpecial(src: string, at: number): { rule: 'mac' | 'v6' | 'bogus'; len: number } | null {
  let mac = 0;
  for (const re of MAC_RULES) mac = Math.max(mac, matchLen(re, src, at));
  let v6 = 0;
  for (const re of V6_RULES) v6 = Math.max(v6, matchLen(re, src, at));
  const bogus = matchLen(BOGUS_EID_RULE, src, at);
  if (mac === 0 && v6 === 0 && bogus === 0) return null;
  const num = Math.max(matchLen(N_RULE, src, at), matchLen(HID_RULE, src, at));
  const id = matchLen(ID_RULE, src, at);
  if (mac > 0 && mac >= num && mac >= v6 && mac >= bogus && mac >= id) return { rule: 'mac', len: mac };
  if (v6 > mac && v6 > num && v6 >= bogus && v6 >= id) return { rule: 'v6', len: v6 };
  if (bogus > mac && bogus > num && bogus > v6 && bogus >= id) return { rule: 'bogus', len: bogus };
  return null;
}

export function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['>=', '<=', '!=', '==', '<<', '>>', '&&', '||'].includes(two)) {
      const a = ALIASES[two];
      out.push(a ? { t: 'kw', s: a } : { t: 'op', s: two });
      i += 2;
      continue;
    }
    {
      // scanner.l's longest match among MAC (EID), V6 (HID6) and the
      // bogus-ethernet rule against HID, N and ID; rule order breaks ties.
      const w = longestSpecial(src, i);
      if (w) {
        const text = src.slice(i, i + w.len);
        if (w.rule === 'mac') out.push({ t: 'eid', s: text });
        else if (w.rule === 'v6') out.push(parseIpv6(text) ? { t: 'hid6', s: text } : { t: 'err', msg: `bogus IPv6 address ${text}` });
        else out.push({ t: 'err', msg: `bogus ethernet address ${text}` });
        i += w.len;
        continue;
      }
    }
    if ('+-*/%:[]!<>()&|^='.includes(c)) {
      out.push(c === '!' ? { t: 'kw', s: 'not' } : { t: 'op', s: c });
      i++;
      continue;
    }
    if (c === '\\') {
      let j = i + 1;
      while (j < n && !' !()\n\t'.includes(src[j] as string)) j++;
      if (j === i + 1) throw syntaxError();
      out.push({ t: 'id', s: src.slice(i + 1, j) });
      i = j;
      continue;
    }
    if (isIdStart(c)) {
      // Longest match over the scanner's ID pattern, then classify.
      let j = i + 1;
      while (j < n && /[-_.A-Za-z0-9:]/.test(src[j] as string)) j++;
      let word = src.slice(i, j);
      // MAC addresses and IPv6 use ':'; anything else stops at it.
      if (word.includes(':') && !/^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$/.test(word) && !/^[0-9A-Fa-f:.]+$/.test(word)) {
        word = word.slice(0, word.indexOf(':'));
      }
      if (word.includes(':') && !/^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$/.test(word)) word = word.slice(0, word.indexOf(':'));
      // ID pattern may not end with '-' or '_'.
      while (word.length > 1 && /[-_]$/.test(word)) word = word.slice(0, -1);
      i += word.length;
      if (/^[0-9A-Fa-f]{1,2}(:[0-9A-Fa-f]{1,2}){5}$/.test(word)) {
        out.push({ t: 'eid', s: word });
      } else if (/^([0-9]+|0[xX][0-9A-Fa-f]+)$/.test(word)) {
        const v = stou(word);
        if (v === null) out.push({ t: 'id', s: word });
        else out.push({ t: 'num', v });
      } else if (/^[0-9]+(\.[0-9]+){1,3}$/.test(word)) {
        out.push({ t: 'hid', s: word });
      } else if (word in NUM_WORDS) {
        out.push({ t: 'num', v: NUM_WORDS[word] as number });
      } else if (KEYWORDS.has(word)) {
        out.push({ t: 'kw', s: word === 'es-is' ? 'esis' : word === 'is-is' ? 'isis' : word });
      } else {
        out.push({ t: 'id', s: word });
      }
      continue;
    }
    throw syntaxError();
  }
  out.push({ t: 'eof' });
  return out;
}

// ---- the tree

export type Arth =
  | { t: 'num'; v: number }
  | { t: 'len' }
  | { t: 'load'; proto: number; index: Arth; size: number }
  | { t: 'bin'; op: string; a: Arth; b: Arth }
  | { t: 'neg'; a: Arth };

export type IdVal =
  | { t: 'num'; v: number }
  | { t: 'hid'; s: string }
  | { t: 'hid6'; s: string; len: number }
  | { t: 'eid'; s: string }
  | { t: 'name'; s: string }
  | { t: 'masklen'; s: string; len: number }
  | { t: 'mask'; s: string; mask: string };

export type Node =
  | { t: 'and' | 'or'; a: Node; b: Node }
  | { t: 'not'; a: Node }
  | { t: 'abbrev'; proto: number }
  | { t: 'id'; q: Qual; v: IdVal }
  | { t: 'rel'; op: string; a: Arth; b: Arth }
  | { t: 'less' | 'greater'; n: number }
  | { t: 'broadcast' | 'multicast'; proto: number }
  | { t: 'vlan'; n: number | null }
  | { t: 'mpls' | 'pppoes'; n: number | null }
  | { t: 'pppoed' }
  | { t: 'byte'; idx: number; op: string; v: number }
  | { t: 'gateway'; s: string }
  | { t: 'inbound' | 'outbound' };

const PNAMES: Record<string, number> = {
  link: Q.LINK,
  ether: Q.LINK,
  ppp: Q.LINK,
  slip: Q.LINK,
  fddi: Q.LINK,
  tr: Q.LINK,
  wlan: Q.LINK,
  ip: Q.IP,
  arp: Q.ARP,
  rarp: Q.RARP,
  sctp: Q.SCTP,
  tcp: Q.TCP,
  udp: Q.UDP,
  icmp: Q.ICMP,
  igmp: Q.IGMP,
  igrp: Q.IGRP,
  pim: Q.PIM,
  vrrp: Q.VRRP,
  carp: Q.CARP,
  radio: Q.RADIO,
  ip6: Q.IPV6,
  icmp6: Q.ICMPV6,
  ah: Q.AH,
  esp: Q.ESP,
  atalk: Q.ATALK,
  aarp: Q.AARP,
  decnet: Q.DECNET,
  lat: Q.LAT,
  sca: Q.SCA,
  moprc: Q.MOPRC,
  mopdl: Q.MOPDL,
  iso: Q.ISO,
  esis: Q.ESIS,
  isis: Q.ISIS,
  clnp: Q.CLNP,
  stp: Q.STP,
  ipx: Q.IPX,
  netbeui: Q.NETBEUI,
};

const AQUAL: Record<string, number> = { host: Q.HOST, net: Q.NET, port: Q.PORT, portrange: Q.PORTRANGE, gateway: Q.GATEWAY };

interface QNode {
  node: Node;
  q: Qual;
}

/** YYMAXDEPTH as the parser stack of libpcap's grammar meets it. */
const MAX_DEPTH = 9996;

class Parser {
  private i = 0;
  /** Open parentheses and "not"s around the token being parsed. */
  private depth = 0;
  private readonly arthMemo = new Map<number, { v: Arth; end: number } | { err: unknown }>();
  private readonly pnumMemo = new Map<number, { v: number | null; end: number } | { err: unknown }>();
  /** The furthest token looked at: where a failed parse stopped, as bison's lookahead. */
  seen = 0;
  /** Primitives in the order the parser completed them, with the token that followed each. */
  readonly reduced: { node: Node; end: number }[] = [];
  constructor(private readonly toks: Tok[]) {}

  private reduce(r: QNode): QNode {
    const t = r.node.t;
    if (t !== 'and' && t !== 'or' && t !== 'not') this.reduced.push({ node: r.node, end: this.i });
    return r;
  }

  private peek(o = 0): Tok {
    if (this.i + o > this.seen) this.seen = this.i + o;
    const t = this.toks[Math.min(this.i + o, this.toks.length - 1)] as Tok;
    if (t.t === 'err') throw new FilterError(t.msg);
    return t;
  }
  private isKw(s: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === 'kw' && t.s === s;
  }
  private isOp(s: string, o = 0): boolean {
    const t = this.peek(o);
    return t.t === 'op' && t.s === s;
  }
  private expectOp(s: string): void {
    if (!this.isOp(s)) throw syntaxError();
    this.i++;
  }

  parseProg(): Node | null {
    if (this.peek().t === 'eof') return null;
    const r = run(this.expr(QERR));
    if (this.peek().t !== 'eof') throw syntaxError();
    return r.node;
  }

  /** Runs `g`; on a syntax error, back to where it started and null. */
  private *attempt<T>(g: Rec<T>): Rec<T | null> {
    const save = this.i;
    try {
      return (yield g) as T;
    } catch (e) {
      if (!(e instanceof FilterError) || e.message !== syntaxError().message) throw e;
      this.i = save;
      return null;
    }
  }

  /**
   * Bison's parser stack holds YYMAXDEPTH (10,000) states: each open
   * parenthesis or "not" keeps one until its operand is reduced.
   */
  private *nest<T>(extra: number, g: Rec<T>): Rec<T> {
    if (++this.depth + extra > MAX_DEPTH) {
      this.depth--;
      throw new FilterError("can't parse filter expression: memory exhausted");
    }
    try {
      return (yield g) as T;
    } finally {
      this.depth--;
    }
  }

  /** The same arithmetic parsed at the same token, as often as backtracking asks: parsed once. */
  private *arthAt(): Rec<Arth> {
    const at = this.i;
    const m = this.arthMemo.get(at);
    if (m) {
      if ('err' in m) throw m.err;
      this.i = m.end;
      return m.v;
    }
    try {
      const v = (yield this.binLevel(0)) as Arth;
      this.arthMemo.set(at, { v, end: this.i });
      return v;
    } catch (e) {
      this.arthMemo.set(at, { err: e });
      throw e;
    }
  }

  private *expr(q0: Qual): Rec<QNode> {
    let left = (yield this.term(q0)) as QNode;
    for (;;) {
      const op = this.isKw('and') ? 'and' : this.isKw('or') ? 'or' : null;
      if (!op) return left;
      this.i++;
      const lq = left.q;
      const save = this.i;
      let right = (yield this.attempt(this.wholeTerm(lq))) as QNode | null;
      if (!right) {
        this.i = save;
        right = this.reduce((yield this.id(lq)) as QNode);
      }
      left = { node: { t: op, a: left.node, b: right.node }, q: right.q };
    }
  }

  /** A term that ends where an expression may continue. */
  private *wholeTerm(q0: Qual): Rec<QNode> {
    const r = (yield this.term(q0)) as QNode;
    const nx = this.peek();
    if (!(nx.t === 'eof' || (nx.t === 'kw' && (nx.s === 'and' || nx.s === 'or')) || (nx.t === 'op' && nx.s === ')'))) throw syntaxError();
    return r;
  }

  private *term(q0: Qual): Rec<QNode> {
    if (this.isKw('not')) {
      this.i++;
      const r = (yield this.nest(0, this.term(q0))) as QNode;
      return { node: { t: 'not', a: r.node }, q: r.q };
    }
    return (yield this.rterm(q0)) as QNode;
  }

  private *relation(): Rec<Node> {
    const a = (yield this.arth()) as Arth;
    const t = this.peek();
    if (t.t !== 'op' || !['>', '>=', '=', '==', '<=', '<', '!='].includes(t.s)) throw syntaxError();
    this.i++;
    const b = (yield this.arth()) as Arth;
    return { t: 'rel', op: t.s, a, b };
  }

  private *rterm(q0: Qual): Rec<QNode> {
    return this.reduce((yield this.rterm1(q0)) as QNode);
  }

  private *rterm1(q0: Qual): Rec<QNode> {
    const t = this.peek();
    if (t.t === 'op' && t.s === '(') {
      const rel = (yield this.attempt(this.relation())) as Node | null;
      if (rel) return { node: rel, q: QERR };
      this.i++;
      const e = (yield this.nest(1, this.expr(q0))) as QNode;
      this.expectOp(')');
      return { node: e.node, q: q0 };
    }
    if (t.t === 'num' || (t.t === 'kw' && t.s === 'len') || (t.t === 'op' && t.s === '-')) {
      return { node: (yield this.relation()) as Node, q: QERR };
    }
    if (t.t !== 'kw') throw syntaxError();
    const w = t.s;
    if (w in PNAMES) {
      const proto = PNAMES[w] as number;
      const nx = this.peek(1);
      if (nx.t === 'op' && nx.s === '[') return { node: (yield this.relation()) as Node, q: QERR };
      if (nx.t === 'kw' && (nx.s === 'broadcast' || nx.s === 'multicast')) {
        this.i += 2;
        return { node: { t: nx.s, proto }, q: QERR };
      }
      if (nx.t === 'kw' && (nx.s === 'src' || nx.s === 'dst' || nx.s in AQUAL || nx.s === 'proto' || nx.s === 'protochain')) {
        this.i++;
        return (yield this.headId(proto)) as QNode;
      }
      this.i++;
      return { node: { t: 'abbrev', proto }, q: QERR };
    }
    if (w === 'src' || w === 'dst' || w in AQUAL || w === 'proto' || w === 'protochain') return (yield this.headId(Q.DEFAULT)) as QNode;
    switch (w) {
      case 'broadcast':
      case 'multicast':
        this.i++;
        return { node: { t: w, proto: Q.DEFAULT }, q: QERR };
      case 'less':
      case 'greater': {
        this.i++;
        const n = this.peek();
        if (n.t !== 'num') throw syntaxError();
        this.i++;
        return { node: { t: w, n: n.v }, q: QERR };
      }
      case 'inbound':
      case 'outbound':
        this.i++;
        return { node: { t: w }, q: QERR };
      case 'vlan':
      case 'mpls':
      case 'pppoes': {
        this.i++;
        const n = (yield this.pnumOpt()) as number | null;
        return { node: { t: w, n }, q: QERR };
      }
      case 'pppoed':
        this.i++;
        return { node: { t: 'pppoed' }, q: QERR };
      case 'byte': {
        this.i++;
        const idx = this.peek();
        const op = this.peek(1);
        const v = this.peek(2);
        if (idx.t !== 'num' || op.t !== 'op' || !['&', '|', '<', '>', '='].includes(op.s) || v.t !== 'num') throw syntaxError();
        this.i += 3;
        return { node: { t: 'byte', idx: idx.v, op: op.s, v: v.v }, q: QERR };
      }
    }
    throw syntaxError();
  }

  private *pnumOpt(): Rec<number | null> {
    const t = this.peek();
    if (t.t === 'num') {
      this.i++;
      return t.v;
    }
    if (t.t === 'op' && t.s === '(') return (yield this.attempt(this.pnumParen())) as number | null;
    return null;
  }

  /** '(' pnum ')', parsed once per token where backtracking asks for it. */
  private *pnumParen(): Rec<number> {
    const at = this.i;
    const m = this.pnumMemo.get(at);
    if (m) {
      if ('err' in m) throw m.err;
      this.i = m.end;
      return m.v as number;
    }
    try {
      this.i++;
      const v = (yield this.nest(1, this.pnumOpt())) as number | null;
      if (v === null) throw syntaxError();
      this.expectOp(')');
      this.pnumMemo.set(at, { v, end: this.i });
      return v;
    } catch (e) {
      this.pnumMemo.set(at, { err: e });
      throw e;
    }
  }

  private *headId(proto: number): Rec<QNode> {
    let dir: number = Q.DEFAULT;
    let addr: number = Q.DEFAULT;
    if (this.isKw('src') || this.isKw('dst')) {
      const a = (this.peek() as { s: string }).s;
      this.i++;
      dir = a === 'src' ? Q.SRC : Q.DST;
      if ((this.isKw('or') || this.isKw('and')) && this.isKw(a === 'src' ? 'dst' : 'src', 1)) {
        dir = this.isKw('or') ? Q.OR : Q.AND;
        this.i += 2;
      }
    }
    const t = this.peek();
    if (t.t === 'kw' && t.s in AQUAL) {
      addr = AQUAL[t.s] as number;
      this.i++;
    } else if (t.t === 'kw' && (t.s === 'proto' || t.s === 'protochain') && dir === Q.DEFAULT) {
      addr = t.s === 'proto' ? Q.PROTO : Q.PROTOCHAIN;
      this.i++;
    } else if (t.t === 'kw' && (t.s === 'broadcast' || t.s === 'multicast')) {
      throw syntaxError();
    }
    const q: Qual = { proto, dir, addr };
    return (yield this.id(q)) as QNode;
  }

  /** id: nid | pnum | '(' pid ')' | not id, all with qualifiers q. */
  private *id(q: Qual): Rec<QNode> {
    const t = this.peek();
    if (t.t === 'kw' && t.s === 'not') {
      this.i++;
      const r = (yield this.nest(0, this.id(q))) as QNode;
      return { node: { t: 'not', a: r.node }, q: r.q };
    }
    if (t.t === 'op' && t.s === '(') {
      const n = (yield this.attempt(this.pnumParen())) as number | null;
      if (n !== null) return { node: { t: 'id', q, v: { t: 'num', v: n } }, q };
      this.i++;
      return (yield this.nest(1, this.idList(q))) as QNode;
    }
    this.i++;
    switch (t.t) {
      case 'num':
        return { node: { t: 'id', q, v: { t: 'num', v: t.v } }, q };
      case 'hid': {
        if (this.isOp('/')) {
          this.i++;
          const n = this.peek();
          if (n.t !== 'num') throw syntaxError();
          this.i++;
          return { node: { t: 'id', q, v: { t: 'masklen', s: t.s, len: n.v } }, q };
        }
        if (this.isKw('mask')) {
          this.i++;
          const m = this.peek();
          if (m.t !== 'hid') throw syntaxError();
          this.i++;
          return { node: { t: 'id', q, v: { t: 'mask', s: t.s, mask: m.s } }, q };
        }
        if (q.addr === Q.PORT) throw new FilterError("'port' modifier applied to ip host");
        if (q.addr === Q.PORTRANGE) throw new FilterError("'portrange' modifier applied to ip host");
        if (q.addr === Q.PROTO) throw new FilterError("'proto' modifier applied to ip host");
        if (q.addr === Q.PROTOCHAIN) throw new FilterError("'protochain' modifier applied to ip host");
        return { node: { t: 'id', q, v: { t: 'hid', s: t.s } }, q };
      }
      case 'hid6': {
        let len = 128;
        if (this.isOp('/')) {
          this.i++;
          const n = this.peek();
          if (n.t !== 'num') throw syntaxError();
          this.i++;
          len = n.v;
        }
        return { node: { t: 'id', q, v: { t: 'hid6', s: t.s, len } }, q };
      }
      case 'eid':
        return { node: { t: 'id', q, v: { t: 'eid', s: t.s } }, q };
      case 'id':
        return { node: { t: 'id', q, v: { t: 'name', s: t.s } }, q };
    }
    throw syntaxError();
  }

  /** pid: ids joined by and/or, then ')'. */
  private *idList(q: Qual): Rec<QNode> {
    let left = (yield this.id(q)) as QNode;
    while (this.isKw('and') || this.isKw('or')) {
      const op = this.isKw('and') ? 'and' : 'or';
      this.i++;
      const r = (yield this.id(q)) as QNode;
      left = { node: { t: op, a: left.node, b: r.node }, q };
    }
    this.expectOp(')');
    return { node: left.node, q };
  }

  // ---- arithmetic, by precedence: | then & then << >> then + - then * / % then unary
  private *arth(): Rec<Arth> {
    return (yield this.arthAt()) as Arth;
  }

  private static readonly LEVELS: readonly (readonly string[])[] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

  private *binLevel(l: number): Rec<Arth> {
    if (l >= Parser.LEVELS.length) return (yield this.unary()) as Arth;
    const ops = Parser.LEVELS[l] as readonly string[];
    let a = (yield this.binLevel(l + 1)) as Arth;
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !ops.includes(t.s)) return a;
      this.i++;
      const b = (yield this.binLevel(l + 1)) as Arth;
      a = { t: 'bin', op: t.s, a, b };
    }
  }

  private *unary(): Rec<Arth> {
    const t = this.peek();
    if (t.t === 'op' && t.s === '-') {
      this.i++;
      return { t: 'neg', a: (yield this.nest(0, this.unary())) as Arth };
    }
    if (t.t === 'op' && t.s === '(') {
      this.i++;
      const a = (yield this.nest(1, this.arth())) as Arth;
      this.expectOp(')');
      return a;
    }
    if (t.t === 'num') {
      this.i++;
      return { t: 'num', v: t.v };
    }
    if (t.t === 'kw' && t.s === 'len') {
      this.i++;
      return { t: 'len' };
    }
    if (t.t === 'kw' && t.s in PNAMES && this.isOp('[', 1)) {
      this.i += 2;
      const index = (yield this.arth()) as Arth;
      let size = 1;
      if (this.isOp(':')) {
        this.i++;
        const n = this.peek();
        if (n.t !== 'num') throw syntaxError();
        this.i++;
        size = n.v;
      }
      this.expectOp(']');
      return { t: 'load', proto: PNAMES[t.s] as number, index, size };
    }
    throw syntaxError();
  }
}

/** Parses a filter expression; null for the empty expression (accept all). */
/**
 * libpcap generates code as bison reduces, so a primitive that was complete
 * before the token a syntax error stops at reports its own error first:
 * `check` sees those primitives in order (it throws what gencode would).
 */
export function parseFilter(src: string, check?: (node: Node) => void): Node | null {
  const p = new Parser(lex(src));
  try {
    return p.parseProg();
  } catch (e) {
    if (check && e instanceof FilterError && e.message === syntaxError().message)
      for (const r of p.reduced) if (r.end < p.seen) check(r.node);
    throw e;
  }
}
