// The skbpath command line (Node): run a scenario, print its transcript,
// write the oracle's artifact layout.
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  realpathSync,
  writeFileSync,
  existsSync,
  statSync,
} from 'node:fs';
import { dirname, join, resolve, relative, isAbsolute, sep } from 'node:path';
import { runScenario } from '../machine/run.ts';
import {
  dropCounters,
  dropJson,
  FilterError,
  formatDrops,
  formatPath,
  pathJson,
  type PathFilter,
  selectPath,
} from '../machine/path_report.ts';
import { cPath, FILE_ERRNO_TEXT, utf8Encode } from '../userspace/fileio.ts';
import type { OpenErrno, Vfs, WriteErrno } from '../userspace/proc.ts';
import { tcpdumpOffline } from '../userspace/tools/tcpdump.ts';
import { uiCli } from './ui_cli.ts';

const USAGE = `usage: skbpath run SCRIPT.sh [--artifacts DIR] [--seed N] [--cpus N]
       skbpath trace SCRIPT.sh [--filter PCAP-EXPR] [--netns NS] [--dev DEV] [--func REGEX] [--json] [--format ftrace] [--seed N] [--cpus N]
       skbpath drops SCRIPT.sh [--json] [--seed N] [--cpus N]
       skbpath tcpdump [-d|-dd|-ddd] [-r FILE] [-w FILE] [OPTIONS] [EXPRESSION]
       skbpath ui [SCRIPT.sh] [--port N] [--seed N]
`;

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

function main(argv: string[]): number {
  const [cmd, ...rest] = argv;
  if (cmd === 'tcpdump') return tcpdumpCli(rest);
  if (cmd === 'trace' || cmd === 'drops') return pathCli(cmd, rest);
  if (cmd === 'ui') return uiCli(rest, USAGE, (dir) => new DirVfs(dir));
  if (cmd !== 'run') {
    process.stderr.write(USAGE);
    return 2;
  }
  let script: string | undefined;
  let artifacts: string | undefined;
  let seed = 1;
  let cpus: number | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--artifacts') artifacts = rest[++i];
    else if (a === '--cpus') {
      const n = parseCpus(rest[++i]);
      if (n === null) return 2;
      cpus = n;
    } else if (a === '--seed') {
      const v = rest[++i];
      if (v === undefined || !/^\d+$/.test(v)) {
        process.stderr.write(`skbpath: --seed needs a non-negative integer\n`);
        return 2;
      }
      seed = Number(v);
    } else if (!script) script = a;
    else {
      process.stderr.write(USAGE);
      return 2;
    }
  }
  if (!script) {
    process.stderr.write(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(script, 'utf8');
  } catch {
    process.stderr.write(`skbpath: ${script}: No such file or directory\n`);
    return 2;
  }
  const workdir = process.cwd();
  const res = runScenario(text, new DirVfs(workdir), {
    seed,
    ...(cpus ? { cpus } : {}),
    artifacts: artifacts !== undefined,
    // text as UTF-8; a char that stands for a raw byte (cat of a binary file) as that byte
    onOutput: (s) => process.stdout.write(Buffer.from(utf8Encode(s), 'latin1')),
  });
  if (artifacts !== undefined) {
    for (const [name, data] of res.artifacts) {
      const p = join(artifacts, name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, data);
    }
  }
  if (res.error) process.stderr.write(`${res.error}\n`);
  return res.exitStatus;
}

/** The simulated machine's CPU count (`--cpus N`, 1 to 64); null after printing why not. */
function parseCpus(v: string | undefined): number | null {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 64) {
    process.stderr.write('skbpath: --cpus needs a number of CPUs from 1 to 64\n');
    return null;
  }
  return Number(v);
}

