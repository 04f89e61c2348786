// nft's grammar (nftables 1.0.6 src/parser_bison.y) as a recursive-descent
// parser over scanner.ts's tokens: commands, the table/chain/set blocks of a
// ruleset file, `define`/`include`, and the rule language. Syntax errors are
// bison's messages ("syntax error, unexpected X, expecting Y") at the token
// bison stops at; after an error the parser skips to the end of the line, as
// the grammar's `error` rule does, and goes on (at most 10 errors).
import type { ChainDecl, Cmd, CmdObj, CmdOp, Expr, ObjDecl, RelOp, Rule, SetDecl, Spec, Stmt, TableDecl } from './ast.ts';
import { type Loc, type Token, tokenName, tokenize } from './scanner.ts';

export class NftError {
  constructor(
    readonly msg: string,
    readonly locs: Loc[],
    /** 'Error' (erec type) */
    readonly kind = 'Error',
  ) {}
}

/** A parse that hit a syntax error: the error is recorded, the parser skips on. */
class SyntaxErr extends Error {
  constructor(
    readonly err: NftError,
    /** bison's "memory exhausted": the parse stops there */
    readonly fatal = false,
  ) {
    super(err.msg);
  }
}

/** How deep sets may nest before bison's stack (YYMAXDEPTH 10000) runs out, as measured with nft 1.0.6. */
const MAX_SET_DEPTH = 4993;

export const FAMILIES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];

/** The payload protocols and their field names (proto.c), for the parser to know a field when it sees one. */
export const PROTO_FIELDS: Record<string, string[]> = {
  ether: ['daddr', 'saddr', 'type'],
  ip: ['version', 'hdrlength', 'dscp', 'ecn', 'length', 'id', 'frag-off', 'ttl', 'protocol', 'checksum', 'saddr', 'daddr'],
  ip6: ['version', 'dscp', 'ecn', 'flowlabel', 'length', 'nexthdr', 'hoplimit', 'saddr', 'daddr'],
  tcp: ['sport', 'dport', 'sequence', 'ackseq', 'doff', 'reserved', 'flags', 'window', 'checksum', 'urgptr'],
  udp: ['sport', 'dport', 'length', 'checksum'],
  udplite: ['sport', 'dport', 'csumcov', 'checksum'],
  th: ['sport', 'dport'],
  icmp: ['type', 'code', 'checksum', 'id', 'sequence', 'gateway', 'mtu'],
  icmpv6: ['type', 'code', 'checksum', 'parameter-problem', 'packet-too-big', 'id', 'sequence', 'max-delay'],
  arp: ['htype', 'ptype', 'hlen', 'plen', 'operation', 'saddr', 'daddr'],
  vlan: ['id', 'dei', 'pcp', 'type'],
};

export const META_KEYS = [
  'length',
  'protocol',
  'priority',
  'mark',
  'iif',
  'oif',
  'iifname',
  'oifname',
  'iiftype',
  'oiftype',
  'skuid',
  'skgid',
  'nftrace',
  'rtclassid',
  'secmark',
  'nfproto',
  'l4proto',
  'ibrname',
  'obrname',
  'pkttype',
  'cpu',
  'iifgroup',
  'oifgroup',
  'cgroup',
  'random',
  'ipsec',
  'iifkind',
  'oifkind',
  'ibrpvid',
  'ibrvproto',
  'time',
  'day',
  'hour',
  'sdif',
  'sdifname',
];
/** The meta keys that stand without `meta` (meta_key_unqualified). */
const META_SHORT = new Set([
  'mark',
  'iif',
  'iifname',
  'iiftype',
  'oif',
  'oifname',
  'oiftype',
  'skuid',
  'skgid',
  'nftrace',
  'rtclassid',
  'ibriport',
  'obriport',
  'ibrname',
  'obrname',
  'pkttype',
  'cpu',
  'iifgroup',
  'oifgroup',
  'cgroup',
]);

export const CT_KEYS = [
  'state',
  'direction',
  'status',
  'mark',
  'expiration',
  'helper',
  'l3proto',
  'saddr',
  'daddr',
  'protocol',
  'proto-src',
  'proto-dst',
  'label',
  'zone',
  'packets',
  'bytes',
  'avgpkt',
  'event',
  'secmark',
  'id',
];

const VERDICTS = new Set(['accept', 'drop', 'continue', 'return', 'jump', 'goto', 'queue']);

/** Where rule statements end. */
const isSep = (t: Token) => t.kind === 'nl' || t.kind === 'eof' || (t.kind === 'punct' && (t.text === ';' || t.text === '}'));

export interface ParseResult {
  cmds: Cmd[];
  errors: NftError[];
}

export interface ParseOpts {
  /** include "file": the file's text, or null when it cannot be read. */
  include(path: string): string | null;
  /** Variables from -D name=value. */
  defines?: Map<string, Expr>;
}

interface Scope {
  vars: Map<string, Expr>;
}

const MAX_ERRORS = 10;

export class Parser {
  private toks: Token[] = [];
  private p = 0;
  readonly errors: NftError[] = [];
  readonly cmds: Cmd[] = [];
  private scope: Scope;
  private depth = 0;
  /** the parse stopped (memory exhausted): nothing is evaluated */
  fatal = false;

  constructor(
    private readonly opts: ParseOpts,
    private readonly cli: boolean,
  ) {
    this.scope = { vars: new Map(opts.defines ?? []) };
  }

  // ---------------------------------------------------------------- tokens

