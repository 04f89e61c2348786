// `skbpath shell [SCRIPT.sh]`: an interactive shell into a topology, as
// Mininet's CLI gives. The script runs first; then each line read at the
// prompt runs in the same bash (ShellSession: variables, functions, jobs
// persist) on the same simulated machine, whose clock goes on from where the
// last command left it. Background jobs (`tcpdump … &`) run while later
// commands do. `skbpath-trace last` prints the path of the last packet.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { formatDrops, formatPath, selectPath } from '../machine/path_report.ts';
import { nftRuleResolver } from '../userspace/tools/nft/monitor.ts';
import type { RunOptions } from '../machine/run.ts';
import { SimWorld } from '../machine/world.ts';
import { MemoryBudget } from '../sim/memory.ts';
import { BudgetExceeded } from '../sim/sim.ts';
import type { Command, OutStream, Vfs } from '../userspace/proc.ts';
import { parse, ShellSession } from '../userspace/shell/interp.ts';
import { registerAll } from '../userspace/tools/index.ts';

const PROMPT = 'skbpath# ';
const PROMPT2 = '> ';
const HISTORY_FILE = '.skbpath_history';
const HISTORY_SIZE = 1000;

/** `skbpath-trace last|drops`: the path of the last packet (its whole lineage), or every drop so far. */
export function skbpathTrace(world: SimWorld): Command {
  return function* (ctx) {
    const what = ctx.argv[1];
    const events = world.kernel.path.events;
    if (ctx.argv.length !== 2 || (what !== 'last' && what !== 'drops')) {
      ctx.stderr.write('usage: skbpath-trace last | drops\n');
      return 2;
    }
    if (what === 'drops') {
      ctx.stdout.write(
        formatDrops(
          events,
          world.kernel.path.counters,
          undefined,
          nftRuleResolver((ns) => (ns === 'init_net' ? world.initNet : world.netns.get(ns))),
        ),
      );
      return 0;
    }
    const last = events.at(-1);
    if (!last) {
      ctx.stderr.write('skbpath-trace: no packet has moved yet\n');
      return 1;
    }
    ctx.stdout.write(formatPath(selectPath(events, {}).filter((e) => e.origin === last.origin)));
    return 0;
  };
}

/** A line that needs more lines to be a command (an open `do`, `{`, quote). */
function incomplete(text: string): boolean {
  const e = parse(text).error;
  return e !== null && /unexpected end of file|unexpected EOF/.test(e.message);
}

export interface ShellDeps {
  makeVfs: (dir: string) => Vfs;
  readScript: (path: string) => string;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** A simulated machine with a bash that takes one command line after another. */
export class InteractiveMachine {
  readonly world: SimWorld;
  private readonly session: ShellSession;
  private line = 1;
  /** Set when a budget ended the machine. */
  stopped: string | null = null;
  status = 0;

  constructor(vfs: Vfs, opts: RunOptions, write: (s: string) => void) {
    this.world = new SimWorld(vfs, { seed: opts.seed ?? 1, ...(opts.cpus ? { cpus: opts.cpus } : {}) });
    registerAll(this.world.commands);
    this.world.commands.set('skbpath-trace', skbpathTrace(this.world));
    this.world.kernel.path.enabled = true;
    this.world.kernel.tracer.enabled = true;
    const out: OutStream = { write };
    this.session = new ShellSession(this.world, { scriptName: 'bash', stdout: out, stderr: out, net: this.world.initNet });
  }

  /** The shell's exit status once it has exited (`exit`), else null. */
  get exited(): number | null {
    return this.stopped !== null ? 124 : this.session.exited;
  }

  /** Runs text (a script, or a line typed at the prompt) to completion; the clock goes on. */
  run(text: string, last = false): number {
    if (this.exited !== null) return this.exited;
    const sim = this.world.sim;
    const task = sim.sched.spawn('bash', this.session.run(text, { firstLine: this.line, last }));
    this.line += text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    try {
      sim.runTask(task);
      this.status = task.exitStatus;
      // what is due now runs before the prompt comes back (a background tcpdump prints what it saw)
      const now = sim.now;
      sim.runUntil(() => sim.events.peekTime() > now);
    } catch (e) {
      const budget =
        e instanceof BudgetExceeded ? e : MemoryBudget.isEngineLimit(e) ? sim.mem.exceeded('one value grew past the engine limit') : null;
      if (!budget) throw e;
      this.stopped = budget.message;
      this.status = 124;
    }
    return this.status;
  }
}

function loadHistory(file: string): string[] {
  try {
    return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE) : [];
  } catch {
    return [];
  }
}

export async function shellCli(script: string | undefined, opts: RunOptions, deps: ShellDeps): Promise<number> {
  const text = script !== undefined ? deps.readScript(script) : null;
  const output = deps.output ?? process.stdout;
  const input = deps.input ?? process.stdin;
  const terminal = (input as { isTTY?: boolean }).isTTY === true && (output as { isTTY?: boolean }).isTTY === true;
  const m = new InteractiveMachine(deps.makeVfs(process.cwd()), { ...opts, onProgress: undefined } as RunOptions, (s) => output.write(s));
  if (text !== null) m.run(text);
  if (m.stopped) {
    process.stderr.write(`${m.stopped}\n`);
    return 124;
  }
  if (m.exited !== null) return m.exited;
  const histFile = join(homedir(), HISTORY_FILE);
  const rl = createInterface({
    input,
    output,
    terminal,
    ...(terminal ? { history: loadHistory(histFile), historySize: HISTORY_SIZE, removeHistoryDuplicates: true } : {}),
  });
  if (terminal) output.write(`skbpath shell: ${script ?? 'an empty machine'}; Ctrl-D or exit leaves\n`);
  rl.setPrompt(PROMPT);
  if (terminal) rl.prompt();
  let pending = '';
  for await (const line of rl) {
    pending += `${line}\n`;
    if (incomplete(pending)) {
      rl.setPrompt(PROMPT2);
      if (terminal) rl.prompt();
      continue;
    }
    const cmd = pending;
    pending = '';
    rl.setPrompt(PROMPT);
    m.run(cmd);
    if (m.stopped) {
      process.stderr.write(`${m.stopped}\n`);
      break;
    }
    if (m.exited !== null) break;
    if (terminal) rl.prompt();
  }
  // end of input: as bash at EOF, the EXIT trap runs
  if (m.exited === null && !m.stopped) m.run('', true);
  rl.close();
  if (terminal) {
    try {
      const h = (rl as unknown as { history?: string[] }).history ?? [];
      writeFileSync(histFile, `${[...h].reverse().join('\n')}\n`);
    } catch {
      // no history file: nothing lost but the history
    }
  }
  return m.exited ?? m.status;
}
