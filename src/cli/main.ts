// The skbpath command line (Node): run a scenario, print its transcript,
// write the oracle's artifact layout. The options are the tables of
// options.ts; every user mistake is one line and exit 2.
import {
  closeSync,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { PathEvent } from '../kernel/trace/probe.ts';
import {
  dropCounters,
  dropJson,
  FilterError,
  formatDrops,
  formatPath,
  type PathFilter,
  pathJson,
  ruleHits,
  selectDrops,
  selectPath,
} from '../machine/path_report.ts';
import { type RunOptions, type RunResult, runScenario } from '../machine/run.ts';
import { cPath, FILE_ERRNO_TEXT, utf8Encode } from '../userspace/fileio.ts';
import type { OpenErrno, Vfs, WriteErrno } from '../userspace/proc.ts';
import { compileFilter } from '../userspace/tcpdump/compile.ts';
import type { ByteSource } from '../wire/pcapng.ts';
import { nftRuleResolver } from '../userspace/tools/nft/monitor.ts';
import { tcpdumpOffline } from '../userspace/tools/tcpdump.ts';
import { type OptValue, type Parsed, parseArgs, UsageError } from './args.ts';
import { ArtifactsError, abandonArtifacts, commitArtifacts, prepareArtifacts, strerror } from './artifacts.ts';
import { bashCompletion, zshCompletion } from './completion.ts';
import { commandHelp, mainHelp, usage } from './options.ts';
import { clearProgress, progressReporter } from './progress.ts';
import { shellCli } from './shell.ts';
import { uiCli } from './ui_cli.ts';

declare const SKBPATH_VERSION: string | undefined;

/** package.json's version: bundled by scripts/build.mjs, read from the repository when run from source. */
export function version(): string {
  if (typeof SKBPATH_VERSION === 'string') return SKBPATH_VERSION;
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The path exists as a name (a dangling symbolic link counts). */
function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function inside(root: string, full: string): boolean {
  const rel = relative(root, full);
  // '..foo' is a name inside; only '..' itself leads out
  return !(rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** A host error of a file operation as the errno the Vfs reports; anything else is rethrown. */
function hostErrno(e: unknown): { errno: WriteErrno } {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code in FILE_ERRNO_TEXT && code !== 'ENOMEM') return { errno: code as WriteErrno };
  throw e;
}

/** Past this a file cannot be one string (V8 holds at most 2^29 - 24 chars). */
const READ_LIMIT = 512 * 1024 * 1024 - 64;

/** The scenario's working directory on the host; nothing outside it is reachable, by path or by symbolic link. */
export class DirVfs implements Vfs {
  constructor(private readonly root: string) {}

  private path(p: string): string | null {
    if (isAbsolute(p)) return null;
    const full = resolve(this.root, p);
    if (!inside(this.root, full)) return null;
    // a symbolic link must not lead out either: check where the longest existing prefix really is
    let probe = full;
    while (!lexists(probe) && probe !== this.root) probe = dirname(probe);
    try {
      if (!inside(realpathSync(this.root), realpathSync(probe))) return null;
    } catch {
      return null;
    }
    return full;
  }

  readFile(p: string): string | { errno: OpenErrno; size?: number } {
    const c = cPath(p);
    if ('errno' in c) return c;
    const full = this.path(c.path);
    if (!full) return { errno: 'EACCES' };
    try {
      const st = statSync(full);
      if (st.isDirectory()) return { errno: 'EISDIR' };
      // a FIFO, socket or device: refused as open(2) refuses a socket (a FIFO's writer is not simulated)
      if (!st.isFile()) return { errno: 'ENXIO' };
      // past the engine's string limit: the caller ends the run at the memory budget
      if (st.size > READ_LIMIT) return { errno: 'EFBIG', size: st.size };
      return readFileSync(full, 'latin1');
    } catch (e) {
      return hostErrno(e) as { errno: OpenErrno };
    }
  }

  readChunks(p: string): Iterable<string> | { errno: OpenErrno } {
    const c = cPath(p);
    if ('errno' in c) return c;
    const full = this.path(c.path);
    if (!full) return { errno: 'EACCES' };
    try {
      const st = statSync(full);
      if (st.isDirectory()) return { errno: 'EISDIR' };
      if (!st.isFile()) return { errno: 'ENXIO' };
    } catch (e) {
      return hostErrno(e) as { errno: OpenErrno };
    }
    // opened when the first piece is read, closed after the last (or when the reader stops)
    return (function* (): Generator<string> {
      const fd = openSync(full, 'r');
      try {
        const buf = Buffer.alloc(65536);
        for (;;) {
          const n = readSync(fd, buf, 0, buf.length, null);
          if (n === 0) return;
          yield buf.toString('latin1', 0, n);
        }
      } finally {
        closeSync(fd);
      }
    })();
  }

  writeFile(p: string, data: string, append: boolean): null | { errno: WriteErrno } {
    const c = cPath(p);
    if ('errno' in c) return c;
    const full = this.path(c.path);
    if (!full) return { errno: 'EACCES' };
    try {
      if (existsSync(full)) {
        const st = statSync(full);
        if (st.isDirectory()) return { errno: 'EISDIR' };
        if (!st.isFile()) return { errno: 'ENXIO' };
      }
      writeFileSync(full, data, { encoding: 'latin1', flag: append ? 'a' : 'w' });
      return null;
    } catch (e) {
      return hostErrno(e);
    }
  }
}

/** One line naming a mistake; the caller exits 2. */
class Mistake extends Error {}

/** stdout, closed quietly when the reader goes away (`skbpath trace … | head`). */
export const out = (s: string): void => {
  clearProgress();
  // text as UTF-8; a char that stands for a raw byte (cat of a binary file) as that byte
  if (!stdoutGone) process.stdout.write(Buffer.from(utf8Encode(s), 'latin1'));
};
let stdoutGone = false;

/** Exit status of a process killed by SIGPIPE, as a shell shows it (128 + 13): what a C tool piped into `head` reports. */
export const EXIT_SIGPIPE = 141;

function quietOnEpipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') {
      stdoutGone = true;
      process.exit(EXIT_SIGPIPE);
    }
    throw e;
  });
}

