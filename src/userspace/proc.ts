// What a simulated program sees: argv, three streams, the working directory's
// files, its network namespace, and a way to run other programs.
import type { Proc } from '../sim/sched.ts';
import type { Sim } from '../sim/sim.ts';
import type { Net } from '../kernel/net_namespace.ts';

export interface OutStream {
  write(s: string): void;
  /** Called once when the last holder closes it (pipes: the reader sees EOF). */
  close?(): void;
}

export interface InStream {
  /** Reads what is available, blocking in virtual time; null at end of file. */
  read(): Generator<import('../sim/sched.ts').Wait, string | null, unknown>;
}

/** Why a file could not be opened: as open(2) says it (EFBIG: larger than the engine can hold as one value). */
export type OpenErrno = 'ENOENT' | 'EACCES' | 'EISDIR' | 'ENOTDIR' | 'ENAMETOOLONG' | 'ENXIO' | 'EFBIG' | 'ELOOP' | 'EINVAL' | 'EIO';

export type WriteErrno = OpenErrno | 'EINVAL' | 'EOVERFLOW' | 'ENOMEM' | 'ERANGE' | 'EIO' | 'ENOSPC' | 'EOPNOTSUPP';

/** Files of the scenario's working directory; nothing outside it is reachable. */
export interface Vfs {
  /**
   * Returns the contents as a byte string (one char per byte; src/userspace/fileio.ts
   * turns it into text), or an errno name. `net` is the opener's network namespace,
   * for the files that depend on it (/sys/class/net). EFBIG comes with the size.
   */
  readFile(path: string, net?: Net): string | { errno: OpenErrno; size?: number };
  /**
   * The file's bytes piece by piece (64 KiB byte strings), for a Vfs that can
   * read a large file without holding it whole; readFile otherwise.
   */
  readChunks?(path: string, net?: Net): Iterable<string> | { errno: OpenErrno; size?: number };
  /**
   * Writes a byte string (text is UTF-8 encoded first). A sysfs attribute's
   * store() may refuse the data: EINVAL, EOVERFLOW, ENOMEM, ERANGE, EIO.
   */
  writeFile(path: string, data: string, append: boolean, net?: Net): null | { errno: WriteErrno };
  /** readdir(3) of a directory: its entries' names (the run's /etc has one; the scenario's directory need not). */
  readDir?(path: string, net?: Net): string[] | { errno: OpenErrno };
}

/** The host-side world every program shares. */
export interface World {
  readonly sim: Sim;
  readonly vfs: Vfs;
  /** Network namespaces by name (`ip netns add`); the initial one is `init_net`. */
  readonly netns: Map<string, Net>;
  readonly initNet: Net;
  /** Creates a namespace (as `ip netns add` does). */
  createNet(name: string): Net;
  /** Programs on $PATH, by name. */
  readonly commands: Map<string, Command>;
}

export interface ProcCtx {
  readonly world: World;
  readonly argv: readonly string[];
  readonly stdin: InStream;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  /** The network namespace the process runs in. */
  readonly net: Net;
  /** Exported environment. */
  readonly env: ReadonlyMap<string, string>;
  /**
   * Runs another program as a child with the same streams (optionally in another
   * namespace); null when no such program exists.
   */
  exec(argv: readonly string[], opts?: { net?: Net }): Proc | null;
}

export type Command = (ctx: ProcCtx) => Proc;