  private get t(): Token {
    return this.toks[this.p] as Token;
  }
  private peek(n = 1): Token {
    return this.toks[Math.min(this.p + n, this.toks.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.toks[this.p] as Token;
    if (this.p < this.toks.length - 1) this.p++;
    return t;
  }
  private atNl(): boolean {
    return this.t.kind === 'nl';
  }
  private isWord(w: string, t = this.t): boolean {
    return t.kind === 'word' && t.text === w;
  }
  private isPunct(s: string, t = this.t): boolean {
    return t.kind === 'punct' && t.text === s;
  }
  private accept(w: string): Token | null {
    if ((this.t.kind === 'word' || this.t.kind === 'punct') && this.t.text === w) return this.next();
    return null;
  }

  private err(t: Token, expecting?: string[]): never {
    let msg = `syntax error, unexpected ${tokenName(t)}`;
    if (expecting?.length) msg += `, expecting ${expecting.join(' or ')}`;
    throw new SyntaxErr(new NftError(msg, [this.tokLoc(t)]));
  }

  /** erec prints the end of file at the last line that has text. */
  private tokLoc(t: Token): Loc {
    if (t.kind === 'eof' && !this.cli) {
      const l = t.loc;
      const text = (l.lines[l.line - 1] === '' && l.line > 1 ? l.lines[l.line - 2] : l.lines[l.line - 1]) ?? '';
      return { ...l, first: 1, last: 1, lines: [...l.lines.slice(0, l.line - 1), text] };
    }
    if (t.kind === 'eof' && this.cli) return { ...t.loc, first: 1, last: 1 };
    return t.loc;
  }

  private expectPunct(s: string, expecting?: string[]): Token {
    if (!this.isPunct(s)) this.err(this.t, expecting ?? [tokenNameOf(s)]);
    return this.next();
  }

  private expectWord(w: string, expecting?: string[]): Token {
    if (!this.isWord(w)) this.err(this.t, expecting ?? [w]);
    return this.next();
  }

  /** An identifier (table, chain, set name): a string, a quoted string, or a word nft takes as a string there. */
  private identifier(expecting = ['string']): Token {
    const t = this.t;
    if (t.kind === 'str' || t.kind === 'qstr' || (t.kind === 'word' && !KEYWORD_NOT_ID.has(t.text))) return this.next();
    if (t.kind === 'word' && t.text === 'last') return this.next();
    this.err(t, expecting);
  }

  private span(a: Loc, b: Loc): Loc {
    if (a.line !== b.line) return { ...a, last: a.lines[a.line - 1]?.length ?? a.last };
    return { ...a, last: Math.max(b.last, a.last) };
  }

  private prevLoc(): Loc {
    return (this.toks[Math.max(0, this.p - 1)] as Token).loc;
  }

  // ---------------------------------------------------------------- input

  parse(text: string, file: string): void {
    const saved = [this.toks, this.p] as const;
    this.toks = tokenize(text, file);
    this.p = 0;
    while (this.t.kind !== 'eof') {
      if (this.errors.length >= MAX_ERRORS) break;
      try {
        this.line();
      } catch (e) {
        if (!(e instanceof SyntaxErr)) throw e;
        this.errors.push(e.err);
        if (e.fatal) {
          this.fatal = true;
          break;
        }
        this.recover();
      }
    }
    [this.toks, this.p] = saved;
  }

  /** The grammar's `error` rule: skip to the end of the line (or statement), then go on. */
  private recover(): void {
    while (this.t.kind !== 'eof' && this.t.kind !== 'nl' && !this.isPunct(';')) this.next();
    if (this.t.kind !== 'eof') this.next();
  }

  private line(): void {
    const t = this.t;
    if (t.kind === 'nl' || this.isPunct(';')) {
      this.next();
      return;
    }
    if (this.isWord('include')) return this.include();
    if (this.isWord('define') || this.isWord('redefine')) return this.define();
    if (this.isWord('undefine')) {
      this.next();
      const n = this.identifier();
      this.scope.vars.delete(n.text);
      return this.endOfLine();
    }
    if (this.isWord('table') || FAMILIES.includes(t.text)) {
      // a block at the top level: `table inet f { ... }` (as `add table`)
      if (this.isWord('table')) {
        this.cmds.push(this.tableBlock('add'));
        return this.endOfLine();
      }
    }
    const cmd = this.command();
    if (cmd) this.cmds.push(cmd);
    this.endOfLine();
  }

  private endOfLine(): void {
    if (this.t.kind === 'eof') return;
    if (this.t.kind === 'nl' || this.isPunct(';')) {
      this.next();
      return;
    }
    this.err(this.t, ['newline', 'semicolon']);
  }

  private include(): void {
    const kw = this.next();
    const f = this.t;
    if (f.kind !== 'qstr') this.err(f, ['quoted string']);
    this.next();
    // the rule's location takes in the separator after it
    const loc = this.span(kw.loc, this.t.kind === 'nl' ? { ...f.loc, last: f.loc.last + 1 } : f.loc);
    const text = this.opts.include(f.text);
    if (text === null) throw new SyntaxErr(new NftError(`File not found: ${f.text}`, [loc]));
    if (this.depth > 16) throw new SyntaxErr(new NftError('Include nested too deeply, max 16 levels', [loc]));
    this.depth++;
    this.parse(text, f.text);
    this.depth--;
    this.endOfLine();
  }

  private define(): void {
    this.next();
    const n = this.identifier();
    this.expectPunct('=', ["'='"]);
    const e = this.rhsExpr();
    this.scope.vars.set(n.text, e);
    this.endOfLine();
  }

  // ---------------------------------------------------------------- commands

  private command(): Cmd | null {
    const t = this.t;
    const start = t.loc;
    const opWords: Record<string, CmdOp> = {
      add: 'add',
      create: 'create',
      insert: 'insert',
      replace: 'replace',
      delete: 'delete',
      flush: 'flush',
      reset: 'reset',
      list: 'list',
      rename: 'rename',
    };
    if (t.kind !== 'word' || !(t.text in opWords)) {
      if (
        t.kind === 'word' &&
        (t.text === 'describe' || t.text === 'monitor' || t.text === 'get' || t.text === 'export' || t.text === 'import')
      )
        this.err(this.peek(), undefined);
      if ((t.kind === 'word' && !isKeyword(t)) || t.kind === 'str' || t.kind === 'qstr') {
        // a rule without `add rule` (table chain statements)
        const n = this.peek();
        if (!((n.kind === 'word' && !isKeyword(n)) || n.kind === 'str' || n.kind === 'qstr')) {
          this.next();
          this.err(n, ['string']);
        }
        return this.ruleCmd('add', start);
      }
      this.err(t);
    }
    const op = opWords[this.next().text] as CmdOp;
    switch (op) {
      case 'add':
      case 'create':
        return this.addCmd(op, start);
      case 'insert':
      case 'replace':
        this.expectWord('rule', ['rule']);
        return this.ruleCmd(op, start);
      case 'delete':
      case 'destroy':
        return this.deleteCmd(op, start);
      case 'list':
        return this.listCmd(start);
      case 'flush':
        return this.flushCmd(start);
      case 'reset':
        return this.resetCmd(start);
      case 'rename':
        return this.renameCmd(start);
    }
    return null;
  }

  private family(spec: Spec): void {
    if (this.t.kind === 'word' && FAMILIES.includes(this.t.text)) {
      // a family word followed by an identifier is the family; alone it is the name (`add table ip`)
      const n = this.peek();
      if (n.kind === 'str' || n.kind === 'qstr' || (n.kind === 'word' && !KEYWORD_NOT_ID.has(n.text))) {
        spec.familyLoc = this.t.loc;
        spec.family = this.next().text;
      }
    }
  }

  private tableSpec(spec: Spec): void {
    this.family(spec);
    const n = this.identifier();
    spec.table = n.text;
    spec.tableLoc = n.loc;
  }

  private chainSpec(spec: Spec): void {
    this.tableSpec(spec);
    const n = this.identifier();
    spec.name = n.text;
    spec.nameLoc = n.loc;
  }

  private newSpec(): Spec {
    return { family: 'ip' };
  }

  private addCmd(op: CmdOp, start: Loc): Cmd {
    const spec = this.newSpec();
    const t = this.t;
    if (t.kind !== 'word' || !['table', 'chain', 'rule', 'set', 'map', 'element', 'counter', 'quota', 'limit'].includes(t.text)) {
      // `add inet f c rule` is `add rule`
      if (t.kind === 'str' || (t.kind === 'word' && !KEYWORD_NOT_ID.has(t.text)) || FAMILIES.includes(t.text)) {
        if (op === 'add') return this.ruleCmd('add', start);
      }
      this.err(t, t.kind === 'nl' || t.kind === 'eof' ? ['string'] : undefined);
    }
    const obj = this.next().text as CmdObj;
    switch (obj) {
      case 'table': {
        if (this.t.kind === 'word' && FAMILIES.includes(this.t.text)) {
          const n = this.peek();
          if (n.kind === 'str' || n.kind === 'qstr' || (n.kind === 'word' && !KEYWORD_NOT_ID.has(n.text))) {
            spec.familyLoc = this.t.loc;
            spec.family = this.next().text;
          }
        }
        const n = this.identifier();
        spec.table = n.text;
        spec.tableLoc = n.loc;
        const table: TableDecl = this.emptyTable(spec, n.loc);
        if (this.isPunct('{')) this.tableBody(table);
        return { op, obj, spec, loc: this.span(start, this.prevLoc()), table };
      }
      case 'chain': {
        this.chainSpec(spec);
        const chain: ChainDecl = { name: spec.name ?? '', loc: spec.nameLoc as Loc, rules: [] };
        if (this.isPunct('{')) this.chainBody(chain);
        return { op, obj, spec, loc: this.span(start, this.prevLoc()), chain };
      }
      case 'rule':
        return this.ruleCmd(op, start);
      case 'set':
      case 'map': {
        this.chainSpec(spec);
        const set: SetDecl = { name: spec.name ?? '', map: obj === 'map', loc: spec.nameLoc as Loc, flags: [] };
        this.setBody(set);
        return { op, obj, spec, loc: this.span(start, this.prevLoc()), set };
      }
      case 'element': {
        this.chainSpec(spec);
        const elements = this.setExpr(true);
        return { op, obj, spec, loc: this.span(start, this.prevLoc()), elements };
      }
      case 'counter':
      case 'quota':
      case 'limit': {
        this.chainSpec(spec);
        const o = this.objBody(obj, spec.name ?? '', spec.nameLoc as Loc, this.isPunct('{'));
        return { op, obj, spec, loc: this.span(start, this.prevLoc()), obj_: o };
      }
    }
    this.err(t);
  }

  private ruleCmd(op: CmdOp, start: Loc): Cmd {
    const spec = this.newSpec();
    this.chainSpec(spec);
    // position N | handle N | index N
    for (const w of ['position', 'handle', 'index']) {
      if (this.isWord(w)) {
        this.next();
        const n = this.t;
        if (n.kind !== 'num') this.err(n, ['number']);
        this.next();
        if (w === 'position') {
          spec.position = Number(n.text);
          spec.positionLoc = n.loc;
        } else if (w === 'handle') {
          spec.handle = Number(n.text);
          spec.handleLoc = n.loc;
        } else {
          spec.index = Number(n.text);
          spec.indexLoc = n.loc;
        }
        break;
      }
    }
    const rule = this.rule();
    return { op, obj: 'rule', spec, loc: this.span(start, this.prevLoc()), rule };
  }

  private deleteCmd(op: CmdOp, start: Loc): Cmd {
    const spec = this.newSpec();
    const t = this.t;
    const objs = ['table', 'chain', 'rule', 'set', 'map', 'element', 'counter', 'quota', 'limit'];
    if (t.kind !== 'word' || !objs.includes(t.text)) this.err(t);
    const obj = this.next().text as CmdObj;
    const handle = () => {
      this.expectWord('handle');
      const n = this.t;
      if (n.kind !== 'num') this.err(n, ['number']);
      this.next();
      spec.handle = Number(n.text);
      spec.handleLoc = n.loc;
    };
    switch (obj) {
      case 'table':
        this.family(spec);
        if (this.isWord('handle')) handle();
        else {
          const n = this.identifier();
          spec.table = n.text;
          spec.tableLoc = n.loc;
        }
        break;
      case 'rule':
        this.chainSpec(spec);
        handle();
        break;
      case 'element': {
        this.chainSpec(spec);
        const elements = this.setExpr(true);
        return { op, obj, spec, loc: this.span(start, this.prevLoc()), elements };
      }
      default:
        this.tableSpec(spec);
        if (this.isWord('handle')) handle();
        else {
          const n = this.identifier();
          spec.name = n.text;
          spec.nameLoc = n.loc;
        }
    }
    return { op, obj, spec, loc: this.span(start, this.prevLoc()) };
  }

  private listCmd(start: Loc): Cmd {
    const spec = this.newSpec();
    const t = this.t;
    const objs = [
      'ruleset',
      'tables',
      'table',
      'chain',
      'chains',
      'set',
      'sets',
      'map',
      'maps',
      'counter',
      'counters',
      'quota',
      'quotas',
      'limit',
      'limits',
    ];
    if (t.kind !== 'word' || !objs.includes(t.text)) this.err(t);
    const obj = this.next().text as CmdObj;
    switch (obj) {
      case 'ruleset':
      case 'tables':
      case 'chains':
      case 'sets':
      case 'maps':
      case 'counters':
      case 'quotas':
      case 'limits': {
        if (this.t.kind === 'word' && FAMILIES.includes(this.t.text)) {
          spec.familyLoc = this.t.loc;
          spec.family = this.next().text;
          (spec as Spec & { familyGiven?: boolean }).familyGiven = true;
        }
        if ((obj === 'sets' || obj === 'maps' || obj === 'counters' || obj === 'quotas') && this.isWord('table')) {
          this.next();
          this.tableSpec(spec);
        }
        break;
      }
      case 'table':
        this.tableSpec(spec);
        break;
      default:
        this.chainSpec(spec);
    }
    return { op: 'list', obj, spec, loc: this.span(start, this.prevLoc()) };
  }

  private flushCmd(start: Loc): Cmd {
    const spec = this.newSpec();
    const t = this.t;
    if (t.kind !== 'word' || !['ruleset', 'table', 'chain', 'set', 'map'].includes(t.text)) this.err(t);
    const obj = this.next().text as CmdObj;
    if (obj === 'ruleset') {
      if (this.t.kind === 'word' && FAMILIES.includes(this.t.text)) {
        spec.family = this.next().text;
        (spec as Spec & { familyGiven?: boolean }).familyGiven = true;
      }
    } else if (obj === 'table') this.tableSpec(spec);
    else this.chainSpec(spec);
    return { op: 'flush', obj, spec, loc: this.span(start, this.prevLoc()) };
  }

  private resetCmd(start: Loc): Cmd {
    const spec = this.newSpec();
    const t = this.t;
    if (t.kind !== 'word' || !['counters', 'quotas', 'counter', 'quota'].includes(t.text)) this.err(t);
    const obj = this.next().text as CmdObj;
    if (obj === 'counter' || obj === 'quota') this.chainSpec(spec);
    else {
      if (this.t.kind === 'word' && FAMILIES.includes(this.t.text)) {
        spec.family = this.next().text;
        (spec as Spec & { familyGiven?: boolean }).familyGiven = true;
      }
      if (this.isWord('table')) {
        this.next();
        this.tableSpec(spec);
      }
    }
    return { op: 'reset', obj, spec, loc: this.span(start, this.prevLoc()) };
  }

  private renameCmd(start: Loc): Cmd {
    const spec = this.newSpec();
    this.expectWord('chain');
    this.chainSpec(spec);
    const n = this.identifier();
    return { op: 'rename', obj: 'chain', spec, loc: this.span(start, this.prevLoc()), newName: n.text };
  }

  // ---------------------------------------------------------------- blocks

  private emptyTable(spec: Spec, loc: Loc): TableDecl {
    return {
      family: spec.family,
      name: spec.table ?? '',
      loc,
      nameLoc: spec.tableLoc ?? loc,
      familyLoc: spec.familyLoc,
      flags: [],
      chains: [],
      sets: [],
      objs: [],
    };
  }

  private tableBlock(op: CmdOp): Cmd {
    const start = this.next().loc;
    const spec = this.newSpec();
    if (this.t.kind === 'word' && FAMILIES.includes(this.t.text)) {
      const n = this.peek();
      if (n.kind === 'str' || n.kind === 'qstr' || (n.kind === 'word' && !KEYWORD_NOT_ID.has(n.text))) {
        spec.familyLoc = this.t.loc;
        spec.family = this.next().text;
      }
    }
    const n = this.identifier();
    spec.table = n.text;
    spec.tableLoc = n.loc;
    const table = this.emptyTable(spec, n.loc);
    this.tableBody(table);
    return { op, obj: 'table', spec, loc: this.span(start, n.loc), table };
  }

  /** `{` table_block `}` */
  private tableBody(table: TableDecl): void {
    this.expectPunct('{', ["'{'"]);
    for (;;) {
      const t = this.t;
      if (this.isPunct('}')) {
        this.next();
        return;
      }
      if (t.kind === 'nl' || this.isPunct(';')) {
        this.next();
        continue;
      }
      if (t.kind === 'eof') this.err(t);
      try {
        this.tableItem(table);
      } catch (e) {
        if (!(e instanceof SyntaxErr) || e.fatal || this.errors.length + 1 >= MAX_ERRORS || this.t.kind === 'eof') throw e;
        this.errors.push(e.err);
        this.recover();
      }
    }
  }

  private tableItem(table: TableDecl): void {
    const t = this.t;
    if (this.isWord('chain')) {
      this.next();
      const n = this.identifier();
      const chain: ChainDecl = { name: n.text, loc: n.loc, rules: [] };
      this.chainBody(chain);
      table.chains.push(chain);
      return this.blockEnd();
    }
    if (this.isWord('set') || this.isWord('map')) {
      const map = this.next().text === 'map';
      const n = this.identifier();
      const set: SetDecl = { name: n.text, map, loc: n.loc, flags: [] };
      this.setBody(set);
      table.sets.push(set);
      return this.blockEnd();
    }
    if (this.isWord('counter') || this.isWord('quota') || this.isWord('limit')) {
      const kind = this.next().text as 'counter' | 'quota' | 'limit';
      const n = this.identifier();
      table.objs.push(this.objBody(kind, n.text, n.loc, true));
      return this.blockEnd();
    }
    if (this.isWord('flags')) {
      this.next();
      for (;;) {
        const f = this.identifier();
        table.flags.push(f.text);
        if (!this.accept(',')) break;
      }
      return this.blockEnd();
    }
    if (this.isWord('comment')) {
      this.next();
      table.comment = this.quoted();
      return this.blockEnd();
    }
    if (this.isWord('define') || this.isWord('redefine')) return this.define();
    if (this.isWord('include')) return this.include();
    this.err(t);
  }

  private blockEnd(): void {
    if (this.t.kind === 'nl' || this.isPunct(';')) {
      this.next();
      return;
    }
    this.err(this.t, ['newline', 'semicolon']);
  }

  private quoted(): string {
    const t = this.t;
    if (t.kind === 'qstr' || t.kind === 'str' || t.kind === 'word') return this.next().text;
    this.err(t, ['quoted string']);
  }

  private chainBody(chain: ChainDecl): void {
    this.expectPunct('{', ["'{'"]);
    for (;;) {
      const t = this.t;
      if (this.isPunct('}')) {
        this.next();
        return;
      }
      if (t.kind === 'nl' || this.isPunct(';')) {
        this.next();
        continue;
      }
      if (t.kind === 'eof') this.err(t);
      try {
        this.chainItem(chain);
      } catch (e) {
        if (!(e instanceof SyntaxErr) || e.fatal || this.errors.length + 1 >= MAX_ERRORS || this.t.kind === 'eof') throw e;
        this.errors.push(e.err);
        this.recover();
      }
    }
  }

  private chainItem(chain: ChainDecl): void {
    if (this.isWord('type')) {
      this.next();
      const ty = this.identifier();
      chain.type = ty.text;
      chain.typeLoc = ty.loc;
      this.expectWord('hook');
      const h = this.identifier();
      chain.hook = h.text;
      chain.hookLoc = h.loc;
      if (this.isWord('device')) {
        this.next();
        const d = this.t;
        if (d.kind === 'qstr' || d.kind === 'str' || d.kind === 'word') chain.device = this.next().text;
        else if (d.kind === 'punct' && d.text === '$') chain.device = this.variableText();
        else this.err(d);
      }
      const start = this.expectWord('priority').loc;
      chain.prio = this.prioExpr();
      chain.prioLoc = this.span(start, this.prevLoc());
      return this.stmtEnd(true);
    }
    if (this.isWord('policy')) {
      this.next();
      const s = this.t;
      if (this.isWord('accept') || this.isWord('drop')) chain.policy = { k: 'symbol', text: this.next().text, quoted: false, loc: s.loc };
      else if (s.kind === 'punct' && s.text === '$') chain.policy = this.primaryRhs();
      else this.err(s, ['accept', 'drop', "'$'"]);
      chain.policyLoc = s.loc;
      return this.stmtEnd(true);
    }
    if (this.isWord('comment') && (this.peek().kind === 'qstr' || this.peek().kind === 'str')) {
      this.next();
      chain.comment = this.quoted();
      return this.stmtEnd(true);
    }
    const r = this.rule();
    chain.rules.push(r);
    this.stmtEnd(false);
  }

  private variableText(): string {
    const v = this.primaryRhs();
    if (v.k === 'symbol') return v.text;
    throw new SyntaxErr(new NftError('invalid device', [v.loc]));
  }

  /** A chain priority: a number, `-N`, a name, `name + N`, `name - N`, or a variable. */
  private prioExpr(): Expr {
    const t = this.t;
    if (this.isPunct('-') && this.peek().kind === 'num') {
      this.next();
      const n = this.next();
      return { k: 'symbol', text: `-${n.text}`, quoted: false, loc: this.span(t.loc, n.loc) };
    }
    if (t.kind === 'num') {
      this.next();
      return { k: 'symbol', text: t.text, quoted: false, loc: t.loc };
    }
    if (t.kind === 'punct' && t.text === '$') return this.primaryRhs();
    if (t.kind === 'word' || t.kind === 'str') {
      this.next();
      let text = t.text;
      let last = t.loc;
      if (this.isPunct('+') || this.isPunct('-')) {
        const op = this.next().text;
        const n = this.t;
        if (n.kind !== 'num') this.err(n, ['number']);
        this.next();
        text += ` ${op} ${n.text}`;
        last = n.loc;
      }
      return { k: 'symbol', text, quoted: false, loc: this.span(t.loc, last) };
    }
    this.err(t);
  }

  /** After a chain's type/policy line or a rule: newline, semicolon, or the block's end. */
  private stmtEnd(spec: boolean): void {
    if (this.t.kind === 'nl' || this.isPunct(';')) {
      this.next();
      return;
    }
    if (this.isPunct('}')) this.err(this.t, ['newline', 'semicolon']);
    this.err(this.t, spec ? undefined : undefined);
  }

  private setBody(set: SetDecl): void {
    this.expectPunct('{', ["'{'"]);
    for (;;) {
      const t = this.t;
      if (this.isPunct('}')) {
        this.next();
        return;
      }
      if (t.kind === 'nl' || this.isPunct(';')) {
        this.next();
        continue;
      }
      if (t.kind === 'eof') this.err(t);
      const what = this.setItem(set);
      if (this.t.kind === 'nl' || this.isPunct(';')) this.next();
      else if (what !== 'elements') this.err(this.t, what === 'type' ? ['newline', 'semicolon', '.'] : ['newline', 'semicolon']);
      else if (!this.isPunct('}')) this.err(this.t, ['newline', 'semicolon']);
    }
  }

  private setItem(set: SetDecl): string {
    const t = this.t;
    if (this.isWord('type')) {
      this.next();
      const types: { name: string; loc: Loc }[] = [];
      for (;;) {
        const n = this.typeName();
        types.push(n);
        if (!this.accept('.')) break;
      }
      set.keyTypes = types;
      if (set.map) {
        if (!this.isPunct(':')) this.err(this.t, ['colon']);
        this.next();
        set.dataType = this.typeName();
        return 'data';
      }
      return 'type';
    }
    if (this.isWord('typeof')) {
      this.next();
      set.typeofKey = this.concatExpr();
      if (set.map) {
        this.expectPunct(':');
        set.typeofData = this.concatExpr();
      }
      return 'item';
    }
    if (this.isWord('flags')) {
      this.next();
      for (;;) {
        const f = this.t;
        if (f.kind !== 'word' && f.kind !== 'str') this.err(f);
        set.flags.push(this.next().text);
        if (!this.accept(',')) break;
      }
      return 'item';
    }
    if (this.isWord('timeout') || this.isWord('gc-interval')) {
      const which = this.next().text;
      const v = this.timeValue();
      if (which === 'timeout') set.timeout = v;
      else set.gcInterval = v;
      return 'item';
    }
    if (this.isWord('size')) {
      this.next();
      const n = this.t;
      if (n.kind !== 'num') this.err(n, ['number']);
      set.size = Number(this.next().text);
      return 'item';
    }
    if (this.isWord('policy')) {
      this.next();
      set.policy = this.identifier().text;
      return 'item';
    }
    if (this.isWord('auto-merge')) {
      this.next();
      set.autoMerge = true;
      return 'item';
    }
    if (this.isWord('counter')) {
      this.next();
      set.counter = true;
      return 'item';
    }
    if (this.isWord('comment')) {
      this.next();
      set.comment = this.quoted();
      return 'item';
    }
    if (this.isWord('elements')) {
      this.next();
      this.expectPunct('=', ["'='"]);
      set.elements = this.setExpr(true);
      return 'elements';
    }
    this.err(t);
  }

  private typeName(): { name: string; loc: Loc } {
    const t = this.t;
    if (t.kind === 'str' || t.kind === 'word') {
      this.next();
      return { name: t.text, loc: t.loc };
    }
    this.err(t, ['string']);
  }

  private timeValue(): bigint {
    const t = this.t;
    if (t.kind === 'num' || t.kind === 'str' || t.kind === 'word') {
      this.next();
      const v = parseTimeText(t.text);
      if (v === null) throw new SyntaxErr(new NftError(`invalid time value`, [t.loc]));
      return v;
    }
    this.err(t);
  }

  private objBody(kind: 'counter' | 'quota' | 'limit', name: string, loc: Loc, braces: boolean): ObjDecl {
    const o: ObjDecl = { kind, name, loc };
    if (kind === 'quota' && !braces) {
      o.quota = this.quotaArgs();
      return o;
    }
    if (!braces) return o;
    this.expectPunct('{', ["'{'"]);
    for (;;) {
      if (this.isPunct('}')) {
        this.next();
        return o;
      }
      if (this.t.kind === 'nl' || this.isPunct(';')) {
        this.next();
        continue;
      }
      if (this.t.kind === 'eof') this.err(this.t);
      if (kind === 'counter') {
        if (this.isWord('packets')) {
          this.next();
          o.packets = Number(this.num().text);
          this.expectWord('bytes');
          o.bytes = Number(this.num().text);
          continue;
        }
        if (this.isWord('comment')) {
          this.next();
          o.comment = this.quoted();
          continue;
        }
        this.err(this.t);
      } else if (kind === 'quota') {
        if (this.isWord('comment')) {
          this.next();
          o.comment = this.quoted();
          continue;
        }
        o.quota = this.quotaArgs();
      } else {
        if (this.isWord('rate')) {
          o.limit = this.limitArgs(this.t.loc);
          continue;
        }
        this.err(this.t);
      }
    }
  }

  private num(): Token {
    const n = this.t;
    if (n.kind !== 'num') this.err(n, ['number']);
    return this.next();
  }

  // ---------------------------------------------------------------- rules

  rule(): Rule {
    const stmts: Stmt[] = [];
    const start = this.t.loc;
    let comment: string | undefined;
    if (isSep(this.t)) this.err(this.t);
    while (!isSep(this.t)) {
      if (this.isWord('comment')) {
        this.next();
        const c = this.t;
        if (c.kind !== 'qstr' && c.kind !== 'str' && c.kind !== 'word') this.err(c, ['quoted string']);
        comment = this.next().text;
        continue;
      }
      stmts.push(this.stmt());
    }
    return { stmts, comment, loc: this.span(start, this.prevLoc()) };
  }

  private stmt(): Stmt {
    const t = this.t;
    const w = t.kind === 'word' ? t.text : '';
    if (VERDICTS.has(w)) return this.verdictStmt();
    switch (w) {
      case 'counter':
        return this.counterStmt();
      case 'limit':
        this.next();
        if (this.isWord('name')) {
          this.next();
          const n = this.quoted();
          return { k: 'objref', type: 'limit', name: n, loc: this.span(t.loc, this.prevLoc()) };
        }
        return this.limitArgs(t.loc);
      case 'quota': {
        this.next();
        if (this.isWord('name')) {
          this.next();
          const n = this.quoted();
          return { k: 'objref', type: 'quota', name: n, loc: this.span(t.loc, this.prevLoc()) };
        }
        const q = this.quotaArgs();
        return { k: 'quota', ...q, loc: this.span(t.loc, this.prevLoc()) };
      }
      case 'log':
        return this.logStmt();
      case 'reject':
        return this.rejectStmt();
      case 'snat':
      case 'dnat':
      case 'masquerade':
      case 'redirect':
        return this.natStmt();
      case 'notrack':
        this.next();
        return { k: 'notrack', loc: t.loc };
      case 'add':
      case 'update':
      case 'delete':
        if (this.isPunct('@', this.peek())) return this.dynsetStmt();
        break;
    }
    // an expression statement: match, vmap, or `set`; other keywords cannot start one
    if (t.kind === 'word' && isKeyword(t) && !EXPR_START.has(t.text)) this.err(t);
    const left = this.lhsExpr();
    if (this.isWord('set')) {
      this.next();
      const value = this.rhsExpr();
      const loc = this.span(t.loc, this.prevLoc());
      if (left.k === 'meta') return { k: 'metaset', key: left.key, value, loc };
      if (left.k === 'ct') return { k: 'ctset', key: left.key, dir: left.dir, value, loc };
      throw new SyntaxErr(new NftError('syntax error, unexpected set', [this.prevLoc()]));
    }
    if (this.isWord('vmap')) {
      this.next();
      const map = this.t.kind === 'punct' && this.t.text === '@' ? this.setRef() : this.rhsExpr();
      return { k: 'vmap', key: left, map, loc: this.span(t.loc, this.prevLoc()) };
    }
    let op: RelOp = 'implicit';
    let opLoc: Loc | undefined;
    const opTok = this.t;
    const ops: Record<string, RelOp> = {
      '==': '==',
      eq: '==',
      '!=': '!=',
      ne: '!=',
      '<': '<',
      lt: '<',
      '>': '>',
      gt: '>',
      '<=': '<=',
      le: '<=',
      '>=': '>=',
      ge: '>=',
    };
    if ((opTok.kind === 'punct' || opTok.kind === 'word') && opTok.text in ops) {
      op = ops[opTok.text] as RelOp;
      opLoc = opTok.loc;
      this.next();
    }
    if (isSep(this.t)) this.err(this.t);
    let right: Expr;
    if (this.isPunct('@')) right = this.setRef();
    else right = this.rhsExpr(true);
    // flag match `tcp flags syn / syn,ack`
    if (this.isPunct('/') && op === 'implicit') {
      this.next();
      const mask = this.rhsExpr(true);
      right = { k: 'flagcmp', e: left, value: right, mask, loc: this.span(right.loc, mask.loc) };
    }
    return { k: 'match', op, left, right, loc: this.span(t.loc, this.prevLoc()), opLoc };
  }

  private verdictStmt(): Stmt {
    const t = this.next();
    if (t.text === 'queue') {
      const flags: string[] = [];
      let num: number | undefined;
      for (;;) {
        if (this.isWord('num')) {
          this.next();
          num = Number(this.num().text);
        } else if (this.isWord('flags')) {
          this.next();
          for (;;) {
            flags.push(this.identifier().text);
            if (!this.accept(',')) break;
          }
        } else if (this.isWord('bypass') || this.isWord('fanout')) flags.push(this.next().text);
        else break;
      }
      return { k: 'queue', num, flags, loc: this.span(t.loc, this.prevLoc()) };
    }
    const v: Expr & { k: 'verdict' } = { k: 'verdict', verdict: t.text, loc: t.loc };
    if (t.text === 'jump' || t.text === 'goto') {
      const c = this.t;
      if (c.kind === 'punct' && c.text === '$') {
        const e = this.primaryRhs();
        if (e.k !== 'symbol') throw new SyntaxErr(new NftError('invalid chain name', [e.loc]));
        v.chain = e.text;
        v.chainLoc = e.loc;
      } else {
        const n = this.identifier();
        v.chain = n.text;
        v.chainLoc = n.loc;
      }
      v.loc = this.span(t.loc, this.prevLoc());
    }
    return { k: 'verdict', expr: v, loc: v.loc };
  }

  private counterStmt(): Stmt {
    const t = this.next();
    if (this.isWord('name')) {
      this.next();
      const n = this.quoted();
      return { k: 'objref', type: 'counter', name: n, loc: this.span(t.loc, this.prevLoc()) };
    }
    let packets = 0;
    let bytes = 0;
    if (this.isWord('packets')) {
      this.next();
      packets = Number(this.num().text);
      this.expectWord('bytes');
      bytes = Number(this.num().text);
    }
    return { k: 'counter', packets, bytes, loc: t.loc };
  }

  private limitArgs(start: Loc): Stmt & { k: 'limit' } {
    this.expectWord('rate');
    let inv = false;
    if (this.isWord('over')) {
      this.next();
      inv = true;
    } else if (this.isWord('until')) this.next();
    const n = this.num();
    let rate = Number(n.text);
    let bytes = false;
    let unit = 'second';
    const bunit = this.t;
    // "mbytes/second" is one string to the scanner
    const split = (bunit.kind === 'str' || bunit.kind === 'word') && /^[a-z]+\/[a-z]+$/.test(bunit.text) ? bunit.text.split('/') : null;
    if (split && BYTE_UNITS[split[0] as string] !== undefined) {
      this.next();
      bytes = true;
      rate *= BYTE_UNITS[split[0] as string] ?? 1;
      unit = split[1] as string;
      if (!['second', 'minute', 'hour', 'day', 'week'].includes(unit))
        throw new SyntaxErr(new NftError('Wrong time format, expecting /second, /minute, /hour, /day or /week', [bunit.loc]));
    } else {
      if (bunit.kind === 'word' && BYTE_UNITS[bunit.text] !== undefined) {
        this.next();
        bytes = true;
        rate *= BYTE_UNITS[bunit.text] ?? 1;
      }
      this.expectPunct('/', ['/']);
      const u = this.t;
      if (u.kind !== 'word' && u.kind !== 'str') this.err(u);
      if (!['second', 'minute', 'hour', 'day', 'week'].includes(u.text))
        throw new SyntaxErr(new NftError('Wrong time format, expecting /second, /minute, /hour, /day or /week', [u.loc]));
      unit = this.next().text;
    }
    let burst = bytes ? 0 : 5;
    if (this.isWord('burst')) {
      this.next();
      burst = Number(this.num().text);
      const bu = this.t;
      if (bu.kind === 'word' && bu.text === 'packets') {
        this.next();
        if (bytes) throw new SyntaxErr(new NftError('syntax error, unexpected packets', [bu.loc]));
      } else if (bu.kind === 'word' && BYTE_UNITS[bu.text] !== undefined) {
        this.next();
        burst *= BYTE_UNITS[bu.text] ?? 1;
      } else if (bytes) this.err(bu, ['bytes']);
    }
    return { k: 'limit', rate, unit, burst, bytes, inv, loc: this.span(start, this.prevLoc()) };
  }

  private quotaArgs(): { bytes: number; used: number; inv: boolean } {
    let inv = false;
    if (this.isWord('over')) {
      this.next();
      inv = true;
    } else if (this.isWord('until')) this.next();
    const n = this.num();
    const u = this.t;
    if (u.kind !== 'word' || BYTE_UNITS[u.text] === undefined) this.err(u);
    this.next();
    const bytes = Number(n.text) * (BYTE_UNITS[u.text] ?? 1);
    let used = 0;
    if (this.isWord('used')) {
      this.next();
      const m = this.num();
      const uu = this.t;
      if (uu.kind !== 'word' || BYTE_UNITS[uu.text] === undefined) this.err(uu);
      this.next();
      used = Number(m.text) * (BYTE_UNITS[uu.text] ?? 1);
    }
    return { bytes, used, inv };
  }

  private logStmt(): Stmt {
    const t = this.next();
    const s: Stmt & { k: 'log' } = { k: 'log', flags: [], loc: t.loc };
    for (;;) {
      if (this.isWord('prefix')) {
        this.next();
        const p = this.t;
        if (p.kind !== 'qstr' && p.kind !== 'str' && p.kind !== 'word') this.err(p, ['quoted string']);
        s.prefix = this.next().text;
        // an unquoted prefix with a colon: the statement was complete
        if (this.isPunct(':')) this.err(this.t, ['end of file', 'newline', 'semicolon']);
      } else if (this.isWord('level')) {
        this.next();
        const l = this.t;
        const levels = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug', 'audit'];
        if ((l.kind !== 'word' && l.kind !== 'str') || !levels.includes(l.text))
          throw new SyntaxErr(new NftError(`invalid log level`, [l.loc]));
        s.level = this.next().text;
      } else if (this.isWord('group')) {
        this.next();
        s.group = Number(this.num().text);
      } else if (this.isWord('snaplen')) {
        this.next();
        s.snaplen = Number(this.num().text);
      } else if (this.isWord('queue-threshold')) {
        this.next();
        s.qthreshold = Number(this.num().text);
      } else if (this.isWord('flags')) {
        this.next();
        for (;;) {
          const f = this.identifier();
          s.flags.push(f.text);
          if (!this.accept(',')) break;
        }
      } else break;
    }
    s.loc = this.span(t.loc, this.prevLoc());
    return s;
  }

  private rejectStmt(): Stmt {
    const t = this.next();
    const s: Stmt & { k: 'reject' } = { k: 'reject', loc: t.loc, kwLoc: t.loc };
    if (this.isWord('with')) {
      this.next();
      const w = this.t;
      if (this.isWord('tcp')) {
        this.next();
        const r = this.t;
        if (!(r.kind === 'word' && r.text === 'reset')) this.err(r, ['reset']);
        this.next();
        s.type = 'tcp reset';
      } else if (this.isWord('icmp') || this.isWord('icmpv6') || this.isWord('icmpx')) {
        s.type = this.next().text as 'icmp' | 'icmpv6' | 'icmpx';
        if (this.isWord('type')) this.next();
        const c = this.t;
        if (c.kind === 'word' || c.kind === 'str' || c.kind === 'num') {
          this.next();
          s.code = { k: 'symbol', text: c.text, quoted: false, loc: c.loc };
        } else if (c.kind === 'punct' && c.text === '$') s.code = this.primaryRhs();
        else this.err(c);
      } else this.err(w);
    }
    s.loc = this.span(t.loc, this.prevLoc());
    return s;
  }

  private natStmt(): Stmt {
    const t = this.next();
    const type = t.text as 'snat' | 'dnat' | 'masquerade' | 'redirect';
    const s: Stmt & { k: 'nat' } = { k: 'nat', type, flags: [], loc: t.loc };
    if ((type === 'snat' || type === 'dnat') && (this.isWord('ip') || this.isWord('ip6'))) {
      s.family = this.next().text as 'ip' | 'ip6';
      if (this.isWord('addr')) {
        this.next();
        this.expectPunct('.');
        this.expectWord('port');
      }
    }
    if (this.isWord('to')) {
      this.next();
      if (this.isPunct(':')) {
        this.next();
        s.port = this.portExpr();
      } else if (type === 'masquerade' || type === 'redirect') {
        // redirect to 8080 (a port without the colon) is the old syntax
        s.port = this.portExpr();
      } else {
        s.addr = this.natAddr();
        if (this.isPunct(':')) {
          this.next();
          s.port = this.portExpr();
        }
      }
    }
    for (;;) {
      const f = this.t;
      if (f.kind === 'word' && (f.text === 'random' || f.text === 'persistent' || f.text === 'fully-random')) {
        this.next();
        s.flags.push(f.text);
        if (this.accept(',')) continue;
        continue;
      }
      if (f.kind === 'str' && (f.text === 'persistent' || f.text === 'fully-random')) {
        this.next();
        s.flags.push(f.text);
        this.accept(',');
        continue;
      }
      break;
    }
    s.loc = this.span(t.loc, this.prevLoc());
    return s;
  }

  /** The address of snat/dnat: a value, a range, a prefix, or `expr map { }`. */
  private natAddr(): Expr {
    const start = this.t.loc;
    const t = this.t;
    const isExprStart =
      t.kind === 'word' &&
      (PROTO_FIELDS[t.text] !== undefined || ['meta', 'ct', 'numgen', 'jhash', 'symhash'].includes(t.text) || META_SHORT.has(t.text));
    if (isExprStart) {
      const key = this.concatExpr();
      if (this.isWord('map')) {
        this.next();
        const m = this.isPunct('@') ? this.setRef() : this.setExpr(false);
        return { k: 'map', key, map: m, loc: this.span(start, this.prevLoc()) };
      }
      return key;
    }
    let e = this.primaryRhs();
    if (this.isPunct('-')) {
      this.next();
      const hi = this.primaryRhs();
      e = { k: 'range', lo: e, hi, loc: this.span(start, this.prevLoc()) };
    } else if (this.isPunct('/')) {
      this.next();
      const n = this.num();
      e = { k: 'prefix', e, plen: Number(n.text), loc: this.span(start, this.prevLoc()) };
    }
    if (this.isWord('map')) {
      this.next();
      const m = this.isPunct('@') ? this.setRef() : this.setExpr(false);
      return { k: 'map', key: e, map: m, loc: this.span(start, this.prevLoc()) };
    }
    return e;
  }

  private portExpr(): Expr {
    const start = this.t.loc;
    const lo = this.primaryRhs();
    if (this.isPunct('-')) {
      this.next();
      const hi = this.primaryRhs();
      return { k: 'range', lo, hi, loc: this.span(start, this.prevLoc()) };
    }
    return lo;
  }

  private dynsetStmt(): Stmt {
    const t = this.next();
    const at = this.next();
    const n = this.identifier();
    this.expectPunct('{', ["'{'"]);
    const key = this.concatExpr();
    let timeout: bigint | undefined;
    if (this.isWord('timeout')) {
      this.next();
      timeout = this.timeValue();
    }
    this.expectPunct('}', ["'}'"]);
    return {
      k: 'dynset',
      op: t.text as 'add' | 'update' | 'delete',
      set: n.text,
      setLoc: this.span(at.loc, n.loc),
      key,
      timeout,
      loc: this.span(t.loc, this.prevLoc()),
    };
  }

  // ---------------------------------------------------------------- expressions

  /** The left side of a match: a concatenation of primaries, with binary operators. */
  private lhsExpr(): Expr {
    const start = this.t.loc;
    let e = this.concatExpr();
    for (;;) {
      const t = this.t;
      const ops: Record<string, '&' | '|' | '^' | '<<' | '>>'> = {
        '&': '&',
        and: '&',
        '|': '|',
        or: '|',
        '^': '^',
        xor: '^',
        '<<': '<<',
        lshift: '<<',
        '>>': '>>',
        rshift: '>>',
      };
      if ((t.kind === 'punct' || t.kind === 'word') && t.text in ops) {
        this.next();
        const r = this.binopRhs();
        e = { k: 'binop', op: ops[t.text] as '&', l: e, r, loc: this.span(start, this.prevLoc()) };
        continue;
      }
      return e;
    }
  }

  /** The right operand of & | ^: a value or a parenthesized or-list of values. */
  private binopRhs(): Expr {
    if (this.isPunct('(')) {
      const start = this.next().loc;
      let e = this.binopRhs();
      while (this.isPunct('|') || this.isWord('or')) {
        this.next();
        const r = this.binopRhs();
        e = { k: 'binop', op: '|', l: e, r, loc: this.span(start, this.prevLoc()) };
      }
      this.expectPunct(')', ["')'"]);
      return e;
    }
    return this.primaryRhs();
  }

  private concatExpr(): Expr {
    const start = this.t.loc;
    const first = this.primaryExpr(true);
    if (!this.isPunct('.')) return first;
    const parts = [first];
    while (this.isPunct('.')) {
      this.next();
      parts.push(this.primaryExpr(true));
    }
    return { k: 'concat', parts, loc: this.span(start, this.prevLoc()) };
  }

  /** primary_expr: a packet field, meta/ct key, numgen, hash, fib — or a value (the right side of a concatenation). */
  private primaryExpr(lhs = false): Expr {
    const t = this.t;
    if (t.kind === 'word') {
      const w = t.text;
      const nf = this.peek();
      if (lhs && PROTO_FIELDS[w] !== undefined && !((nf.kind === 'word' || nf.kind === 'str') && PROTO_FIELDS[w]?.includes(nf.text))) {
        this.next();
        this.err(nf);
      }
      if (PROTO_FIELDS[w] !== undefined && (nf.kind === 'word' || nf.kind === 'str') && PROTO_FIELDS[w]?.includes(nf.text)) {
        // `ip6 saddr`, `tcp dport`, ...; a protocol name alone is a value (`ip protocol tcp`)
        this.next();
        const f = this.t;
        if ((f.kind === 'word' || f.kind === 'str') && PROTO_FIELDS[w].includes(f.text)) {
          this.next();
          if (w === 'arp' && (f.text === 'saddr' || f.text === 'daddr')) {
            // `arp saddr ip` / `arp saddr ether`
            const a = this.t;
            if (!(a.kind === 'word' && (a.text === 'ip' || a.text === 'ether')))
              throw new SyntaxErr(new NftError(`syntax error, unexpected ${tokenName(a)}, expecting ether or ip`, [a.loc]));
            this.next();
            return {
              k: 'payload',
              proto: { name: w, base: 0, fields: [] },
              field: { name: `${f.text} ${a.text}`, offset: 0, len: 0, dtype: undefined as never },
              base: 0,
              offset: 0,
              len: 0,
              loc: this.span(t.loc, a.loc),
            };
          }
          return {
            k: 'payload',
            proto: { name: w, base: 0, fields: [] },
            field: { name: f.text, offset: 0, len: 0, dtype: undefined as never },
            base: 0,
            offset: 0,
            len: 0,
            loc: this.span(t.loc, f.loc),
          };
        }
        this.err(f);
      }
      if (w === 'meta') {
        this.next();
        const k = this.t;
        if ((k.kind === 'word' || k.kind === 'str') && META_KEYS.includes(k.text)) {
          this.next();
          return { k: 'meta', key: k.text, loc: this.span(t.loc, k.loc) };
        }
        throw new SyntaxErr(
          new NftError(`syntax error, unexpected ${k.text}, known keys are ${META_KEYS.join(', ')}`, [this.span(t.loc, k.loc)]),
        );
      }
      if (META_SHORT.has(w)) {
        this.next();
        return { k: 'meta', key: w, loc: t.loc, short: true };
      }
      if (w === 'ct') {
        this.next();
        const k = this.t;
        if ((k.kind === 'word' || k.kind === 'str') && (CT_KEYS.includes(k.text) || k.text === 'original' || k.text === 'reply')) {
          let dir: 'original' | 'reply' | undefined;
          if (k.text === 'original' || k.text === 'reply') {
            dir = this.next().text as 'original' | 'reply';
          }
          const kk = this.t;
          if (!((kk.kind === 'word' || kk.kind === 'str') && CT_KEYS.includes(kk.text))) this.err(kk);
          this.next();
          return { k: 'ct', key: kk.text, dir, loc: this.span(t.loc, kk.loc) };
        }
        this.err(k);
      }
      if (w === 'numgen') {
        this.next();
        const m = this.t;
        if (!(m.text === 'inc' || m.text === 'random')) this.err(m);
        this.next();
        this.expectWord('mod');
        const mod = Number(this.num().text);
        let offset = 0;
        if (this.isWord('offset')) {
          this.next();
          offset = Number(this.num().text);
        }
        return { k: 'numgen', mode: m.text as 'inc' | 'random', mod, offset, loc: this.span(t.loc, this.prevLoc()) };
      }
      if (w === 'jhash' || w === 'symhash') {
        this.next();
        let expr: Expr | undefined;
        if (w === 'jhash') expr = this.concatExpr();
        this.expectWord('mod');
        const mod = Number(this.num().text);
        let seed: number | undefined;
        let offset = 0;
        for (;;) {
          if (this.isWord('seed')) {
            this.next();
            seed = Number(this.num().text);
          } else if (this.isWord('offset')) {
            this.next();
            offset = Number(this.num().text);
          } else break;
        }
        return { k: 'hash', mode: w, expr, mod, seed, offset, loc: this.span(t.loc, this.prevLoc()) };
      }
      if (w === 'fib') {
        this.next();
        const flags: string[] = [];
        for (;;) {
          const f = this.t;
          if (!['saddr', 'daddr', 'mark', 'iif', 'oif'].includes(f.text)) this.err(f);
          flags.push(this.next().text);
          if (!this.isPunct('.')) break;
          this.next();
        }
        const r = this.t;
        if (!['oif', 'oifname', 'type'].includes(r.text)) this.err(r);
        this.next();
        return { k: 'fib', flags, result: r.text as 'oif' | 'oifname' | 'type', loc: this.span(t.loc, r.loc) };
      }
    }
    return this.primaryRhs();
  }

  /** A value of the right-hand side: symbol, number, string, variable, or a parenthesized one. */
  private primaryRhs(): Expr {
    const t = this.t;
    if (t.kind === 'num' || t.kind === 'str' || t.kind === 'qstr' || t.kind === 'astr') {
      this.next();
      return { k: 'symbol', text: t.text, quoted: t.kind === 'qstr', asterisk: t.kind === 'astr', loc: t.loc };
    }
    if (t.kind === 'word') {
      this.next();
      return { k: 'symbol', text: t.text, quoted: false, loc: t.loc };
    }
    if (this.isPunct('$')) {
      this.next();
      const n = this.t;
      if (n.kind !== 'word' && n.kind !== 'str') this.err(n, ['string']);
      this.next();
      const loc = this.span(t.loc, n.loc);
      const v = this.scope.vars.get(n.text);
      if (!v) throw new SyntaxErr(new NftError(`unknown identifier '${n.text}'`, [{ ...loc, first: loc.first + 1 }]));
      return relocate(v, loc);
    }
    if (this.isPunct('(')) {
      this.next();
      const e = this.rhsExpr();
      this.expectPunct(')', ["')'"]);
      return e;
    }
    if (this.isPunct('-') && this.peek().kind === 'num') {
      const n = this.peek();
      this.next();
      this.next();
      return { k: 'symbol', text: `-${n.text}`, quoted: false, loc: this.span(t.loc, n.loc) };
    }
    this.err(t);
  }

  /** rhs_expr: a set, a concatenation of values with ranges and prefixes, or a comma list (flags). */
  rhsExpr(allowList = false): Expr {
    if (this.isPunct('{')) return this.setExpr(false);
    if (this.isPunct('@')) return this.setRef();
    const start = this.t.loc;
    const e = this.rangeExpr();
    if (allowList && this.isPunct(',') && !isSep(this.peek())) {
      const elems = [e];
      while (this.isPunct(',')) {
        this.next();
        elems.push(this.rangeExpr());
      }
      return { k: 'list', elems, loc: this.span(start, this.prevLoc()) };
    }
    return e;
  }

  /** One element value: a concatenation of ranges/prefixes/values. */
  private rangeExpr(): Expr {
    const start = this.t.loc;
    const parts: Expr[] = [];
    for (;;) {
      let e = this.primaryExpr();
      if (this.isPunct('-')) {
        this.next();
        const hi = this.primaryRhs();
        e = { k: 'range', lo: e, hi, loc: this.span(e.loc, this.prevLoc()) };
      } else if (this.isPunct('/') && this.peek().kind === 'num') {
        this.next();
        const n = this.next();
        e = { k: 'prefix', e, plen: Number(n.text), loc: this.span(e.loc, n.loc) };
      }
      parts.push(e);
      if (!this.isPunct('.')) break;
      this.next();
    }
    if (parts.length === 1) return parts[0] as Expr;
    return { k: 'concat', parts, loc: this.span(start, this.prevLoc()) };
  }

  private setRef(): Expr {
    const at = this.next();
    const n = this.identifier();
    return { k: 'setref', name: n.text, loc: this.span(at.loc, n.loc) };
  }

  /** `{ elem, elem : value, ... }` */
  private setExpr(decl: boolean): Expr & { k: 'set' } {
    const open = this.expectPunct('{', ["'{'"]);
    const elems: Expr[] = [];
    this.depth++;
    if (this.depth > MAX_SET_DEPTH) throw new SyntaxErr(new NftError('memory exhausted', [open.loc]), true);
    for (;;) {
      while (this.atNl()) this.next();
      if (this.isPunct('}')) break;
      const start = this.t.loc;
      let key: Expr = this.isPunct('{') ? this.setExpr(decl) : this.rangeExpr();
      if (this.isWord('timeout') || this.isWord('expires') || this.isWord('comment') || this.isWord('counter')) {
        const el: Expr & { k: 'elem' } = { k: 'elem', key, loc: key.loc };
        for (;;) {
          if (this.isWord('timeout')) {
            this.next();
            el.timeout = this.timeValue();
          } else if (this.isWord('expires')) {
            this.next();
            el.expires = this.timeValue();
          } else if (this.isWord('comment')) {
            this.next();
            el.comment = this.quoted();
          } else if (this.isWord('counter')) {
            this.next();
            el.counter = true;
          } else break;
        }
        key = el;
      }
      if (this.isPunct(':')) {
        this.next();
        let val: Expr;
        const v = this.t;
        if (v.kind === 'word' && VERDICTS.has(v.text)) {
          const st = this.verdictStmt();
          val = (st as Stmt & { k: 'verdict' }).expr;
        } else val = this.rangeExpr();
        key = { k: 'mapping', key, val, loc: this.span(start, this.prevLoc()) };
      }
      elems.push(key);
      while (this.atNl()) this.next();
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      if (this.isPunct('}')) break;
      this.err(this.t, ["comma or '}'"]);
    }
    const close = this.next();
    this.depth--;
    return { k: 'set', elems, loc: this.span(open.loc, close.loc) };
  }
}

function tokenNameOf(s: string): string {
  return s === '{' || s === '}' || s === '(' || s === ')' ? `'${s}'` : s;
}

/** Keywords an expression statement may start with. */
const EXPR_START = new Set([
  ...Object.keys(PROTO_FIELDS),
  ...META_SHORT,
  'meta',
  'ct',
  'numgen',
  'jhash',
  'symhash',
  'fib',
  'priority',
  'random',
  'time',
  'day',
  'hour',
]);

/** Words that are never names (they start or structure statements). */
const KEYWORD_NOT_ID = new Set(['{', '}']);

function isKeyword(t: Token): boolean {
  return tokenName(t) !== 'string';
}

/** A variable's value at the place it is used: its location becomes the use's. */
function relocate(e: Expr, loc: Loc): Expr {
  const copy = (x: Expr): Expr => {
    const o = { ...x, loc } as Expr;
    if (o.k === 'set') o.elems = o.elems.map(copy);
    else if (o.k === 'concat') o.parts = o.parts.map(copy);
    else if (o.k === 'range') {
      o.lo = copy(o.lo);
      o.hi = copy(o.hi);
    } else if (o.k === 'prefix') o.e = copy(o.e);
    else if (o.k === 'list') o.elems = o.elems.map(copy);
    else if (o.k === 'mapping') {
      o.key = copy(o.key);
      o.val = copy(o.val);
    }
    return o;
  };
  return copy(e);
}

export const BYTE_UNITS: Record<string, number> = { bytes: 1, kbytes: 1024, mbytes: 1024 * 1024 };

export function parseTimeText(s: string): bigint | null {
  if (/^[0-9]+$/.test(s)) return BigInt(s) * 1000n;
  const m = /^(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m(?!s))?(?:([0-9]+)s)?(?:([0-9]+)ms)?$/.exec(s);
  if (!m || s === '') return null;
  const n = (x: string | undefined) => BigInt(x ?? '0');
  return n(m[1]) * 86400000n + n(m[2]) * 3600000n + n(m[3]) * 60000n + n(m[4]) * 1000n + n(m[5]);
}
