// Streams the shell connects processes with: pipes with EOF and broken-pipe
// state, buffered input that `read` can take one line from, files, /dev/null.
import { WaitQueue, waitOn, type Wait } from '../../sim/sched.ts';
import type { MemoryBudget } from '../../sim/memory.ts';
import { utf8Encode } from '../fileio.ts';
import type { InStream, OutStream, Vfs, WriteErrno } from '../proc.ts';
import type { Net } from '../../kernel/net_namespace.ts';

/** An output stream that can report that its reader is gone (EPIPE). */
export interface Breakable {
  readonly broken: boolean;
}

export const isBroken = (s: OutStream): boolean => (s as Partial<Breakable>).broken === true;

/**
 * A pipe. Each end counts the fd slots that hold it; the last close ends it.
 * A writer never blocks (Linux's would at 64 KiB), so what waits in the pipe
 * is charged to the memory budget until it is read.
 */
export class Pipe {
  data = '';
  readonly wq = new WaitQueue(0, 'a pipe');
  readonly reader = new PipeReader(this);
  readonly writer = new PipeWriter(this);
  constructor(readonly mem: MemoryBudget | null = null) {}
}

export class PipeWriter implements OutStream, Breakable {
  private refs = 0;
  closed = false;

  constructor(readonly pipe: Pipe) {}

  get broken(): boolean {
    return this.pipe.reader.closed;
  }

  write(s: string): void {
    if (this.closed || this.pipe.reader.closed || s === '') return;
    this.pipe.mem?.charge('pipes', s.length);
    this.pipe.data += s;
    this.pipe.wq.wakeUp();
  }

  dup(): void {
    this.refs++;
  }

  close(): void {
    if (this.refs > 0 && --this.refs === 0) {
      this.closed = true;
      this.pipe.wq.wakeUp();
    }
  }
}

export class PipeReader implements InStream {
  private refs = 0;
  closed = false;

  constructor(readonly pipe: Pipe) {}

  *read(): Generator<Wait, string | null, unknown> {
    const p = this.pipe;
    for (;;) {
      if (p.data !== '') {
        const s = p.data;
        p.data = '';
        p.mem?.uncharge('pipes', s.length);
        return s;
      }
      if (p.writer.closed) return null;
      yield waitOn(p.wq);
    }
  }

  dup(): void {
    this.refs++;
  }

  close(): void {
    if (this.refs > 0 && --this.refs === 0) {
      this.closed = true;
      this.pipe.mem?.uncharge('pipes', this.pipe.data.length);
      this.pipe.data = '';
    }
  }
}

/** A fixed text: a file read at open, a here-document, /dev/null. */
export class StringIn implements InStream {
  constructor(private s: string | null) {}

  // eslint-disable-next-line require-yield
  *read(): Generator<Wait, string | null, unknown> {
    const s = this.s;
    this.s = null;
    return s === '' ? null : s;
  }
}

/**
 * What the shell keeps on an input fd: text read past what a builtin wanted
 * (`read` takes one line) stays here for the next reader of the same fd.
 */
export class BufferedIn implements InStream {
  private pending = '';
  private eof = false;

  constructor(
    readonly inner: InStream,
    /** The size of the regular file it was opened on (`< file`), else null: wc sizes its columns by it. */
    readonly regularSize: number | null = null,
  ) {}

  *read(): Generator<Wait, string | null, unknown> {
    if (this.pending !== '') {
      const s = this.pending;
      this.pending = '';
      return s;
    }
    if (this.eof) return null;
    const s = yield* this.inner.read();
    if (s === null) this.eof = true;
    return s;
  }

  unread(s: string): void {
    this.pending = s + this.pending;
  }

  dup(): void {
    if (this.inner instanceof PipeReader) this.inner.dup();
  }

  close(): void {
    if (this.inner instanceof PipeReader) this.inner.close();
  }
}

export class NullOut implements OutStream {
  write(): void {}
}

/** A file opened for writing: every write appends (the open truncated it, or not). */
export class FileOut implements OutStream {
  /** The errno of the last write the file refused (a sysfs store()), until the writer reads it. */
  error: WriteErrno | null = null;

  constructor(
    private readonly vfs: Vfs,
    private readonly path: string,
    /** The opener's network namespace (sysfs resolves /sys/class/net in it). */
    private readonly net?: Net,
  ) {}

  write(s: string): void {
    if (s === '') return;
    const r = this.vfs.writeFile(this.path, utf8Encode(s), true, this.net);
    if (r) this.error = r.errno;
  }
}

/**
 * A process's view of an output stream: a write to a pipe whose reader is gone
 * marks the process killed by SIGPIPE, as the kernel's default action does.
 */
export class ProcOut implements OutStream, Breakable {
  constructor(
    readonly inner: OutStream,
    /** Shared by the process's output streams. */
    readonly state: { sigpipe: boolean },
  ) {}

  get broken(): boolean {
    return isBroken(this.inner);
  }

  write(s: string): void {
    if (isBroken(this.inner)) {
      this.state.sigpipe = true;
      return;
    }
    this.inner.write(s);
  }
}

/** Reads an input stream to its end. */
export function* readAll(s: InStream): Generator<Wait, string, unknown> {
  let out = '';
  for (;;) {
    const chunk = yield* s.read();
    if (chunk === null) return out;
    out += chunk;
  }
}