function readScript(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Mistake(`${path}: ${strerror(e)}`);
  }
}

/** The run options every scenario command shares. */
function runOptions(o: Record<string, OptValue>): RunOptions {
  const r: RunOptions = {
    seed: (o['seed'] as number | undefined) ?? 1,
    // the real process's clock and RSS, for the wall-clock and memory budgets
    host: { now: () => performance.now(), rss: () => process.memoryUsage.rss() },
    debug: process.env['SKBPATH_DEBUG'] === '1',
  };
  if (o['cpus'] !== undefined) r.cpus = o['cpus'] as number;
  if (o['maxWallSeconds'] !== undefined) r.maxWallSeconds = o['maxWallSeconds'] as number;
  if (o['maxMemoryBytes'] !== undefined) r.maxMemoryBytes = o['maxMemoryBytes'] as number;
  const progress = progressReporter();
  if (progress) r.onProgress = progress.update;
  return r;
}

/** `--workdir DIR`: an existing directory, else the current one. */
function workdirOf(o: Record<string, OptValue>): string {
  const dir = o['workdir'] as string | undefined;
  if (dir === undefined) return process.cwd();
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch (e) {
    throw new Mistake(`--workdir ${dir}: ${strerror(e)}`);
  }
  if (!st.isDirectory()) throw new Mistake(`--workdir ${dir}: Not a directory`);
  return resolve(dir);
}

function scenario(text: string, opts: RunOptions, workdir: string): RunResult {
  try {
    return runScenario(text, new DirVfs(workdir), opts);
  } finally {
    if (opts.onProgress) progressReporter()?.done();
  }
}

function runCli(p: Parsed): number {
  const script = p.args[0] as string;
  const text = readScript(script);
  const workdir = workdirOf(p.opts);
  const dir = p.opts['artifacts'] as string | undefined;
  let target: ReturnType<typeof prepareArtifacts> | null = null;
  if (dir !== undefined) {
    try {
      target = prepareArtifacts(dir);
    } catch (e) {
      if (e instanceof ArtifactsError) throw new Mistake(e.message);
      throw e;
    }
  }
  let res: RunResult;
  try {
    res = scenario(text, { ...runOptions(p.opts), artifacts: target !== null, onOutput: out }, workdir);
  } catch (e) {
    if (target) abandonArtifacts(target);
    throw e;
  }
  if (target) {
    try {
      commitArtifacts(target, res.artifacts);
    } catch (e) {
      if (!(e instanceof ArtifactsError)) throw e;
      if (res.error) process.stderr.write(`${res.error}\n`);
      process.stderr.write(`skbpath: ${e.message}\n`);
      return 1;
    }
  }
  if (res.error) process.stderr.write(`${res.error}\n`);
  return res.exitStatus;
}

