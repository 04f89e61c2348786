// Running nft's commands against the kernel (nftables 1.0.6 src/rule.c
// do_command_*, cmd.c, mnl.c in spirit): the cache of what the kernel has,
// each command evaluated into nfnetlink messages of one batch (a table block
// expands into its chains, objects, sets and rules, in nft_cmd_expand()'s
// order), the batch sent, and each failing message reported at the token of
// the command it came from — as nft reports the kernel's extended ack.
import type { ChainDecl, Cmd, Expr, ObjDecl, Rule, SetDecl, Spec, TableDecl } from './ast.ts';
import { type Datatype, T, TYPES_BY_NAME } from './datatype.ts';
import { dtypeOfId } from './delinearize.ts';
import { byteLen, declElements, type EvalEnv, linearizeRule, type SetInfo } from './evaluate.ts';
import {
  NFT_OBJECT_COUNTER,
  NFT_OBJECT_LIMIT,
  NFT_OBJECT_QUOTA,
  NFT_SET_ANONYMOUS,
  NFT_SET_CONCAT,
  NFT_SET_EVAL,
  NFT_SET_INTERVAL,
  NFT_SET_MAP,
  NFT_SET_TIMEOUT,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  type NfTablesMsg,
  type NftAck,
  type NftChain,
  type NftObj,
  type NftRule,
  type NftSet,
  type NftSetElem,
  type NftTable,
} from '../../../kernel/uapi/nf_tables.ts';
import { NftError } from './parser.ts';
import {
  type ListSelect,
  type PrintOpts,
  printRuleset,
  type RulesetDump,
  UDATA_RULE_COMMENT,
  UDATA_SET_KEY_TYPEOF,
  UDATA_SET_KEYBYTEORDER,
  UDATA_SET_MERGE_ELEMENTS,
  udataGet,
  udataPut,
  udataString,
} from './print.ts';
import { FAMILY_NUM, HOOKS, STD_PRIOS, BRIDGE_PRIOS, CT_BY_NAME, META_BY_NAME, protoByName } from './proto.ts';
import type { Loc } from './scanner.ts';
import { exprStr } from './print.ts';

/** The kernel as nft talks to it (src/kernel/uapi/nf_tables.ts). */
export interface NftKernel {
  begin(): unknown;
  msg(b: unknown, m: NfTablesMsg): NftAck;
  end(b: unknown): NftAck;
  abort(b: unknown): void;
  tables(): NftTable[];
  chains(): NftChain[];
  rules(reset?: boolean): NftRule[];
  sets(): NftSet[];
  elems(family: number, table: string, set: string): NftSetElem[];
  objs(reset?: boolean): NftObj[];
  ifindex(name: string): number | undefined;
  ifname(index: number): string | undefined;
  strerror(errno: number): string;
}

export interface RunOpts {
  check: boolean;
  print: PrintOpts;
  /** -j: the listing as JSON instead of text */
  json?: (dump: RulesetDump, sel: ListSelect, opts: PrintOpts) => string;
}

export interface RunResult {
  out: string;
  /** stdout and stderr text in the order written */
  parts: [1 | 2, string][];
  /** erec records to print */
  errors: NftError[];
  /** warnings printed on stderr as they are */
  warn: string;
}

/** The kernel's state as nft caches it, updated with what the batch adds. */
class Cache {
  tables: NftTable[] = [];
  chains: NftChain[] = [];
  sets: NftSet[] = [];
  rules: NftRule[] = [];
  objs: NftObj[] = [];
  constructor(readonly k: NftKernel) {
    this.tables = k.tables();
    this.chains = k.chains();
    this.sets = k.sets();
    this.objs = k.objs();
  }
  table(family: number, name: string): NftTable | undefined {
    return this.tables.find((t) => t.family === family && t.name === name);
  }
  set(family: number, table: string, name: string): NftSet | undefined {
    return this.sets.find((s) => s.family === family && s.table === table && s.name === name);
  }
  chain(family: number, table: string, name: string): NftChain | undefined {
    return this.chains.find((c) => c.family === family && c.table === table && c.name === name);
  }
}

interface Pending {
  msg: NfTablesMsg;
  cmd: Cmd;
  /** where an error of this message points, by the kernel's bad attribute */
  where(badAttr: string | undefined): Loc;
  /** for -e: the text echoed */
  rule?: boolean;
}

const fail = (msg: string, ...locs: Loc[]): never => {
  throw new NftError(msg, locs);
};

function famNum(spec: Spec): number {
  return FAMILY_NUM[spec.family] ?? 2;
}

/** datatype name -> datatype (set declarations). */
function typeByName(name: string, loc: Loc): Datatype {
  const t = TYPES_BY_NAME.get(name);
  if (!t || name === 'integer' || name === 'string' || name === 'bitmask') return fail(`unknown datatype ${name}`, loc);
  return t;
}

