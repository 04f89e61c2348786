// iptables' command line (iptables/xshared.c do_parse of 1.8.9): getopt_long
// over the base options merged with the options of every extension loaded so
// far (-m, -j, and the protocol's match once one of its options appears),
// '!' as an operand that inverts the next option, and the final checks of
// each extension.
import { Getopt, type LongOption } from '../../getopt.ts';
import {
  IPT_INV_DSTIP,
  IPT_INV_FRAG,
  IPT_INV_PROTO,
  IPT_INV_SRCIP,
  IPT_INV_VIA_IN,
  IPT_INV_VIA_OUT,
  type MatchSpec,
  type RuleSpec,
  type TargetSpec,
} from '../../../kernel/uapi/x_tables.ts';
import { findMatch, findTarget, UNSIMULATED_MATCHES } from './extensions.ts';
import { IptError, notSimulated, paramProblem, parseHostMask, PROG, protoName, PROTOS, TRY, xtables_strtoui } from './xshared.ts';
import type { MatchExt, TargetExt, XtOption, XtParseCtx } from './xtables.ts';

export interface Fmt {
  numeric: boolean;
  verbose: boolean;
  expanded: boolean;
  lineNumbers: boolean;
}

export interface Parsed {
  cmd: string;
  chain: string | null;
  arg2: string | null;
  rulenum: number;
  table: string;
  spec: RuleSpec;
  /** -j/-g's word, the target extension it loaded (none for ACCEPT/DROP/RETURN and chains). */
  jumpName: string | null;
  goto: boolean;
  target: { ext: TargetExt; t: TargetSpec; seen: Set<string> } | null;
  fmt: Fmt;
  counters: [number, number] | null;
}

/** iptables' own long options (original_opts). */
const BASE_OPTS: LongOption[] = [
  { name: 'append', has_arg: 1, val: 'A' },
  { name: 'delete', has_arg: 1, val: 'D' },
  { name: 'check', has_arg: 1, val: 'C' },
  { name: 'insert', has_arg: 1, val: 'I' },
  { name: 'replace', has_arg: 1, val: 'R' },
  { name: 'list', has_arg: 2, val: 'L' },
  { name: 'list-rules', has_arg: 2, val: 'S' },
  { name: 'flush', has_arg: 2, val: 'F' },
  { name: 'zero', has_arg: 2, val: 'Z' },
  { name: 'new-chain', has_arg: 1, val: 'N' },
  { name: 'delete-chain', has_arg: 2, val: 'X' },
  { name: 'rename-chain', has_arg: 1, val: 'E' },
  { name: 'policy', has_arg: 1, val: 'P' },
  { name: 'source', has_arg: 1, val: 's' },
  { name: 'destination', has_arg: 1, val: 'd' },
  { name: 'src', has_arg: 1, val: 's' },
  { name: 'dst', has_arg: 1, val: 'd' },
  { name: 'protocol', has_arg: 1, val: 'p' },
  { name: 'in-interface', has_arg: 1, val: 'i' },
  { name: 'jump', has_arg: 1, val: 'j' },
  { name: 'table', has_arg: 1, val: 't' },
  { name: 'match', has_arg: 1, val: 'm' },
  { name: 'numeric', has_arg: 0, val: 'n' },
  { name: 'out-interface', has_arg: 1, val: 'o' },
  { name: 'verbose', has_arg: 0, val: 'v' },
  { name: 'wait', has_arg: 2, val: 'w' },
  { name: 'wait-interval', has_arg: 2, val: 'W' },
  { name: 'exact', has_arg: 0, val: 'x' },
  { name: 'fragments', has_arg: 0, val: 'f' },
  { name: 'version', has_arg: 0, val: 'V' },
  { name: 'help', has_arg: 2, val: 'h' },
  { name: 'line-numbers', has_arg: 0, val: '0' },
  { name: 'modprobe', has_arg: 1, val: 'M' },
  { name: 'set-counters', has_arg: 1, val: 'c' },
  { name: 'goto', has_arg: 1, val: 'g' },
  { name: 'ipv4', has_arg: 0, val: '4' },
  { name: 'ipv6', has_arg: 0, val: '6' },
];