/** `skbpath tcpdump ARGS`: the offline tcpdump (-r, -w, -d) on files of the current directory. */
function tcpdumpCli(args: string[]): number {
  const vfs = new DirVfs(process.cwd());
  const hostVfs: Vfs = {
    readFile: (p) => (isAbsolute(p) ? (existsSync(p) ? readFileSync(p, 'latin1') : { errno: 'ENOENT' }) : vfs.readFile(p)),
    writeFile: (p, d, app) =>
      isAbsolute(p) ? (writeFileSync(p, d, { encoding: 'latin1', flag: app ? 'a' : 'w' }), null) : vfs.writeFile(p, d, app),
  };
  const rc = tcpdumpOffline(['tcpdump', ...args], {
    vfs: hostVfs,
    readBytes: (p) => {
      const full = resolve(process.cwd(), p);
      if (!existsSync(full) || statSync(full).isDirectory()) return null;
      const b = readFileSync(full);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  });
  if (rc === null) {
    process.stderr.write('skbpath tcpdump: live capture needs a scenario (skbpath run); use -r FILE or -d\n');
    return 1;
  }
  return rc;
}

/** `skbpath trace` and `skbpath drops`: run a scenario and report what every skb went through. */
function pathCli(cmd: 'trace' | 'drops', args: string[]): number {
  let script: string | undefined;
  let json = false;
  let ftrace = false;
  let seed = 1;
  let cpus: number | undefined;
  const f: PathFilter = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const val = (): string | undefined => args[++i];
    if (a === '--json') json = true;
    else if (a === '--format') {
      const v = val();
      if (v !== 'ftrace' && v !== 'pwru') {
        process.stderr.write(`skbpath: --format takes ftrace or pwru\n`);
        return 2;
      }
      ftrace = v === 'ftrace';
    } else if (a === '--seed' && /^\d+$/.test(args[i + 1] ?? '')) seed = Number(val());
    else if (a === '--cpus') {
      const n = parseCpus(val());
      if (n === null) return 2;
      cpus = n;
    } else if (cmd === 'trace' && (a === '--filter' || a === '--netns' || a === '--dev' || a === '--func')) {
      const v = val();
      if (v === undefined) {
        process.stderr.write(`skbpath: ${a} needs a value\n`);
        return 2;
      }
      if (a === '--filter') f.filter = v;
      else if (a === '--netns') f.netns = v;
      else if (a === '--dev') f.dev = v;
      else f.func = v;
    } else if (!script && !a.startsWith('--')) script = a;
    else {
      process.stderr.write(USAGE);
      return 2;
    }
  }
  if (!script) {
    process.stderr.write(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(script, 'utf8');
  } catch {
    process.stderr.write(`skbpath: ${script}: No such file or directory\n`);
    return 2;
  }
  const res = runScenario(text, new DirVfs(process.cwd()), { seed, ...(cpus ? { cpus } : {}), path: true });
  const events = res.world.kernel.path.events;
  if (cmd === 'drops') {
    const drops = events.filter((e) => e.kind === 'drop');
    const counters = res.world.kernel.path.counters;
    const counted = dropCounters(drops, counters);
    process.stdout.write(
      json
        ? `${drops.map((e) => JSON.stringify(dropJson(e, counted.get(e) ?? []))).join('\n')}${drops.length ? '\n' : ''}`
        : formatDrops(events, counters),
    );
    return 0;
  }
  if (ftrace) {
    for (const e of res.world.kernel.tracer.events) {
      const sec = (e.ts / 1e9 + 100).toFixed(6);
      process.stdout.write(
        `${`${e.comm}-0`.padStart(16)} [${String(e.cpu ?? 0).padStart(3, '0')}] ..... ${sec.padStart(12)}: ${e.event}: ${e.body}\n`,
      );
    }
    return 0;
  }
  let sel: ReturnType<typeof selectPath<(typeof events)[number]>>;
  try {
    sel = selectPath(events, f);
  } catch (e) {
    if (e instanceof FilterError) {
      process.stderr.write(`skbpath: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  process.stdout.write(json ? `${sel.map((e) => JSON.stringify(pathJson(e))).join('\n')}${sel.length ? '\n' : ''}` : formatPath(sel));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