/** The type of a `typeof` expression. */
function typeofType(e: Expr): { dtype: Datatype; bits: number; text: string } {
  switch (e.k) {
    case 'payload': {
      const f = protoByName(e.proto.name)?.fields.find((x) => x.name === e.field?.name);
      if (!f) return fail('unknown field', e.loc);
      return { dtype: f.dtype, bits: f.len, text: `${e.proto.name} ${f.name}` };
    }
    case 'meta': {
      const m = META_BY_NAME.get(e.key);
      if (!m) return fail('unknown meta key', e.loc);
      const unq = ['iif', 'oif', 'iifname', 'oifname', 'iifgroup', 'oifgroup'];
      return { dtype: m.dtype, bits: m.bits, text: unq.includes(e.key) ? e.key : `meta ${e.key}` };
    }
    case 'ct': {
      const c = CT_BY_NAME.get(e.key);
      if (!c) return fail('unknown ct key', e.loc);
      return { dtype: c.dtype, bits: c.bits, text: `ct ${e.key}` };
    }
    default:
      return fail('invalid typeof expression', e.loc);
  }
}

function concatTypeId(types: Datatype[]): number {
  let id = 0;
  for (const t of types) id = id * 64 + t.id;
  return id;
}

/** A declared set's key and data as the evaluator needs them. */
function setInfoOf(s: NftSet): SetInfo {
  const keyTypes = dtypeOfId(s.keyType ?? 0, s.keyLen * 8);
  const keyBits = keyTypes.length > 1 ? (s.desc?.concat ?? keyTypes.map(() => 4)).map((n) => n * 8) : [keyTypes[0]?.bits || s.keyLen * 8];
  const dataType =
    s.dataType === 0xffffff00 ? T.verdict : s.dataType !== undefined ? dtypeOfId(s.dataType, (s.dataLen ?? 4) * 8)[0] : undefined;
  return {
    name: s.name,
    keyTypes: keyTypes.map((t, i) => (t.bits ? t : { ...t, bits: keyBits[i] ?? 32 })),
    keyBits,
    flags: s.flags ?? 0,
    dataType,
    dataBits: dataType && dataType !== T.verdict ? dataType.bits || (s.dataLen ?? 4) * 8 : undefined,
    autoMerge: udataGet(s.userdata, UDATA_SET_MERGE_ELEMENTS) !== undefined,
  };
}

/** misspell.c string_distance(), with its indexing as it is. */
function stringDistance(a: string, b: string): number {
  const la = a.length;
  const lb = b.length;
  const d = new Array<number>((la + 1) * (lb + 1)).fill(0);
  const at = (i: number, j: number) => d[i * lb + j] ?? 0;
  for (let i = 0; i <= la; i++) d[i * lb] = i;
  for (let j = 0; j <= lb; j++) d[j] = j;
  for (let i = 1; i <= la; i++) {
    for (let j = 1; j <= lb; j++) {
      const ai = a[i] ?? '\0';
      const bj = b[j] ?? '\0';
      const sub = ai === bj ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + sub);
      if (i > 1 && j > 1 && ai === (b[j - 1] ?? '\0') && (a[i - 1] ?? '\0') === bj) v = Math.min(v, at(i - 2, j - 2) + sub);
      d[i * lb + j] = v;
    }
  }
  return at(la, lb);
}

function misspellThreshold(a: string, b: string): number | null {
  const max = Math.max(a.length, b.length);
  const min = Math.min(a.length, b.length);
  if (max <= 1) return null;
  return max - min <= 1 ? Math.max(Math.ceil(max / 3), 1) : Math.ceil((max + 2) / 3);
}

function famName(n: number): string {
  for (const [k, v] of Object.entries(FAMILY_NUM)) if (v === n) return k;
  return `${n}`;
}

export class Runner {
  private cache: Cache;
  private pending: Pending[] = [];
  /** errors of a table block's parts: each part is evaluated on its own, as nft_cmd_expand() made it a command */
  private deferred: NftError[] = [];
  private out = '';
  private warn = '';
  private parts: [1 | 2, string][] = [];
  private nextSet = 1;

  constructor(
    private readonly k: NftKernel,
    private readonly opts: RunOpts,
  ) {
    this.cache = new Cache(k);
  }

  /** Evaluation only (after syntax errors nft still evaluates what it parsed, and reports it). */
  evaluateOnly(cmds: Cmd[]): NftError[] {
    const errors: NftError[] = [];
    for (const c of cmds) {
      if (c.op === 'list' || c.op === 'reset') continue;
      try {
        this.evaluate(c);
      } catch (e) {
        if (!(e instanceof NftError)) throw e;
        errors.push(e);
      }
      errors.push(...this.deferred.splice(0));
    }
    return errors;
  }

