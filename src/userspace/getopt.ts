// glibc's getopt_long (posix/getopt.c, glibc 2.36), the one option parser of
// every simulated tool: clustered flags (-nnvv), attached values (-c1,
// -ieth0), separate values (-c 1), optional values (attached only), `--`,
// long options by unambiguous prefix (--coun=3), `--opt=value`, GNU argument
// permutation (operands may come before options) unless the option string
// starts with '+', and '-' mode (operands returned in order as option 1).
// Messages are glibc's, prefixed with argv[0]; a ':' first in the option
// string silences them and reports a missing value as ':'.

export const no_argument = 0;
export const required_argument = 1;
export const optional_argument = 2;

export interface LongOption {
  readonly name: string;
  readonly has_arg: 0 | 1 | 2;
  /** What getopt returns for it: a short option letter or any code. */
  readonly val: string | number;
}

/** The value getopt_long returns: an option letter, a long option's val, '?' or ':' on error, 1 for an operand in '-' mode. */
export type Opt = string | number;

export class Getopt {
  /** Index of the next argv element to scan (after the loop: the first operand once permuted). */
  optind = 1;
  /** The option's value, when it has one. */
  optarg: string | undefined = undefined;
  /** The option character that caused the last '?' or ':'. */
  optopt = '';
  /** Index into longopts of the last long option matched, or -1. */
  longindex = -1;
  private readonly args: string[];
  private nextchar = '';
  private readonly skipped: string[] = [];
  private readonly mode: 'permute' | 'require_order' | 'return_in_order';
  private readonly shorts: string;
  private readonly silent: boolean;
  private done = false;

  constructor(
    argv: readonly string[],
    optstring: string,
    private longopts: readonly LongOption[] = [],
    private readonly err: (msg: string) => void = () => {},
  ) {
    this.args = [...argv];
    let s = optstring;
    if (s.startsWith('+')) {
      this.mode = 'require_order';
      s = s.slice(1);
    } else if (s.startsWith('-')) {
      this.mode = 'return_in_order';
      s = s.slice(1);
    } else this.mode = 'permute';
    this.silent = s.startsWith(':');
    this.shorts = s;
  }

  /** True between arguments (not inside a cluster such as -nv), where a caller may look at argv[optind] itself. */
  get atArgStart(): boolean {
    return this.nextchar === '' && !this.done;
  }

  /** Replaces the long option table between calls (iptables merges an extension's options once it is loaded). */
  setLongopts(longopts: readonly LongOption[]): void {
    this.longopts = longopts;
  }

  private get prog(): string {
    return this.args[0] ?? '';
  }

  private say(msg: string): void {
    if (!this.silent) this.err(`${this.prog}: ${msg}\n`);
  }

  /** The next option, or -1 when there are no more (then `operands()` holds the rest). */
  next(): Opt | -1 {
    this.optarg = undefined;
    this.longindex = -1;
    if (this.done) return -1;
    if (this.nextchar === '') {
      for (;;) {
        const a = this.args[this.optind];
        if (a === undefined) return this.finish();
        if (a === '--') {
          this.optind++;
          return this.finish();
        }
        if (a.startsWith('-') && a !== '-') break;
        if (this.mode === 'require_order') return this.finish();
        if (this.mode === 'return_in_order') {
          this.optind++;
          this.optarg = a;
          return 1;
        }
        this.skipped.push(a);
        this.optind++;
      }
      const a = this.args[this.optind] as string;
      if (this.longopts.length && a.startsWith('--')) {
        this.optind++;
        return this.long(a.slice(2));
      }
      this.nextchar = a.slice(1);
      this.optind++;
    }
    const c = this.nextchar[0] as string;
    this.nextchar = this.nextchar.slice(1);
    const k = c === ':' ? -1 : this.shorts.indexOf(c);
    if (k < 0) {
      this.optopt = c;
      this.say(`invalid option -- '${c}'`);
      return '?';
    }
    if (this.shorts[k + 1] === ':') {
      if (this.shorts[k + 2] === ':') {
        // optional: only an attached value
        if (this.nextchar !== '') this.optarg = this.nextchar;
        this.nextchar = '';
      } else if (this.nextchar !== '') {
        this.optarg = this.nextchar;
        this.nextchar = '';
      } else {
        const n = this.args[this.optind];
        if (n === undefined) {
          this.optopt = c;
          this.say(`option requires an argument -- '${c}'`);
          return this.silent ? ':' : '?';
        }
        this.optarg = n;
        this.optind++;
      }
    }
    return c;
  }

  private longMatches(body: string): number[] {
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const out: number[] = [];
    for (let i = 0; i < this.longopts.length; i++) {
      const o = this.longopts[i] as LongOption;
      if (o.name === name) return [i];
      if (o.name.startsWith(name)) out.push(i);
    }
    return out;
  }

  private long(body: string): Opt {
    const prefix = '--';
    const eq = body.indexOf('=');
    const matches = this.longMatches(body);
    this.optopt = '';
    if (!matches.length) {
      this.say(`unrecognized option '${prefix}${body}'`);
      return '?';
    }
    const first = this.longopts[matches[0] as number] as LongOption;
    if (matches.length > 1) {
      // glibc: a later prefix match is ambiguous only if it differs from the first in has_arg or val
      const differ = matches.filter((i) => {
        const o = this.longopts[i] as LongOption;
        return o.has_arg !== first.has_arg || o.val !== first.val;
      });
      if (differ.length) {
        const set = [matches[0] as number, ...differ];
        this.say(
          `option '${prefix}${body}' is ambiguous; possibilities:${set.map((i) => ` '${prefix}${(this.longopts[i] as LongOption).name}'`).join('')}`,
        );
        return '?';
      }
    }
    const idx = matches[0] as number;
    this.longindex = idx;
    if (eq >= 0) {
      if (first.has_arg === no_argument) {
        this.optopt = typeof first.val === 'string' ? first.val : '';
        this.say(`option '${prefix}${first.name}' doesn't allow an argument`);
        return '?';
      }
      this.optarg = body.slice(eq + 1);
    } else if (first.has_arg === required_argument) {
      const n = this.args[this.optind];
      if (n === undefined) {
        this.optopt = typeof first.val === 'string' ? first.val : '';
        this.say(`option '${prefix}${first.name}' requires an argument`);
        return this.silent ? ':' : '?';
      }
      this.optarg = n;
      this.optind++;
    }
    return first.val;
  }

  private finish(): -1 {
    this.done = true;
    return -1;
  }

  /** The operands: skipped non-options, then everything from optind on (glibc's permuted tail). */
  operands(): string[] {
    return [...this.skipped, ...this.args.slice(this.optind)];
  }
}
