// The syntax tree of the bash subset the scenario scripts use.

/** One piece of a word, before expansion. */
export type WordPart =
  /** Unquoted literal text. */
  | { readonly t: 'lit'; readonly s: string }
  /** Quoted literal text: '...', a backslash escape, literal text inside "...". */
  | { readonly t: 'sq'; readonly s: string }
  /** "...": its parts expand without word splitting. */
  | { readonly t: 'dq'; readonly parts: readonly WordPart[] }
  | ParamPart
  /** $(...) or `...`; line0: the line of its first command (bash numbers its lines from the enclosing command's). */
  | { readonly t: 'cmdsub'; readonly body: List; readonly line0: number }
  /** $(( ... )): the text expands first, then is evaluated. */
  | { readonly t: 'arith'; readonly expr: Word }
  /** A ${...} bash cannot parse: `bad substitution` when expanded. */
  | { readonly t: 'bad'; readonly raw: string }
  /** The (a b c) of an array assignment. */
  | { readonly t: 'array'; readonly elems: readonly Word[] };

export type ParamOp =
  | '-' // ${x-w} / ${x:-w}
  | '=' // ${x=w}
  | '+' // ${x+w}
  | '?' // ${x?w}
  | 'len' // ${#x}
  | '#' // ${x#pat}
  | '##'
  | '%'
  | '%%'
  | '/' // ${x/pat/rep}
  | '//'
  | '/#'
  | '/%'
  | ':' // ${x:off:len}
  | '^^'
  | ',,';

export interface ParamPart {
  readonly t: 'param';
  /** A name, a digit string, or one of ? # @ * $ ! - 0. */
  readonly name: string;
  readonly op: ParamOp | null;
  /** With ':' in ${x:-w}: an empty value counts as unset. */
  readonly colon: boolean;
  readonly arg: Word | null;
  /** ${x/pat/rep}: rep; ${x:off:len}: len. */
  readonly arg2: Word | null;
  /** ${name[sub]}: the subscript (@, *, or an arithmetic text). */
  readonly index?: Word | null;
  /** ${!name}: the parameter named by name's value. */
  readonly indirect?: boolean;
  /** ${!prefix*} / ${!prefix@}: the names of the set variables starting with name; ${!a[@]}: a's indices. */
  readonly listing?: { readonly kind: 'names' | 'keys'; readonly star: boolean };
}

export interface Word {
  readonly parts: readonly WordPart[];
  /** The source text, for messages and xtrace. */
  readonly raw: string;
}

export type RedirOp = '>' | '>>' | '>|' | '<' | '<>' | '<<' | '<<-' | '<<<' | '>&' | '<&' | '&>' | '&>>';

export interface HereDoc {
  readonly delim: string;
  readonly quoted: boolean;
  readonly stripTabs: boolean;
  /** Filled in when the lexer reaches the line after the redirection. */
  body: Word | null;
}

export interface Redir {
  /** The fd written before the operator (2> ...), or null for the default. */
  readonly fd: number | null;
  readonly op: RedirOp;
  readonly target: Word;
  readonly heredoc: HereDoc | null;
}

export interface Assign {
  readonly name: string;
  /** NAME[index]=value */
  readonly index: Word | null;
  readonly append: boolean;
  readonly value: Word;
}

export interface SimpleCommand {
  readonly t: 'simple';
  readonly line: number;
  readonly assigns: readonly Assign[];
  readonly words: readonly Word[];
  readonly redirs: readonly Redir[];
}

export interface CaseItem {
  readonly patterns: readonly Word[];
  readonly body: List;
  readonly term: ';;' | ';&' | ';;&';
}

export type CompoundBody =
  | { readonly t: 'group'; readonly body: List }
  | { readonly t: 'subshell'; readonly body: List }
  | { readonly t: 'if'; readonly clauses: readonly { cond: List; body: List }[]; readonly orElse: List | null }
  | { readonly t: 'while'; readonly until: boolean; readonly cond: List; readonly body: List }
  | { readonly t: 'for'; readonly name: string; readonly words: readonly Word[] | null; readonly body: List }
  /** for (( init; cond; step )) */
  | { readonly t: 'cfor'; readonly init: Word; readonly cond: Word; readonly step: Word; readonly body: List }
  | { readonly t: 'case'; readonly word: Word; readonly items: readonly CaseItem[] }
  /** (( expr )) */
  | { readonly t: 'arithcmd'; readonly expr: Word }
  /** [[ expr ]] */
  | { readonly t: 'cond'; readonly expr: CondExpr };

export type CondExpr =
  | { readonly t: 'and' | 'or'; readonly l: CondExpr; readonly r: CondExpr }
  | { readonly t: 'not'; readonly e: CondExpr }
  | { readonly t: 'unary'; readonly op: string; readonly a: Word }
  | { readonly t: 'binary'; readonly op: string; readonly a: Word; readonly b: Word }
  | { readonly t: 'word'; readonly a: Word };

export type CompoundCommand = CompoundBody & { readonly line: number; readonly redirs: readonly Redir[] };

export interface FuncDef {
  readonly t: 'func';
  readonly line: number;
  readonly name: string;
  readonly body: CompoundCommand;
}

export type Command = SimpleCommand | CompoundCommand | FuncDef;

export interface Pipeline {
  readonly bang: boolean;
  readonly line: number;
  readonly cmds: readonly Command[];
  /** For each `|&` between cmds[i] and cmds[i+1]: stderr goes down the pipe too. */
  readonly errToo: readonly boolean[];
  /** `time` (or `time -p`, 'posix') before the pipeline. */
  readonly timed?: 'bash' | 'posix' | null;
}

export interface AndOr {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly p: Pipeline }[];
}

export interface ListItem {
  readonly ao: AndOr;
  readonly bg: boolean;
}

export interface List {
  readonly items: readonly ListItem[];
}

export interface SyntaxError {
  readonly line: number;
  readonly message: string;
  /** The input line bash quotes after `syntax error near unexpected token`. */
  readonly context: string | null;
}

/** A script: the complete commands bash reads one at a time, then the first syntax error, if any. */
export interface Warning {
  readonly line: number;
  readonly message: string;
}

export interface Script {
  /** Each with the warnings bash prints when it reads that command. */
  readonly commands: readonly { readonly list: List; readonly warnings: readonly Warning[] }[];
  readonly error: SyntaxError | null;
  /** Warnings met while reading up to the syntax error. */
  readonly trailingWarnings: readonly Warning[];
}