  run(cmds: Cmd[]): RunResult {
    const errors: NftError[] = [];
    // evaluate every command; list commands run after the batch's evaluation, in order
    const lists: Cmd[] = [];
    for (const c of cmds) {
      try {
        if (c.op === 'list' || c.op === 'reset') lists.push(c);
        else this.evaluate(c);
      } catch (e) {
        if (!(e instanceof NftError)) throw e;
        errors.push(e);
      }
      errors.push(...this.deferred.splice(0));
      if (errors.length >= 10) break;
    }
    if (errors.length) return { out: '', parts: [], errors, warn: '' };
    for (const c of lists) {
      try {
        this.list(c);
      } catch (e) {
        if (!(e instanceof NftError)) throw e;
        errors.push(e);
      }
    }
    if (errors.length) return { out: this.out, parts: this.parts, errors, warn: this.warn };
    if (this.pending.length) errors.push(...this.commit());
    return { out: this.out, parts: this.parts, errors, warn: this.warn };
  }

  private commit(): NftError[] {
    const errors: NftError[] = [];
    const b = this.k.begin();
    for (const p of this.pending) {
      const a = this.k.msg(b, p.msg);
      if (a.error < 0) errors.push(this.kernelError(p, a));
    }
    if (this.opts.check || errors.length) this.k.abort(b);
    else {
      const a = this.k.end(b);
      if (a.error < 0 && !errors.length)
        errors.push(new NftError(`Could not process rule: ${this.k.strerror(-a.error)}`, [this.pending[0]?.cmd.loc as Loc]));
    }
    return errors;
  }

  private kernelError(p: Pending, a: NftAck): NftError {
    const loc = p.where(a.badAttr);
    const errno = -a.error;
    if (errno === 2) {
      const fuzzy = this.enoentHint(p.cmd);
      if (fuzzy) return fuzzy;
    }
    let msg = `Could not process rule: ${this.k.strerror(errno)}`;
    if (a.extack) msg += `\n${a.extack}`;
    return new NftError(msg, [loc]);
  }

  /** cmd.c nft_cmd_enoent_*: "did you mean" when a similar table/chain exists. */
  private enoentHint(cmd: Cmd): NftError | undefined {
    const spec = cmd.spec;
    if (cmd.obj !== 'rule' || spec.name === undefined) return undefined;
    let best: { chain: NftChain; table: NftTable } | undefined;
    let min = Number.POSITIVE_INFINITY;
    const tables = this.k.tables();
    for (const c of this.k.chains()) {
      const th = misspellThreshold(c.name, spec.name);
      if (th === null) continue;
      const dist = stringDistance(c.name, spec.name);
      if (dist > th || dist >= min) continue;
      min = dist;
      const t = tables.find((x) => x.family === c.family && x.name === c.table);
      if (t) best = { chain: c, table: t };
    }
    if (!best) return undefined;
    const fam = famNum(spec);
    const exists = tables.some((t) => t.family === fam && t.name === spec.table);
    if (!exists && (best.table.name !== spec.table || best.table.family !== fam))
      return new NftError(`No such file or directory; did you mean table ‘${best.table.name}’ in family ${famName(best.table.family)}?`, [
        spec.tableLoc as Loc,
      ]);
    if (best.chain.name !== spec.name)
      return new NftError(
        `No such file or directory; did you mean chain ‘${best.chain.name}’ in table ${famName(best.table.family)} ‘${best.table.name}’?`,
        [cmd.loc],
      );
    return undefined;
  }

  // ---------------------------------------------------------------- evaluation

  private push(cmd: Cmd, msg: NfTablesMsg, where: (bad: string | undefined) => Loc): void {
    this.pending.push({ msg, cmd, where });
  }

  private evalEnv(family: number, table: string): EvalEnv {
    return {
      family: famName(family),
      ifindex: (n) => this.k.ifindex(n),
      set: (name) => {
        const s = this.cache.set(family, table, name);
        return s ? setInfoOf(s) : undefined;
      },
      nextSetId: () => this.nextSet++,
    };
  }

  private tableMissing(spec: Spec): never {
    return fail('No such file or directory', spec.tableLoc as Loc);
  }

