// The extension interface of libxtables (struct xtables_match/xtables_target:
// name, extra_opts, init, parse, final_check, print, save), one module per
// libxt_* as iptables ships them, registered in one table (extensions.ts).
import type { MatchSpec, TargetSpec } from '../../../kernel/uapi/x_tables.ts';

/** A long option an extension adds to getopt's table once it is loaded. */
export interface XtOption {
  readonly name: string;
  readonly has_arg: 0 | 1 | 2;
  /** struct xt_option_entry's id as a name: aliases (--sport) share their option's (--source-port). */
  readonly id?: string;
  /** XTOPT_MULTI: may be given more than once. */
  readonly multi?: boolean;
  /** .excl: the ids this option cannot be used together with. */
  readonly excl?: readonly string[];
}

/** What an extension's parse() gets besides its info. */
export interface XtParseCtx {
  /** The option's value (optarg), '' when it takes none. */
  readonly arg: string;
  /** The option as given to getopt, expanded (--dport), for messages. */
  readonly opt: string;
  readonly invert: boolean;
  /** The rule's -p as a name, '' when none or unnamed. */
  readonly proto: string;
  /** argv[optind] and optind++ (an option with two values: --tcp-flags). */
  nextArg(): string | undefined;
  peekArg(): string | undefined;
  /** The options this extension instance already took (XTOPT_* "only once" checks). */
  readonly seen: Set<string>;
}

export type MatchOf<N extends MatchSpec['name']> = Extract<MatchSpec, { name: N }>;

/** struct xtables_match */
export interface MatchExt<N extends MatchSpec['name'] = MatchSpec['name']> {
  readonly type: 'match';
  readonly name: N;
  /** Parses with its own checks (old-style .parse), not xtables_option_parse's "only once"/"together" rules. */
  readonly oldStyle?: boolean;
  readonly opts: readonly XtOption[];
  /** The info struct as init() leaves it. */
  init(): MatchOf<N>;
  /** `opt` is the long option's name without dashes. */
  parse(opt: string, m: MatchOf<N>, ctx: XtParseCtx): void;
  finalCheck?(m: MatchOf<N>, seen: Set<string>): void;
  /** -L text (after the addresses); `proto` names the rule's protocol. */
  print(m: MatchOf<N>, numeric: boolean, proto: string): string;
  /** iptables-save / -S text after "-m NAME". */
  save(m: MatchOf<N>): string;
}

export type TargetKind = Exclude<TargetSpec['kind'], 'verdict' | 'jump' | 'none'>;
export type TargetOf<K extends TargetKind> = TargetSpec & { kind: K };

/** struct xtables_target: `name` is what -j takes, `kind` the kernel target it makes. */
export interface TargetExt<K extends TargetKind = TargetKind> {
  readonly type: 'target';
  readonly name: string;
  readonly oldStyle?: boolean;
  readonly kind: K;
  readonly opts: readonly XtOption[];
  init(): TargetOf<K>;
  parse(opt: string, t: TargetOf<K>, ctx: XtParseCtx): void;
  finalCheck?(t: TargetOf<K>, seen: Set<string>): void;
  print(t: TargetOf<K>, numeric: boolean): string;
  /** The whole "-j NAME ..." text. */
  save(t: TargetOf<K>): string;
}

export type Extension = MatchExt<never> | TargetExt<never>;