/** The names a --netns/--dev may take: every namespace and device the run had, with those packets crossed. */
function checkNames(res: RunResult, events: readonly PathEvent[], f: PathFilter): void {
  const world = res.world;
  if (f.netns !== undefined) {
    const names = new Set<string>(['init_net', ...world.netns.keys()]);
    for (const e of events) names.add(e.netns);
    if (!names.has(f.netns))
      throw new Mistake(`--netns ${f.netns}: no namespace '${f.netns}' existed; there were: ${[...names].join(', ')}`);
  }
  if (f.dev !== undefined) {
    const devs = new Set<string>();
    for (const net of [world.initNet, ...world.netns.values()]) {
      if (f.netns !== undefined && net.name !== f.netns && world.netns.get(f.netns) !== net) continue;
      for (const d of net.devices) devs.add(d.name);
    }
    for (const e of events) if (e.dev && (f.netns === undefined || e.netns === f.netns)) devs.add(e.dev);
    if (!devs.has(f.dev)) {
      const where = f.netns !== undefined ? ` in namespace '${f.netns}'` : '';
      throw new Mistake(`--dev ${f.dev}: no device '${f.dev}' existed${where}; there were: ${[...devs].sort().join(', ')}`);
    }
  }
}

/** `skbpath trace` and `skbpath drops`: run a scenario and report what every skb went through. */
function pathCli(p: Parsed): number {
  const o = p.opts;
  const text = readScript(p.args[0] as string);
  const f: PathFilter = {};
  if (o['filter'] !== undefined) {
    f.filter = o['filter'] as string;
    try {
      compileFilter(f.filter); // a bad expression is refused before the run
    } catch (e) {
      if (e instanceof FilterError) throw new Mistake(`--filter: ${e.message}`);
      throw e;
    }
  }
  if (o['netns'] !== undefined) f.netns = o['netns'] as string;
  if (o['dev'] !== undefined) f.dev = o['dev'] as string;
  if (o['func'] !== undefined) f.func = (o['func'] as RegExp).source;
  const json = o['json'] === true;
  if (o['format'] === 'ftrace') {
    const other = ['filter', 'dev', 'func', 'json'].find((k) => o[k] !== undefined);
    if (other) throw new Mistake(`--format ftrace prints the tracepoints as they are; it takes --netns, not --${other}`);
  }
  const res = scenario(text, { ...runOptions(o), path: true }, workdirOf(o));
  if (res.error) process.stderr.write(`${res.error}\n`);
  // a budget (124) or an internal error (70) is the run's status; the report covers what ran
  const status = res.error ? res.exitStatus : 0;
  const events = res.world.kernel.path.events;
  checkNames(res, events, f);
  // the nft rule behind a verdict, as `nft list` prints it (the ruleset as the run left it)
  const nftRule = nftRuleResolver((ns) => (ns === 'init_net' ? res.world.initNet : res.world.netns.get(ns)));
  if (p.cmd.name === 'drops') {
    const sel = f.filter !== undefined || f.netns !== undefined || f.dev !== undefined ? selectPath(events, f) : events;
    const reason = o['reason'] as string | undefined;
    const counters = res.world.kernel.path.counters;
    if (json) {
      const drops = selectDrops(sel, reason);
      const counted = dropCounters(drops, counters);
      const hits = ruleHits(events);
      const rule = (e: PathEvent): string | undefined => {
        const h = hits.get(e);
        return h && nftRule(h);
      };
      out(`${drops.map((e) => JSON.stringify(dropJson(e, counted.get(e) ?? [], rule))).join('\n')}${drops.length ? '\n' : ''}`);
    } else out(formatDrops(sel, counters, reason, nftRule));
    return status;
  }
  if (o['format'] === 'ftrace') {
    let s = '';
    for (const e of res.world.kernel.tracer.events) {
      if (f.netns !== undefined && e.netns !== f.netns) continue;
      const sec = (e.ts / 1e9 + 100).toFixed(6);
      s += `${`${e.comm}-${e.pid ?? 0}`.padStart(16)} [${String(e.cpu ?? 0).padStart(3, '0')}] ..... ${sec.padStart(12)}: ${e.event}: ${e.body}\n`;
    }
    out(s);
    return status;
  }
  const sel = selectPath(events, f);
  out(json ? `${sel.map((e) => JSON.stringify(pathJson(e))).join('\n')}${sel.length ? '\n' : ''}` : formatPath(sel, nftRule));
  return status;
}

