// The skbpath command line as data: every subcommand, its arguments and its
// options. The parser (args.ts), `--help`, the shell completions
// (completion.ts) and the README's CLI reference are all made from these
// tables, so they cannot drift apart (test/cli/options.test.ts).

/** How an option's value is read and checked. */
export type ValueKind =
  | 'uint' // a non-negative integer
  | 'cpus' // 1 to 64
  | 'port' // 0 to 65535
  | 'seconds' // a positive number of seconds
  | 'bytes' // a size: N, NK, NM, NG (powers of 1024)
  | 'regex' // a JavaScript regular expression
  | 'format' // one of `choices`
  | 'dir' // a directory on the host
  | 'string';

export interface OptionSpec {
  /** The long name, without the dashes. */
  readonly name: string;
  /** The key in the parsed options. */
  readonly key: string;
  /** The value's name in usage lines (DIR, N ...); absent for a flag. */
  readonly arg?: string;
  readonly kind?: ValueKind;
  readonly choices?: readonly string[];
  readonly help: string;
}

export interface CommandSpec {
  readonly name: string;
  /** Positional arguments as the usage line shows them. */
  readonly args: string;
  /** How many positional arguments it takes at least and at most. */
  readonly min: number;
  readonly max: number;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  /** Arguments go to the command untouched (skbpath tcpdump has its own options). */
  readonly passthrough?: boolean;
  /** What the positional arguments are, for the completions. */
  readonly complete?: 'script' | 'words';
  readonly words?: readonly string[];
}

const seed: OptionSpec = {
  name: 'seed',
  key: 'seed',
  arg: 'N',
  kind: 'uint',
  help: 'seed of the one random number generator; the same seed gives the same run, byte for byte (default 1)',
};
const cpus: OptionSpec = {
  name: 'cpus',
  key: 'cpus',
  arg: 'N',
  kind: 'cpus',
  help: "CPUs of the simulated machine, 1-64 (default: the script's `# @cpus N` line, else 1)",
};
/** The process budgets (issue 24): enforced by the run, passed through as RunOptions.maxWallSeconds/maxMemoryBytes. */
const maxWall: OptionSpec = {
  name: 'max-wall',
  key: 'maxWallSeconds',
  arg: 'SECONDS',
  kind: 'seconds',
  help: 'wall-clock budget of the run (default 600)',
};
const maxMemory: OptionSpec = {
  name: 'max-memory',
  key: 'maxMemoryBytes',
  arg: 'BYTES',
  kind: 'bytes',
  help: 'resident memory budget of the run, N[K|M|G] (default 1G)',
};
const filter: OptionSpec = {
  name: 'filter',
  key: 'filter',
  arg: 'PCAP-EXPR',
  kind: 'string',
  help: "only the skbs a pcap-filter expression (tcpdump's syntax) matches somewhere on their path",
};
const netns: OptionSpec = { name: 'netns', key: 'netns', arg: 'NS', kind: 'string', help: 'only skbs seen in namespace NS' };
const dev: OptionSpec = { name: 'dev', key: 'dev', arg: 'DEV', kind: 'string', help: 'only skbs seen on device DEV' };
const json: OptionSpec = { name: 'json', key: 'json', help: 'one JSON object a line (docs/path-events.md)' };
const workdir: OptionSpec = {
  name: 'workdir',
  key: 'workdir',
  arg: 'DIR',
  kind: 'dir',
  help: "the scenario's working directory: the files it reads and writes (default: the current directory)",
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    args: 'SCRIPT.sh',
    min: 1,
    max: 1,
    complete: 'script',
    summary: "run a scenario; its transcript goes to stdout and the exit status is the script's",
    options: [
      {
        name: 'artifacts',
        key: 'artifacts',
        arg: 'DIR',
        kind: 'dir',
        help: 'write the oracle layout (pcaps, nstat, links, iptables, trace, transcript) to DIR, whole or not at all',
      },
      workdir,
      seed,
      cpus,
      maxWall,
      maxMemory,
    ],
  },
  {
    name: 'trace',
    args: 'SCRIPT.sh',
    min: 1,
    max: 1,
    complete: 'script',
    summary: 'run a scenario and print every kernel function each skb entered (pwru-style)',
    options: [
      filter,
      netns,
      dev,
      { name: 'func', key: 'func', arg: 'REGEX', kind: 'regex', help: 'only the functions whose name matches REGEX' },
      json,
      {
        name: 'format',
        key: 'format',
        arg: 'FORMAT',
        kind: 'format',
        choices: ['pwru', 'ftrace'],
        help: 'pwru (default) or ftrace (the kernel tracepoints)',
      },
      workdir,
      seed,
      cpus,
      maxWall,
      maxMemory,
    ],
  },
  {
    name: 'drops',
    args: 'SCRIPT.sh',
    min: 1,
    max: 1,
    complete: 'script',
    summary: 'run a scenario and list every dropped skb with its reason, place and counters (dropwatch-style)',
    options: [
      filter,
      netns,
      dev,
      { name: 'reason', key: 'reason', arg: 'REASON', kind: 'string', help: 'only drops with this reason (NO_SOCKET, NEIGH_FAILED ...)' },
      json,
      workdir,
      seed,
      cpus,
      maxWall,
      maxMemory,
    ],
  },
  {
    name: 'shell',
    args: '[SCRIPT.sh]',
    min: 0,
    max: 1,
    complete: 'script',
    summary: 'run a scenario, then read commands at a prompt in the same simulated machine',
    options: [seed, cpus],
  },
  {
    name: 'tcpdump',
    args: '[-d|-dd|-ddd] [-r FILE] [-w FILE] [OPTIONS] [EXPRESSION]',
    min: 0,
    max: Number.POSITIVE_INFINITY,
    passthrough: true,
    summary: "tcpdump on capture files: read (-r), write (-w), compile a filter (-d); tcpdump's own options",
    options: [],
  },
  {
    name: 'ui',
    args: '[SCRIPT.sh]',
    min: 0,
    max: 1,
    complete: 'script',
    summary: 'serve the web view on 127.0.0.1 (npm run build first)',
    options: [{ name: 'port', key: 'port', arg: 'N', kind: 'port', help: 'port to listen on; 0 picks a free one (default 8080)' }, seed],
  },
  {
    name: 'completion',
    args: 'bash|zsh',
    min: 1,
    max: 1,
    complete: 'words',
    words: ['bash', 'zsh'],
    summary: 'print a shell completion script (e.g. `source <(skbpath completion bash)`)',
    options: [],
  },
];