  private evaluate(cmd: Cmd): void {
    const spec = cmd.spec;
    const family = famNum(spec);
    const table = spec.table ?? '';
    switch (cmd.obj) {
      case 'table':
        if (cmd.op === 'add' || cmd.op === 'create') return this.addTable(cmd, cmd.table as TableDecl, cmd.op === 'create');
        if (cmd.op === 'delete' || cmd.op === 'destroy') {
          const msg: NfTablesMsg = {
            msg: cmd.op === 'delete' ? 'NFT_MSG_DELTABLE' : 'NFT_MSG_DESTROYTABLE',
            family,
            ...(spec.handle !== undefined ? { handle: spec.handle } : { name: table }),
          };
          this.push(cmd, msg, () => (spec.handleLoc ?? spec.tableLoc) as Loc);
          this.cache.tables = this.cache.tables.filter((t) => !(t.family === family && t.name === table));
          return;
        }
        if (cmd.op === 'flush') {
          if (!this.cache.table(family, table)) this.tableMissing(spec);
          this.push(cmd, { msg: 'NFT_MSG_DELRULE', family, table }, () => spec.tableLoc as Loc);
          return;
        }
        return;
      case 'ruleset': {
        // flush ruleset: every table (of the family given)
        const given = (spec as Spec & { familyGiven?: boolean }).familyGiven;
        for (const t of this.cache.tables) {
          if (given && t.family !== family) continue;
          this.push(cmd, { msg: 'NFT_MSG_DELTABLE', family: t.family, name: t.name }, () => cmd.loc);
        }
        this.cache.tables = this.cache.tables.filter((t) => given && t.family !== family);
        return;
      }
      case 'chain': {
        if (cmd.op === 'add' || cmd.op === 'create') {
          if (!this.cache.table(family, table)) this.tableMissing(spec);
          return this.addChain(cmd, family, table, cmd.chain as ChainDecl, cmd.op === 'create');
        }
        if (cmd.op === 'delete' || cmd.op === 'destroy') {
          this.push(
            cmd,
            {
              msg: cmd.op === 'delete' ? 'NFT_MSG_DELCHAIN' : 'NFT_MSG_DESTROYCHAIN',
              family,
              table,
              ...(spec.handle !== undefined ? { handle: spec.handle } : { name: spec.name }),
            },
            (bad) => (bad === 'table' ? spec.tableLoc : (spec.handleLoc ?? spec.nameLoc)) as Loc,
          );
          return;
        }
        if (cmd.op === 'flush') {
          this.push(
            cmd,
            { msg: 'NFT_MSG_DELRULE', family, table, chain: spec.name },
            (bad) => (bad === 'table' ? spec.tableLoc : spec.nameLoc) as Loc,
          );
          return;
        }
        if (cmd.op === 'rename') {
          const c = this.cache.chain(family, table, spec.name ?? '');
          if (!c) return fail('No such file or directory', (this.cache.table(family, table) ? spec.nameLoc : spec.tableLoc) as Loc);
          this.push(cmd, { msg: 'NFT_MSG_NEWCHAIN', family, table, name: cmd.newName ?? '', handle: c.handle }, () => cmd.loc);
          return;
        }
        return;
      }
      case 'rule': {
        if (cmd.op === 'delete' || cmd.op === 'destroy') {
          this.push(
            cmd,
            { msg: cmd.op === 'delete' ? 'NFT_MSG_DELRULE' : 'NFT_MSG_DESTROYRULE', family, table, chain: spec.name, handle: spec.handle },
            (bad) => (bad === 'table' ? spec.tableLoc : bad === 'chain' ? spec.nameLoc : spec.handleLoc) as Loc,
          );
          return;
        }
        return this.addRule(cmd, family, table, spec.name ?? '', cmd.rule as Rule);
      }
      case 'set':
      case 'map': {
        if (cmd.op === 'add' || cmd.op === 'create') {
          if (!this.cache.table(family, table)) this.tableMissing(spec);
          return this.addSet(cmd, family, table, cmd.set as SetDecl, cmd.op === 'create');
        }
        if (cmd.op === 'delete' || cmd.op === 'destroy') {
          this.push(
            cmd,
            {
              msg: cmd.op === 'delete' ? 'NFT_MSG_DELSET' : 'NFT_MSG_DESTROYSET',
              family,
              table,
              ...(spec.handle !== undefined ? { handle: spec.handle } : { name: spec.name }),
            },
            (bad) => (bad === 'table' ? spec.tableLoc : (spec.handleLoc ?? spec.nameLoc)) as Loc,
          );
          return;
        }
        if (cmd.op === 'flush') {
          this.push(
            cmd,
            { msg: 'NFT_MSG_DELSETELEM', family, table, set: spec.name ?? '' },
            (bad) => (bad === 'table' ? spec.tableLoc : spec.nameLoc) as Loc,
          );
          return;
        }
        return;
      }
      case 'element': {
        if (!this.cache.table(family, table)) this.tableMissing(spec);
        const s = this.cache.set(family, table, spec.name ?? '');
        if (!s) return fail('No such file or directory', spec.nameLoc as Loc);
        const env = this.evalEnv(family, table);
        const { elems: elements, locs } = declElements(env, setInfoOf(s), cmd.elements as Expr & { k: 'set' });
        const kind = cmd.op === 'delete' ? 'NFT_MSG_DELSETELEM' : cmd.op === 'destroy' ? 'NFT_MSG_DESTROYSETELEM' : 'NFT_MSG_NEWSETELEM';
        const msg: NfTablesMsg =
          kind === 'NFT_MSG_NEWSETELEM'
            ? { msg: kind, family, table, set: s.name, elements, nlFlags: NLM_F_CREATE | (cmd.op === 'create' ? NLM_F_EXCL : 0) }
            : { msg: kind, family, table, set: s.name, elements };
        this.push(cmd, msg, (bad) => elemLoc(bad, locs) ?? (cmd.elements as Expr).loc);
        return;
      }
      case 'counter':
      case 'quota':
      case 'limit': {
        if (cmd.op === 'add' || cmd.op === 'create') {
          if (!this.cache.table(family, table)) this.tableMissing(spec);
          return this.addObj(cmd, family, table, cmd.obj_ as ObjDecl, cmd.op === 'create');
        }
        if (cmd.op === 'delete' || cmd.op === 'destroy') {
          const objType = cmd.obj === 'counter' ? NFT_OBJECT_COUNTER : cmd.obj === 'quota' ? NFT_OBJECT_QUOTA : NFT_OBJECT_LIMIT;
          this.push(
            cmd,
            {
              msg: cmd.op === 'delete' ? 'NFT_MSG_DELOBJ' : 'NFT_MSG_DESTROYOBJ',
              family,
              table,
              objType,
              ...(spec.handle !== undefined ? { handle: spec.handle } : { name: spec.name }),
            },
            (bad) => (bad === 'table' ? spec.tableLoc : (spec.handleLoc ?? spec.nameLoc)) as Loc,
          );
        }
        return;
      }
      default:
        return;
    }
  }

