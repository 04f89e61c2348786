// The skbpath command line parsed from the tables in options.ts: long options
// as `--name VALUE` or `--name=VALUE`, `--` ends them, `-h`/`--help` anywhere.
// A mistake is one line naming it (and a hint); the caller exits 2.
import { COMMANDS, type CommandSpec, commandSpec, type OptionSpec } from './options.ts';

export type OptValue = string | number | boolean | RegExp;

export interface Parsed {
  readonly cmd: CommandSpec;
  readonly args: string[];
  readonly opts: Record<string, OptValue>;
  readonly help: boolean;
}

export class UsageError extends Error {
  constructor(
    message: string,
    /** The subcommand whose --help the hint names. */
    readonly cmd: string | null,
    /** Print `Try 'skbpath … --help'.` after it (not after a bad value: the message says what is wanted). */
    readonly hint = true,
  ) {
    super(message);
  }
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      let v = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest of `names` to `word`, if it is close enough to be a typo (or a unique prefix). */
export function nearest(word: string, names: readonly string[]): string | null {
  const prefixed = names.filter((n) => word.length >= 2 && n.startsWith(word));
  if (prefixed.length === 1) return prefixed[0] as string;
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const n of names) {
    const d = distance(word, n);
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.min(2, Math.floor(word.length / 3))) ? best : null;
}

const SIZE = /^(\d+)([KMG]?)$/i;

/** Checks and converts an option's value; a string saying what is wrong otherwise. */
export function optionValue(o: OptionSpec, v: string): OptValue | { error: string } {
  const bad = (what: string): { error: string } => ({ error: `--${o.name} needs ${what}` });
  switch (o.kind) {
    case 'uint':
      return /^\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : bad('a non-negative integer');
    case 'cpus':
      return /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 64 ? Number(v) : bad('a number of CPUs from 1 to 64');
    case 'port':
      return /^\d+$/.test(v) && Number(v) <= 65535 ? Number(v) : bad('a port number (0-65535; 0 picks a free one)');
    case 'seconds':
      return /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 ? Number(v) : bad('a positive number of seconds');
    case 'bytes': {
      const m = SIZE.exec(v);
      if (!m || Number(m[1]) === 0) return bad('a size such as 512M or 2G');
      const shift = { '': 0, K: 10, M: 20, G: 30 }[(m[2] as string).toUpperCase()] as number;
      return Number(m[1]) * 2 ** shift;
    }
    case 'regex':
      try {
        return new RegExp(v);
      } catch (e) {
        return {
          error: `--${o.name}: bad regular expression '${v}': ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`,
        };
      }
    case 'format':
      return o.choices?.includes(v) ? v : { error: `--${o.name} takes ${o.choices?.join(' or ')}` };
    case 'dir':
    case 'string':
      return v === '' ? bad('a value') : v;
    default:
      return v;
  }
}

/** Parses `skbpath ARGV…`; throws UsageError. `null` for `skbpath --help`, 'version' for `--version`. */
export function parseArgs(argv: readonly string[]): Parsed | 'help' | 'version' {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given', null);
  if (first === '--help' || first === '-h' || first === 'help') {
    if (first === 'help' && rest[0] !== undefined) {
      const c = commandSpec(rest[0]);
      if (!c) throw unknownCommand(rest[0]);
      return { cmd: c, args: [], opts: {}, help: true };
    }
    return 'help';
  }
  if (first === '--version' || first === '-V') return 'version';
  if (first.startsWith('-')) throw unknownOption(first, null, ['help', 'version']);
  const cmd = commandSpec(first);
  if (!cmd) throw unknownCommand(first);
  // tcpdump's own -h/--help prints the real tool's usage; `skbpath help tcpdump` gives ours
  if (cmd.passthrough) return { cmd, args: [...rest], opts: {}, help: false };
  const args: string[] = [];
  const opts: Record<string, OptValue> = {};
  let help = false;
  let ended = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (ended || a === '-' || !a.startsWith('-')) {
      args.push(a);
      continue;
    }
    if (a === '--') {
      ended = true;
      continue;
    }
    if (a === '-h' || a === '--help') {
      help = true;
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? a.slice(2, eq < 0 ? undefined : eq) : null;
    const o = name !== null ? cmd.options.find((x) => x.name === name) : undefined;
    if (!o) {
      throw unknownOption(
        eq < 0 ? a : a.slice(0, eq),
        cmd.name,
        cmd.options.map((x) => x.name),
      );
    }
    if (!o.arg) {
      if (eq >= 0) throw new UsageError(`option '--${o.name}' takes no value`, cmd.name);
      opts[o.key] = true;
      continue;
    }
    let v: string | undefined;
    if (eq >= 0) v = a.slice(eq + 1);
    else v = rest[++i];
    if (v === undefined) throw new UsageError(`option '--${o.name}' needs a value (${o.arg})`, cmd.name);
    const val = optionValue(o, v);
    if (typeof val === 'object' && !(val instanceof RegExp)) throw new UsageError(val.error, cmd.name, false);
    opts[o.key] = val;
  }
  if (!help) {
    if (args.length < cmd.min) throw new UsageError(`${cmd.name}: missing ${cmd.args.replace(/[[\]]/g, '')}`, cmd.name);
    if (args.length > cmd.max) throw new UsageError(`${cmd.name}: unexpected argument '${args[cmd.max]}'`, cmd.name);
  }
  return { cmd, args, opts, help };
}

function unknownCommand(word: string): UsageError {
  const near = nearest(
    word,
    COMMANDS.map((c) => c.name),
  );
  return new UsageError(`unknown command '${word}'${near ? `; did you mean '${near}'?` : ''}`, null);
}

function unknownOption(opt: string, cmd: string | null, names: readonly string[]): UsageError {
  const bare = opt.replace(/^-+/, '');
  const near = opt.startsWith('--') ? nearest(bare, names) : null;
  return new UsageError(`unknown option '${opt}'${near ? `; did you mean '--${near}'?` : ''}`, cmd);
}