/** A savefile read in windows of a few MiB, so a file of any size streams (readFileSync stops at 2 GiB). */
function fileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  const length = fstatSync(fd).size;
  let store = new Uint8Array(0);
  let buf = store;
  let at = 0;
  return {
    length,
    get(off, len) {
      const end = Math.min(off + len, length);
      if (off < at || end > at + buf.length) {
        const want = Math.max(end - off, 4 * 1024 * 1024);
        if (store.length < want) store = new Uint8Array(want);
        at = off;
        const n = readSync(fd, store, 0, Math.min(store.length, length - off), off);
        buf = store.subarray(0, n);
      }
      return buf.subarray(off - at, end - at);
    },
  };
}

/** `skbpath tcpdump ARGS`: the offline tcpdump (-r, -w, -d) on files of the current directory. */
function tcpdumpCli(args: string[]): number {
  const vfs = new DirVfs(process.cwd());
  const hostVfs: Vfs = {
    readFile: (p) => (isAbsolute(p) ? (existsSync(p) ? readFileSync(p, 'latin1') : { errno: 'ENOENT' }) : vfs.readFile(p)),
    writeFile: (p, d, app) => {
      if (!isAbsolute(p)) return vfs.writeFile(p, d, app);
      try {
        writeFileSync(p, d, { encoding: 'latin1', flag: app ? 'a' : 'w' });
        return null;
      } catch (e) {
        return { errno: ((e as NodeJS.ErrnoException).code ?? 'EIO') as WriteErrno };
      }
    },
  };
  const rc = tcpdumpOffline(['tcpdump', ...args], {
    vfs: hostVfs,
    readBytes: (p) => {
      const full = resolve(process.cwd(), p);
      if (!existsSync(full) || statSync(full).isDirectory()) return null;
      return fileSource(full);
    },
    out,
    err: (s) => process.stderr.write(s),
  });
  if (rc === null) {
    process.stderr.write('skbpath tcpdump: live capture needs a scenario (skbpath run); use -r FILE or -d\n');
    return 1;
  }
  return rc;
}

/** Runs the command line; the exit status, or a Promise of it for the commands that keep running (shell, ui). */
export function main(argv: string[]): number | Promise<number> {
  let p: ReturnType<typeof parseArgs>;
  try {
    p = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (argv.length === 0) process.stderr.write(usage());
    else process.stderr.write(`skbpath: ${e.message}\n${e.hint ? `Try 'skbpath${e.cmd ? ` ${e.cmd}` : ''} --help'.\n` : ''}`);
    return 2;
  }
  if (p === 'help') {
    out(mainHelp(version()));
    return 0;
  }
  if (p === 'version') {
    out(`skbpath ${version()}\n`);
    return 0;
  }
  if (p.help) {
    out(commandHelp(p.cmd));
    return 0;
  }
  try {
    switch (p.cmd.name) {
      case 'run':
        return runCli(p);
      case 'trace':
      case 'drops':
        return pathCli(p);
      case 'tcpdump':
        return tcpdumpCli(p.args);
      case 'ui':
        return uiCli(p.args[0], p.opts, (dir) => new DirVfs(dir));
      case 'shell':
        return shellCli(p.args[0], runOptions(p.opts), { makeVfs: (dir) => new DirVfs(dir), readScript });
      case 'completion': {
        const sh = p.args[0];
        if (sh === 'bash') out(bashCompletion());
        else if (sh === 'zsh') out(zshCompletion());
        else throw new Mistake(`completion: no completion for '${sh}'; bash and zsh have one`);
        return 0;
      }
      default:
        throw new Error(`no handler for ${p.cmd.name}`);
    }
  } catch (e) {
    if (e instanceof Mistake) {
      process.stderr.write(`skbpath: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** An exception nobody expected: one line (the stack with SKBPATH_DEBUG=1) and exit 70. */
function internalError(e: unknown): number {
  const what = e instanceof Error ? e.message : String(e);
  process.stderr.write(`skbpath: internal error: ${what}\n`);
  if (process.env['SKBPATH_DEBUG'] === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  else process.stderr.write('skbpath: this is a bug in skbpath; please report it with the command line (SKBPATH_DEBUG=1 shows where)\n');
  return 70;
}

function start(): void {
  quietOnEpipe();
  let r: number | Promise<number>;
  try {
    r = main(process.argv.slice(2));
  } catch (e) {
    process.exitCode = internalError(e);
    return;
  }
  if (typeof r === 'number') process.exitCode = r;
  else
    r.then(
      (n) => {
        process.exitCode = n;
      },
      (e) => {
        process.exitCode = internalError(e);
      },
    );
}

start();