  private addTable(cmd: Cmd, t: TableDecl, create: boolean): void {
    const family = FAMILY_NUM[t.family] ?? 2;
    let flags = 0;
    for (const f of t.flags) {
      if (f === 'dormant') flags |= 1;
      else fail(`unknown table flag ${f}`, t.loc);
    }
    const msg: NfTablesMsg = {
      msg: 'NFT_MSG_NEWTABLE',
      family,
      name: t.name,
      nlFlags: NLM_F_CREATE | (create ? NLM_F_EXCL : 0),
      ...(flags ? { flags } : {}),
      ...(t.comment !== undefined ? { userdata: udataPut([[0, udataString(t.comment)]]) } : {}),
    };
    this.push(cmd, msg, () => t.nameLoc);
    if (!this.cache.table(family, t.name)) this.cache.tables.push({ family, name: t.name, flags });
    // nft_cmd_expand(): chains, objects, sets, then the rules
    const sub = (o: Partial<Cmd>): Cmd => ({ ...cmd, ...o, spec: { ...cmd.spec, ...(o.spec ?? {}) } }) as Cmd;
    const each = (f: () => void) => {
      try {
        f();
      } catch (e) {
        if (!(e instanceof NftError)) throw e;
        this.deferred.push(e);
      }
    };
    for (const c of t.chains) {
      const spec = { family: t.family, table: t.name, name: c.name, nameLoc: c.loc };
      each(() => this.addChain(sub({ obj: 'chain', spec }), family, t.name, c, false));
    }
    for (const o of t.objs) {
      const spec = { family: t.family, table: t.name, name: o.name, nameLoc: o.loc };
      each(() => this.addObj(sub({ obj: o.kind, spec }), family, t.name, o, false));
    }
    for (const s of t.sets) {
      const spec = { family: t.family, table: t.name, name: s.name, nameLoc: s.loc };
      each(() => this.addSet(sub({ obj: 'set', spec }), family, t.name, s, false));
    }
    for (const c of t.chains)
      for (const r of c.rules) {
        const spec = { family: t.family, table: t.name, tableLoc: t.nameLoc, name: c.name, nameLoc: c.loc };
        each(() => this.addRule(sub({ obj: 'rule', spec }), family, t.name, c.name, r));
      }
  }

  private addChain(cmd: Cmd, family: number, table: string, c: ChainDecl, create: boolean): void {
    const fam = famName(family);
    const msg: NfTablesMsg & { msg: 'NFT_MSG_NEWCHAIN' } = {
      msg: 'NFT_MSG_NEWCHAIN',
      family,
      table,
      name: c.name,
      nlFlags: NLM_F_CREATE | (create ? NLM_F_EXCL : 0),
    };
    if (c.comment !== undefined) msg.userdata = udataPut([[0, udataString(c.comment)]]);
    if (c.hook !== undefined) {
      const hooks = HOOKS[fam] ?? {};
      const hooknum = hooks[c.hook];
      if (hooknum === undefined) return fail('unknown chain hook', c.hookLoc as Loc);
      if (!['filter', 'nat', 'route'].includes(c.type ?? '')) return fail(`unknown chain type`, c.typeLoc as Loc);
      const prio = this.priority(fam, hooknum, c);
      msg.type = c.type as 'filter';
      msg.hook = { hooknum, priority: prio, ...(c.device !== undefined ? { dev: c.device } : {}) };
      if ((fam === 'netdev' || (fam === 'inet' && c.hook === 'ingress')) && c.device === undefined)
        return fail("Missing `device' in this chain definition", c.loc);
      let policy = 1;
      if (c.policy) {
        const p = c.policy.k === 'symbol' ? c.policy.text : '';
        if (p === 'accept') policy = 1;
        else if (p === 'drop') policy = 0;
        else return fail(`invalid policy expression`, c.policyLoc as Loc);
      }
      msg.policy = policy;
    } else if (c.policy) return fail('policy is only valid in base chains', c.policyLoc as Loc);
    this.push(cmd, msg as NfTablesMsg, (bad) =>
      bad === 'table' ? (cmd.spec.tableLoc ?? c.loc) : bad === 'hook' ? (c.hookLoc ?? c.loc) : c.loc,
    );
    if (!this.cache.chain(family, table, c.name)) this.cache.chains.push({ family, table, name: c.name });
  }

