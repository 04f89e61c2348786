// A minimal World for running scripts without the kernel: an in-memory working
// directory, a command table, and a driver that runs a script to its end and
// collects what it printed. Tests use it; so can anything that wants a shell.
import { cPath } from '../userspace/fileio.ts';
import type { OpenErrno, OutStream, Vfs, World } from '../userspace/proc.ts';
import { SimWorld } from './world.ts';
import { runScript } from '../userspace/shell/interp.ts';

/**
 * The scenario's working directory in memory, with subdirectories (a write
 * into a missing one fails as open(2) does); absolute paths and `..` are refused.
 */
export class ScratchVfs implements Vfs {
  readonly files = new Map<string, string>();
  readonly dirs = new Set<string>(['.']);

  private norm(path: string): string | { errno: OpenErrno } {
    const c = cPath(path);
    if ('errno' in c) return c;
    if (c.path.startsWith('/')) return { errno: 'EACCES' };
    const parts: string[] = [];
    for (const p of c.path.split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') return { errno: 'EACCES' };
      // a file where a directory should be
      if (parts.length && this.files.has(parts.join('/'))) return { errno: 'ENOTDIR' };
      parts.push(p);
    }
    return parts.length ? parts.join('/') : '.';
  }

  readFile(path: string): string | { errno: OpenErrno } {
    const p = this.norm(path);
    if (typeof p !== 'string') return p;
    if (this.dirs.has(p)) return { errno: 'EISDIR' };
    const f = this.files.get(p);
    return f === undefined ? { errno: 'ENOENT' } : f;
  }

  writeFile(path: string, data: string, append: boolean): null | { errno: OpenErrno } {
    const p = this.norm(path);
    if (typeof p !== 'string') return p;
    if (this.dirs.has(p)) return { errno: 'EISDIR' };
    const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.';
    if (!this.dirs.has(dir)) return { errno: this.files.has(dir) ? 'ENOTDIR' : 'ENOENT' };
    this.files.set(p, (append ? (this.files.get(p) ?? '') : '') + data);
    return null;
  }
}

/** A booted world whose files live in a ScratchVfs. */
export function makeWorld(seed = 1): SimWorld & { readonly vfs: ScratchVfs } {
  return new SimWorld(new ScratchVfs(), { seed }) as SimWorld & { readonly vfs: ScratchVfs };
}

export interface ShellRun {
  stdout: string;
  stderr: string;
  /** Both streams in the order they were written (a transcript). */
  output: string;
  status: number;
  /** Virtual time when the script ended, ns. */
  endNs: number;
}

/** Runs a script to its end in the world's simulation. */
export function runShell(
  world: World,
  source: string,
  opts: { scriptName?: string; args?: string[]; stdin?: string; command?: boolean } = {},
): ShellRun {
  const res = { stdout: '', stderr: '', output: '' };
  const stdout: OutStream = {
    write(s) {
      res.stdout += s;
      res.output += s;
    },
  };
  const stderr: OutStream = {
    write(s) {
      res.stderr += s;
      res.output += s;
    },
  };
  let stdin = opts.stdin ?? null;
  const proc = runScript(world, source, {
    scriptName: opts.scriptName ?? 'script.sh',
    stdout,
    stderr,
    net: world.initNet,
    args: opts.args ?? [],
    command: opts.command ?? false,
    stdin: {
      // eslint-disable-next-line require-yield
      *read() {
        const s = stdin;
        stdin = null;
        return s === '' ? null : s;
      },
    },
  });
  const task = world.sim.sched.spawn('bash', proc);
  world.sim.runTask(task);
  return { ...res, status: task.exitStatus, endNs: world.sim.now };
}
