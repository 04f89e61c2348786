// `--artifacts DIR`, written whole or not at all. Before the run DIR is
// checked (a directory that is new, empty, or holds only what an earlier
// skbpath run wrote there) and a hidden sibling `.DIR.skbpath-tmp-PID` is
// made, so a bad DIR fails at once in one line. After the run every file goes
// into the sibling, then `complete` (the list of files, written last), then
// the sibling is renamed to DIR (the previous set, if any, moved aside first
// and removed). A run killed at any point leaves DIR as the previous complete
// set or absent, never partial; leftover siblings of dead runs are removed by
// the next run.
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const MARKER = 'complete';
const MARKER_HEAD = 'skbpath artifacts: complete\n';

/** A problem with DIR, reported in one line (exit 2 before the run, 1 when writing fails after it). */
export class ArtifactsError extends Error {}

const ERRNO: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EISDIR: 'Is a directory',
  ENAMETOOLONG: 'File name too long',
  ELOOP: 'Too many levels of symbolic links',
  EINVAL: 'Invalid argument',
  EIO: 'Input/output error',
  EMLINK: 'Too many links',
};

export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return ERRNO[code] ?? (code || String((e as Error).message ?? e));
}

function kindOf(p: string, shown: string): 'dir' | 'link' | 'other' | null {
  try {
    const st = lstatSync(p);
    return st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ArtifactsError(`--artifacts ${shown}: ${strerror(e)}`);
  }
}

/** Every file under dir, relative, sorted. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const ent of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

/** The files a `complete` marker lists, or null if DIR has none (or it is not ours). */
function manifest(dir: string): Set<string> | null {
  let text: string;
  try {
    text = readFileSync(join(dir, MARKER), 'utf8');
  } catch {
    return null;
  }
  if (!text.startsWith(MARKER_HEAD)) return null;
  const files = new Set<string>();
  for (const line of text.slice(MARKER_HEAD.length).split('\n')) {
    const m = /^\d+ (.+)$/.exec(line);
    if (m) files.add(m[1] as string);
  }
  return files;
}

/** `mkdir -p` one level at a time (Node's recursive mkdir loops forever on /proc: ENOENT, then EEXIST for the parent). */
function mkdirParents(dir: string, shown: string): void {
  const missing: string[] = [];
  let p = dir;
  for (;;) {
    const k = kindOf(p, shown);
    if (k === 'dir') break;
    if (k === 'link') {
      // a link to a directory is fine as a parent
      try {
        readdirSync(p);
        break;
      } catch (e) {
        throw new ArtifactsError(`--artifacts ${shown}: ${p}: ${strerror(e)}`);
      }
    }
    if (k === 'other') throw new ArtifactsError(`--artifacts ${shown}: ${p}: Not a directory`);
    missing.push(p);
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new ArtifactsError(`--artifacts ${shown}: cannot create directory ${m}: ${strerror(e)}`);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ArtifactsTarget {
  /** DIR as resolved. */
  readonly dir: string;
  /** The hidden sibling the files are written to. */
  readonly tmp: string;
  /** What the user typed, for messages. */
  readonly shown: string;
}

/** Checks DIR and makes the temporary sibling; throws ArtifactsError with the one line to print. */
export function prepareArtifacts(shown: string, cwd: string = process.cwd()): ArtifactsTarget {
  const dir = resolve(cwd, shown);
  const parent = dirname(dir);
  const base = basename(dir);
  if (base === '' || dir === parent) throw new ArtifactsError(`--artifacts ${shown}: cannot replace the root directory`);
  const k = kindOf(dir, shown);
  if (k === 'link') throw new ArtifactsError(`--artifacts ${shown}: is a symbolic link; give a directory`);
  if (k === 'other') throw new ArtifactsError(`--artifacts ${shown}: Not a directory`);
  if (k === 'dir') {
    let files: string[];
    try {
      files = listFiles(dir);
    } catch (e) {
      throw new ArtifactsError(`--artifacts ${shown}: ${strerror(e)}`);
    }
    const ours = manifest(dir);
    const foreign = files.filter((f) => f !== MARKER && !ours?.has(f));
    if (foreign.length) {
      throw new ArtifactsError(
        `--artifacts ${shown}: holds files skbpath did not write (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); give a new or empty directory`,
      );
    }
  }
  mkdirParents(parent, shown);
  // leftovers of runs that were killed
  const stale = new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.skbpath-(?:tmp|old)-(\\d+)$`);
  try {
    for (const n of readdirSync(parent)) {
      const m = stale.exec(n);
      if (m && !alive(Number(m[1]))) rmSync(join(parent, n), { recursive: true, force: true });
    }
  } catch {
    // an unreadable parent shows up below, when the sibling cannot be made
  }
  const tmp = join(parent, `.${base}.skbpath-tmp-${process.pid}`);
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp);
  } catch (e) {
    throw new ArtifactsError(`--artifacts ${shown}: cannot create a directory in ${parent}: ${strerror(e)}`);
  }
  return { dir, tmp, shown };
}

/** Removes the temporary sibling (a run that ends before writing). */
export function abandonArtifacts(t: ArtifactsTarget): void {
  rmSync(t.tmp, { recursive: true, force: true });
}

function writeWhole(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.byteLength) off += writeSync(fd, buf, off, buf.byteLength - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Test hook: SKBPATH_TEST_ARTIFACT_DELAY_MS slows the write phase so a test can kill a run in the middle of it. */
function testDelay(): void {
  const ms = Number(process.env['SKBPATH_TEST_ARTIFACT_DELAY_MS'] ?? 0);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Writes the files, the marker, and puts the set in place; throws ArtifactsError. */
export function commitArtifacts(t: ArtifactsTarget, files: ReadonlyMap<string, string | Uint8Array>): void {
  const made = new Set<string>();
  let manifestText = MARKER_HEAD;
  try {
    for (const [name, data] of [...files].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const p = join(t.tmp, name);
      const d = dirname(p);
      if (!made.has(d)) {
        mkdirSync(d, { recursive: true }); // inside our own fresh directory: no /proc here
        made.add(d);
      }
      writeWhole(p, data);
      manifestText += `${typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength} ${name}\n`;
      testDelay();
    }
    writeWhole(join(t.tmp, MARKER), manifestText);
  } catch (e) {
    abandonArtifacts(t);
    throw new ArtifactsError(`--artifacts ${t.shown}: writing failed: ${strerror(e)}`);
  }
  const old = join(dirname(t.dir), `.${basename(t.dir)}.skbpath-old-${process.pid}`);
  let moved = false;
  try {
    if (kindOf(t.dir, t.shown) === 'dir') {
      renameSync(t.dir, old);
      moved = true;
    }
    testDelay();
    renameSync(t.tmp, t.dir);
  } catch (e) {
    if (moved) {
      try {
        renameSync(old, t.dir);
      } catch {
        // left as the hidden sibling; the next run removes it
      }
    }
    abandonArtifacts(t);
    throw new ArtifactsError(`--artifacts ${t.shown}: cannot put the artifacts in place: ${strerror(e)}`);
  }
  if (moved) rmSync(old, { recursive: true, force: true });
}