/** optstring_lookup(NFPROTO_IPV4): '-' returns operands in order, ':' keeps getopt quiet. */
const OPTSTRING = '-:A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46';

/** XT_OPTION_OFFSET_SCALE: each loaded extension's options get vals in their own range. */
const OFFSET_SCALE = 256;

const CMD_OF: Record<string, string> = {
  A: 'A',
  C: 'C',
  D: 'D',
  R: 'R',
  I: 'I',
  L: 'L',
  S: 'S',
  F: 'F',
  Z: 'Z',
  N: 'N',
  X: 'X',
  E: 'E',
  P: 'P',
};

export function emptySpec(): RuleSpec {
  return {
    src: 0,
    smsk: 0,
    dst: 0,
    dmsk: 0,
    iniface: '',
    outiface: '',
    proto: 0,
    invflags: 0,
    frag: false,
    matches: [],
    target: { kind: 'none' },
  };
}

interface Loaded {
  offset: number;
  seen: Set<string>;
  /** The option ids given (cb->xflags). */
  xflags: Set<string>;
  match?: { ext: MatchExt; m: MatchSpec };
  target?: TargetExt;
}

/** xtables_options_fcheck(): in the table's order, an option given with one it excludes. */
function optionsFcheck(ext: MatchExt | TargetExt, xflags: Set<string>): void {
  for (const e of ext.opts) {
    if (e.id || !xflags.has(e.name) || !e.excl) continue;
    const other = e.excl.find((o) => xflags.has(o));
    if (other) throw paramProblem(`${ext.name}: option "--${e.name}" cannot be used together with "--${other}".\n`);
  }
}