/** Options every subcommand takes. */
export const HELP_OPTION: OptionSpec = { name: 'help', key: 'help', help: 'print this help and exit' };

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

const flagText = (o: OptionSpec): string => `--${o.name}${o.arg ? ` ${o.arg}` : ''}`;

/** `skbpath NAME ARGS [OPTIONS]` as one line. */
export function synopsis(c: CommandSpec): string {
  if (c.passthrough) return `skbpath ${c.name} ${c.args}`;
  const opts = c.options.map((o) => ` [${flagText(o)}]`).join('');
  return `skbpath ${c.name} ${c.args}${opts}`;
}

export function usage(): string {
  const lines = COMMANDS.map((c, i) => `${i === 0 ? 'usage: ' : '       '}${synopsis(c)}`);
  lines.push('       skbpath --help | --version');
  return `${lines.join('\n')}\n`;
}

/** `skbpath --help`. */
export function mainHelp(version: string): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  let s = `skbpath ${version}: the Linux 6.18 network stack, simulated\n\n${usage()}\ncommands:\n`;
  for (const c of COMMANDS) s += `  ${c.name.padEnd(w)}${c.summary}\n`;
  s += `\n'skbpath COMMAND --help' describes a command's options.\n`;
  s += "exit status: the scenario's own, 2 usage error, 124 a budget ran out, 70 internal error\n";
  return s;
}

/** `skbpath CMD --help`. */
export function commandHelp(c: CommandSpec): string {
  let s = `usage: ${synopsis(c)}\n\n${c.summary}\n`;
  const opts = [...c.options, HELP_OPTION];
  if (c.passthrough) return `${s}\n'skbpath ${c.name} --help' prints the tool's own usage.\n`;
  const w = Math.max(...opts.map((o) => flagText(o).length)) + 2;
  s += '\noptions:\n';
  for (const o of opts) s += `  ${flagText(o).padEnd(w)}${o.help}${o.choices ? ` (${o.choices.join(', ')})` : ''}\n`;
  return s;
}

/** The README's CLI reference (between its markers), made from the tables. */
export function cliReference(): string {
  let s = '';
  for (const c of COMMANDS) {
    s += `### \`skbpath ${c.name}\`\n\n\`\`\`\n${synopsis(c)}\n\`\`\`\n\n${c.summary[0]?.toUpperCase()}${c.summary.slice(1)}.\n`;
    if (c.options.length) {
      s += '\n| option | |\n|---|---|\n';
      for (const o of c.options)
        s += `| \`${flagText(o)}\` | ${o.help.replace(/\|/g, '\\|')}${o.choices ? ` (${o.choices.join(', ')})` : ''} |\n`;
    }
    s += '\n';
  }
  return s;
}