  private priority(fam: string, hook: number, c: ChainDecl): number {
    const p = c.prio;
    if (!p || p.k !== 'symbol') return fail('invalid priority expression', c.prioLoc as Loc);
    const m = /^(-?\d+)$/.exec(p.text);
    if (m) return Number(m[1]);
    const nm = /^([a-z]+)(?: ([+-]) (\d+))?$/.exec(p.text);
    if (!nm) return fail('invalid priority expression value in this context.', c.prioLoc as Loc);
    const arr = fam === 'bridge' ? BRIDGE_PRIOS : STD_PRIOS;
    const base = arr.find(([n]) => n === nm[1]);
    if (!base || !stdPrioCompat(base[1], fam, hook)) return fail('invalid priority expression value in this context.', c.prioLoc as Loc);
    const off = nm[3] ? Number(nm[3]) * (nm[2] === '-' ? -1 : 1) : 0;
    return base[1] + off;
  }

  private addObj(cmd: Cmd, family: number, table: string, o: ObjDecl, create: boolean): void {
    let data: NftObj['data'];
    if (o.kind === 'counter') data = { type: NFT_OBJECT_COUNTER, packets: o.packets ?? 0, bytes: o.bytes ?? 0 };
    else if (o.kind === 'quota') {
      const q = o.quota ?? { bytes: 0, used: 0, inv: false };
      data = { type: NFT_OBJECT_QUOTA, bytes: q.bytes, consumed: q.used, flags: q.inv ? 1 : 0 };
    } else {
      const l = o.limit;
      const unit = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 }[l?.unit ?? 'second'] ?? 1;
      data = { type: NFT_OBJECT_LIMIT, rate: l?.rate ?? 0, unit, burst: l?.burst ?? 5, limitType: l?.bytes ? 1 : 0, flags: l?.inv ? 1 : 0 };
    }
    this.push(
      cmd,
      { msg: 'NFT_MSG_NEWOBJ', family, table, name: o.name, data, nlFlags: NLM_F_CREATE | (create ? NLM_F_EXCL : 0) },
      (bad) => (bad === 'table' ? (cmd.spec.tableLoc ?? o.loc) : o.loc),
    );
    if (!this.cache.objs.some((x) => x.family === family && x.table === table && x.name === o.name))
      this.cache.objs.push({ family, table, name: o.name, data });
  }

  private addSet(cmd: Cmd, family: number, table: string, s: SetDecl, create: boolean): void {
    let keyTypes: Datatype[];
    let keyBits: number[];
    const ud: [number, Uint8Array][] = [];
    if (s.typeofKey) {
      const parts = s.typeofKey.k === 'concat' ? s.typeofKey.parts : [s.typeofKey];
      const tys = parts.map(typeofType);
      keyTypes = tys.map((t) => t.dtype);
      keyBits = tys.map((t) => t.bits);
      ud.push([UDATA_SET_KEYBYTEORDER, Uint8Array.of(keyTypes[0]?.byteorder === 'big' ? 2 : 1, 0, 0, 0)]);
      ud.push([UDATA_SET_KEY_TYPEOF, udataString(tys.map((t) => t.text).join(' . '))]);
    } else if (s.keyTypes) {
      keyTypes = s.keyTypes.map((k) => typeByName(k.name, k.loc));
      keyBits = keyTypes.map((t) => t.bits);
      ud.push([UDATA_SET_KEYBYTEORDER, Uint8Array.of(keyTypes[0]?.byteorder === 'big' ? 2 : 1, 0, 0, 0)]);
    } else return fail(`set definition does not specify key`, s.loc);
    let dataType: Datatype | undefined;
    if (s.map) {
      if (s.dataType) {
        dataType = s.dataType.name === 'verdict' ? T.verdict : typeByName(s.dataType.name, s.dataType.loc);
      } else if (s.typeofData) dataType = typeofType(s.typeofData).dtype;
      else return fail('map definition does not specify data type', s.loc);
    }
    let flags = s.map ? NFT_SET_MAP : 0;
    for (const f of s.flags) {
      if (f === 'constant') flags |= 2;
      else if (f === 'interval') flags |= NFT_SET_INTERVAL;
      else if (f === 'timeout') flags |= NFT_SET_TIMEOUT;
      else if (f === 'dynamic') flags |= NFT_SET_EVAL;
      else return fail(`unknown set flag ${f}`, s.loc);
    }
    if (s.timeout !== undefined) flags |= NFT_SET_TIMEOUT;
    if (keyTypes.length > 1 && flags & NFT_SET_INTERVAL) flags |= NFT_SET_CONCAT;
    if (s.autoMerge) ud.push([UDATA_SET_MERGE_ELEMENTS, Uint8Array.of(1, 0, 0, 0)]);
    const keyLen = keyTypes.length > 1 ? keyBits.reduce((a, b) => a + Math.ceil(byteLen(b) / 4) * 4, 0) : byteLen(keyBits[0] ?? 32);
    const set: NftSet = {
      family,
      table,
      name: s.name,
      flags,
      keyType: keyTypes.length > 1 ? concatTypeId(keyTypes) : (keyTypes[0] as Datatype).id,
      keyLen,
      ...(dataType
        ? { dataType: dataType === T.verdict ? 0xffffff00 : dataType.id, dataLen: dataType === T.verdict ? 0 : byteLen(dataType.bits) }
        : {}),
      ...(s.size ? { desc: { size: s.size } } : {}),
      ...(keyTypes.length > 1 ? { desc: { ...(s.size ? { size: s.size } : {}), concat: keyBits.map((b) => byteLen(b)) } } : {}),
      ...(s.timeout !== undefined ? { timeout: Number(s.timeout) } : {}),
      ...(s.gcInterval !== undefined ? { gcInterval: Number(s.gcInterval) } : {}),
      userdata: udataPut(ud),
      id: this.nextSet++,
    };
    this.push(cmd, { msg: 'NFT_MSG_NEWSET', ...set, nlFlags: NLM_F_CREATE | (create ? NLM_F_EXCL : 0) }, (bad) =>
      bad === 'table' ? (cmd.spec.tableLoc ?? s.loc) : s.loc,
    );
    if (!this.cache.set(family, table, s.name)) this.cache.sets.push(set);
    if (s.elements && s.elements.elems.length) {
      const env = this.evalEnv(family, table);
      const info = setInfoOf(set);
      info.keyTypes = keyTypes;
      info.keyBits = keyBits;
      const { elems: elements, locs } = declElements(env, info, s.elements);
      this.push(
        cmd,
        { msg: 'NFT_MSG_NEWSETELEM', family, table, set: s.name, elements, nlFlags: NLM_F_CREATE },
        (bad) => elemLoc(bad, locs) ?? s.loc,
      );
    }
  }

  private addRule(cmd: Cmd, family: number, table: string, chain: string, r: Rule): void {
    const spec = cmd.spec;
    const env = this.evalEnv(family, table);
    const lin = linearizeRule(r, env);
    for (const a of lin.sets) {
      // nf_tables_set_alloc_name(): the lowest free number of the table; nft leaves it to the
      // kernel ("__set%d"), the name is given here so that every set of a batch has its own
      const prefix = a.info.name.replace('%d', '');
      let n = 0;
      while (this.cache.set(family, table, `${prefix}${n}`)) n++;
      const allocated = `${prefix}${n}`;
      for (const x of lin.exprs) if (x.name === 'lookup' && x.setId === a.info.id) x.set = allocated;
      a.info.name = allocated;
      this.cache.sets.push({ family, table, name: allocated, keyLen: a.keyLen, flags: a.info.flags });
      const flags = a.info.flags;
      const set: NftSet = {
        family,
        table,
        name: a.info.name,
        id: a.info.id,
        flags,
        keyType: a.info.keyTypes.length > 1 ? concatTypeId(a.info.keyTypes) : (a.info.keyTypes[0] as Datatype).id,
        keyLen: a.keyLen,
        ...(a.info.dataType ? { dataType: a.info.dataType === T.verdict ? 0xffffff00 : a.info.dataType.id, dataLen: a.dataLen ?? 0 } : {}),
        ...(a.concat ? { desc: { size: a.elements.length, concat: a.concat } } : { desc: { size: a.elements.length } }),
        userdata: udataPut([[UDATA_SET_KEYBYTEORDER, Uint8Array.of(a.info.keyTypes[0]?.byteorder === 'big' ? 2 : 1, 0, 0, 0)]]),
      };
      this.push(cmd, { msg: 'NFT_MSG_NEWSET', ...set, nlFlags: NLM_F_CREATE }, () => r.loc);
      this.push(
        cmd,
        {
          msg: 'NFT_MSG_NEWSETELEM',
          family,
          table,
          set: a.info.name,
          ...(a.info.id !== undefined ? { setId: a.info.id } : {}),
          elements: a.elements,
          nlFlags: NLM_F_CREATE,
        },
        () => r.loc,
      );
    }
    let nlFlags = NLM_F_CREATE;
    let position = spec.position;
    let handle: number | undefined;
    if (cmd.op === 'add') nlFlags |= NLM_F_APPEND;
    if (cmd.op === 'replace') {
      nlFlags |= NLM_F_REPLACE;
      handle = spec.handle;
      if (handle === undefined) fail('syntax error, unexpected replace', cmd.loc);
    }
    if (spec.handle !== undefined && cmd.op !== 'replace') position = spec.handle;
    if (spec.index !== undefined) {
      // index N: the handle of the Nth rule of the chain
      const rules = this.k.rules().filter((x) => x.family === family && x.table === table && x.chain === chain);
      const at = rules[spec.index];
      if (!at) return fail(`Could not process rule: No such file or directory`, spec.indexLoc as Loc);
      position = at.handle;
    }
    const msg: NfTablesMsg = {
      msg: 'NFT_MSG_NEWRULE',
      family,
      table,
      chain,
      expressions: lin.exprs,
      nlFlags,
      ...(position !== undefined ? { position } : {}),
      ...(handle !== undefined ? { handle } : {}),
      ...(r.comment !== undefined ? { userdata: udataPut([[UDATA_RULE_COMMENT, udataString(r.comment)]]) } : {}),
    };
    this.push(cmd, msg, (bad) => {
      if (bad === 'table') return spec.tableLoc ?? r.loc;
      if (bad === 'chain') return spec.nameLoc ?? r.loc;
      if (bad === 'handle') return spec.handleLoc ?? r.loc;
      if (bad === 'position') return (spec.positionLoc ?? spec.handleLoc ?? spec.indexLoc ?? r.loc) as Loc;
      const m = bad ? /^expressions\[(\d+)\]/.exec(bad) : null;
      if (m) return lin.locs[Number(m[1])] ?? r.loc;
      // nft_cmd_error(): an error without an attribute offset is the command's
      return bad === undefined ? cmd.loc : r.loc;
    });
  }

  // ---------------------------------------------------------------- listing

  private dump(resetRules = false, resetObjs = false): RulesetDump {
    const k = this.k;
    const sets = k.sets().map((s) => ({ ...s, elements: k.elems(s.family, s.table, s.name) }));
    return { tables: k.tables(), chains: k.chains(), rules: k.rules(resetRules), sets, objs: k.objs(resetObjs) };
  }

  private list(cmd: Cmd): void {
    const spec = cmd.spec;
    const family = famNum(spec);
    const given = (spec as Spec & { familyGiven?: boolean }).familyGiven || spec.familyLoc !== undefined;
    const sel: ListSelect = {};
    if (given) sel.family = spec.family;
    const needTable = () => {
      if (!this.k.tables().some((t) => t.family === family && t.name === spec.table)) this.tableMissing(spec);
      sel.family = spec.family;
      sel.table = spec.table;
    };
    switch (cmd.obj) {
      case 'ruleset':
        break;
      case 'tables':
        sel.tablesOnly = true;
        break;
      case 'table':
        needTable();
        break;
      case 'chain':
      case 'chains':
        if (cmd.obj === 'chain') {
          needTable();
          if (!this.k.chains().some((c) => c.family === family && c.table === spec.table && c.name === spec.name))
            fail('No such file or directory', spec.nameLoc as Loc);
          sel.chain = spec.name;
          sel.only = 'chain';
        } else sel.only = 'chains';
        break;
      case 'set':
      case 'map':
      case 'counter':
      case 'quota':
        needTable();
        sel.set = spec.name;
        sel.only = cmd.obj;
        break;
      case 'sets':
      case 'maps':
      case 'counters':
      case 'quotas':
      case 'limits':
        if (spec.table !== undefined) needTable();
        sel.only = cmd.obj;
        break;
      default:
        break;
    }
    const reset = cmd.op === 'reset';
    const d = this.dump(false, reset);
    if (this.opts.json) {
      const j = this.opts.json(d, sel, this.opts.print);
      this.out += j;
      this.parts.push([1, j]);
      return;
    }
    const p = printRuleset(d, sel, this.opts.print);
    this.out += p.out;
    this.warn += p.err;
    this.parts.push(...p.parts);
  }
}

/** The element a kernel error names (elements[i]). */
function elemLoc(bad: string | undefined, locs: Loc[]): Loc | undefined {
  const m = bad ? /^elements\[(\d+)\]/.exec(bad) : null;
  return m ? locs[Number(m[1])] : undefined;
}

function stdPrioCompat(prio: number, family: string, hook: number): boolean {
  if (family === 'bridge') return true;
  const inet = family === 'inet' || family === 'ip' || family === 'ip6';
  switch (prio) {
    case 0:
      return inet || family === 'arp' || family === 'netdev';
    case -300:
    case -150:
    case 50:
      return inet;
    case -100:
      return inet && hook === 0;
    case 100:
      return inet && hook === 4;
  }
  return false;
}

export { exprStr, NFT_SET_ANONYMOUS };