export function parseArgs(argv: readonly string[]): Parsed {
  const p: Parsed = {
    cmd: '',
    chain: null,
    arg2: null,
    rulenum: 0,
    table: 'filter',
    spec: emptySpec(),
    jumpName: null,
    goto: false,
    target: null,
    fmt: { numeric: false, verbose: false, expanded: false, lineNumbers: false },
    counters: null,
  };
  const s = p.spec;
  const args = ['iptables', ...argv];
  const g = new Getopt(args, OPTSTRING, BASE_OPTS);
  /** Loaded extensions, newest first (xtables_merge_options puts new options before old ones). */
  const loaded: Loaded[] = [];
  let nextOffset = OFFSET_SCALE;
  let protoUsed = false;
  const merge = (l: Loaded, opts: readonly { name: string; has_arg: 0 | 1 | 2 }[]): void => {
    l.offset = nextOffset;
    nextOffset += OFFSET_SCALE;
    loaded.unshift(l);
    const all: LongOption[] = [...BASE_OPTS];
    for (const e of loaded) {
      const o = e.match ? e.match.ext.opts : (e.target as TargetExt).opts;
      o.forEach((x, i) => all.push({ name: x.name, has_arg: x.has_arg, val: e.offset + i }));
    }
    g.setLongopts(all);
  };
  const loadMatch = (ext: MatchExt): Loaded => {
    const m = ext.init();
    s.matches.push(m);
    const l: Loaded = { offset: 0, seen: new Set(), xflags: new Set(), match: { ext, m } };
    merge(l, ext.opts);
    return l;
  };
  const options = new Set<string>();
  /** set_option(): each option once, '!' only where it can be inverted. */
  const setOption = (c: string, invert: boolean, invFlag = 0): void => {
    if (options.has(c)) throw paramProblem(`multiple -${c} flags not allowed`);
    options.add(c);
    if (invert) {
      if (!invFlag) throw paramProblem(`cannot have ! before -${c}`);
      s.invflags |= invFlag;
    }
  };
  const hasArg = (): boolean => {
    const a = args[g.optind];
    return a !== undefined && !a.startsWith('-') && !a.startsWith('!');
  };
  const ruleNumber = (v: string): number => {
    const n = xtables_strtoui(v, 1, 0x7fffffff);
    if (n === null) throw paramProblem(`Invalid rule number \`${v}'`);
    return n;
  };
  const addCommand = (c: string, invert: boolean): void => {
    if (invert) throw paramProblem("unexpected '!' flag");
    if (p.cmd) throw paramProblem(`Cannot use -${c} with -${p.cmd}`);
    p.cmd = c;
  };
  let invert = false;
  for (;;) {
    const c = g.next();
    if (c === -1) break;
    const optarg = g.optarg;
    if (typeof c === 'string' && CMD_OF[c]) {
      addCommand(c, invert);
      p.chain = optarg ?? null;
      switch (c) {
        case 'D':
          if (hasArg()) p.rulenum = ruleNumber(args[g.optind++] as string);
          break;
        case 'R':
          if (hasArg()) p.rulenum = ruleNumber(args[g.optind++] as string);
          else throw paramProblem('-R requires a rule number');
          break;
        case 'I':
          if (hasArg()) p.rulenum = ruleNumber(args[g.optind++] as string);
          break;
        case 'L':
        case 'S':
          if (!optarg && hasArg()) p.chain = args[g.optind++] as string;
          if (hasArg()) p.rulenum = ruleNumber(args[g.optind++] as string);
          break;
        case 'F':
        case 'Z':
        case 'X':
          if (!optarg && hasArg()) p.chain = args[g.optind++] as string;
          break;
        case 'E':
          if (hasArg()) p.arg2 = args[g.optind++] as string;
          else throw paramProblem('-E requires old-chain-name and new-chain-name');
          break;
        case 'P':
          if (hasArg()) p.arg2 = args[g.optind++] as string;
          else throw paramProblem('-P requires a chain and a policy');
          break;
      }
      invert = false;
      continue;
    }
    switch (c) {
      case 'V':
        throw new IptError(`${PROG}\n`, 0, true);
      case 't':
        if (invert) throw paramProblem('unexpected ! flag before --table');
        p.table = optarg as string;
        break;
      case 'n':
        setOption('n', invert);
        p.fmt.numeric = true;
        break;
      case 'v':
        if (!p.fmt.verbose) setOption('v', invert);
        p.fmt.verbose = true;
        break;
      case 'x':
        setOption('x', invert);
        p.fmt.expanded = true;
        break;
      case '0':
        setOption('0', invert);
        p.fmt.lineNumbers = true;
        break;
      case 'w':
      case 'W':
        if (optarg === undefined && hasArg()) g.optind++;
        break;
      case 'M':
      case '4':
      case 'b':
        break;
      case '6':
        throw new IptError(`${PROG}: This is the IPv4 version of iptables.\n${TRY}`, 2);
      case 'c': {
        setOption('c', invert);
        const pc = optarg as string;
        let bc: string | undefined;
        const comma = pc.indexOf(',', 1);
        if (comma >= 0) bc = pc.slice(comma + 1);
        else if (hasArg()) bc = args[g.optind++];
        if (bc === undefined) throw paramProblem('-c requires packet and byte counter');
        const pn = /^\d+/.exec(pc);
        const bn = /^\d+/.exec(bc);
        if (!pn) throw paramProblem('-c packet counter not numeric');
        if (!bn) throw paramProblem('-c byte counter not numeric');
        p.counters = [Number(pn[0]), Number(bn[0])];
        break;
      }
      case 'p': {
        setOption('p', invert, IPT_INV_PROTO);
        // iptables takes argv[optind-1], not optarg: "-ptcp" is the protocol "-ptcp"
        const v = (args[g.optind - 1] as string).toLowerCase();
        const known = PROTOS.find(([n]) => n === v);
        if (known) s.proto = known[1];
        else if (xtables_strtoui(v, 0, 255) !== null) s.proto = xtables_strtoui(v, 0, 255) as number;
        else throw paramProblem(`unknown protocol "${v}" specified`);
        if (s.proto === 0 && s.invflags & IPT_INV_PROTO) throw paramProblem('rule would never match protocol');
        break;
      }
      case 's':
      case 'd': {
        setOption(c, invert, c === 's' ? IPT_INV_SRCIP : IPT_INV_DSTIP);
        const [addr, mask] = parseHostMask(optarg as string);
        if (c === 's') [s.src, s.smsk] = [addr, mask];
        else [s.dst, s.dmsk] = [addr, mask];
        break;
      }
      case 'i':
        setOption('i', invert, IPT_INV_VIA_IN);
        s.iniface = optarg as string;
        break;
      case 'o':
        setOption('o', invert, IPT_INV_VIA_OUT);
        s.outiface = optarg as string;
        break;
      case 'f':
        setOption('f', invert, IPT_INV_FRAG);
        s.frag = true;
        break;
      case 'j':
      case 'g': {
        setOption(c === 'g' ? 'g' : 'j', invert);
        const name = optarg as string;
        p.jumpName = name;
        p.goto = c === 'g';
        // command_jump(): a target extension merges its options
        const ext = c === 'j' ? findTarget(name) : undefined;
        if (ext) {
          const l: Loaded = { offset: 0, seen: new Set(), xflags: new Set(), target: ext };
          p.target = { ext, t: ext.init(), seen: l.seen };
          merge(l, ext.opts);
        }
        break;
      }
      case 'm': {
        if (invert) throw paramProblem('unexpected ! flag before --match');
        const name = optarg as string;
        const ext = findMatch(name);
        if (!ext) {
          if (UNSIMULATED_MATCHES.includes(name)) throw notSimulated(`match "${name}" (connection tracking)`);
          throw new IptError(`${PROG}: Couldn't load match \`${name}':No such file or directory\n\n${TRY}`, 2);
        }
        // the same match twice is one instance here
        if (!loaded.some((l) => l.match?.ext === ext)) loadMatch(ext);
        break;
      }
      case 'h':
        throw notSimulated('--help');
      case 1: {
        if (optarg === '!') {
          if (invert) throw paramProblem('multiple consecutive ! not allowed');
          invert = true;
          continue;
        }
        throw new IptError(`Bad argument \`${optarg}'\n${TRY}`, 2);
      }
      default:
        if (commandDefault(c)) continue;
    }
    invert = false;
  }

  /** command_default(): an extension's option, or the protocol's match loaded on demand. */
  function commandDefault(c: string | number): boolean {
    if (typeof c === 'number') {
      const l = loaded.find((e) => c >= e.offset && c < e.offset + OFFSET_SCALE);
      if (l) {
        const ext = l.match ? l.match.ext : (l.target as TargetExt);
        const entry = ext.opts[c - l.offset] as XtOption;
        const opt = entry.name;
        // xtables_option_parse(): each option once unless XTOPT_MULTI
        const id = entry.id ?? entry.name;
        if (!ext.oldStyle) {
          if (l.xflags.has(id) && !entry.multi) throw paramProblem(`${ext.name}: option "--${id}" can only be used once.\n`);
          l.xflags.add(id);
        }
        const ctx: XtParseCtx = {
          arg: g.optarg ?? '',
          opt: `--${opt}`,
          invert,
          proto: protoName(s.proto) ?? '',
          nextArg: () => args[g.optind++],
          peekArg: () => args[g.optind],
          seen: l.seen,
        };
        if (l.match) l.match.ext.parse(opt, l.match.m as never, ctx);
        else if (p.target) p.target.ext.parse(opt, p.target.t as never, ctx);
        invert = false;
        return true;
      }
    }
    // load_proto(): -p tcp's match, once
    const pname = protoName(s.proto);
    const pext = pname && !protoUsed ? findMatch(pname) : undefined;
    if (pext) {
      protoUsed = true;
      if (!loaded.some((l) => l.match?.ext === pext)) loadMatch(pext);
      g.optind--;
      return true;
    }
    if (c === ':') throw paramProblem(`option "${args[g.optind - 1]}" requires an argument`);
    if (c === '?') throw paramProblem(`unknown option "${g.optopt ? `-${g.optopt}` : args[g.optind - 1]}"`);
    throw paramProblem(`Unknown arg "${g.optarg}"`);
  }

  // xtables_option_mfcall() for each match in order, then xtables_option_tfcall(): the extension's check, then xtables_options_fcheck()
  for (const l of [...loaded].reverse()) {
    if (!l.match) continue;
    l.match.ext.finalCheck?.(l.match.m as never, l.seen);
    optionsFcheck(l.match.ext, l.xflags);
  }
  const tl = loaded.find((l) => l.target);
  if (p.target) {
    p.target.ext.finalCheck?.(p.target.t as never, p.target.seen);
    if (tl) optionsFcheck(p.target.ext, tl.xflags);
  }
  if (!p.cmd) throw paramProblem('no command specified');
  if (p.target) s.target = p.target.t;
  return p;
}
