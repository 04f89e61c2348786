// test / [ (builtins/test.def): POSIX's rules by argument count, then a
// precedence parser for longer expressions. Status 0 true, 1 false, 2 error.

export interface TestEnv {
  /** 'file', 'dir', or null when the path does not exist. */
  stat(path: string): { kind: 'file' | 'dir' | 'char'; size: number } | null;
  isSet(name: string): boolean;
  option(name: string): boolean | null;
}

export class TestError extends Error {}

const UNARY = new Set([
  '-a',
  '-b',
  '-c',
  '-d',
  '-e',
  '-f',
  '-g',
  '-h',
  '-k',
  '-p',
  '-r',
  '-s',
  '-t',
  '-u',
  '-w',
  '-x',
  '-G',
  '-L',
  '-N',
  '-O',
  '-S',
  '-z',
  '-n',
  '-o',
  '-v',
  '-R',
]);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

function int(s: string): bigint {
  const m = /^\s*([+-]?\d+)\s*$/.exec(s);
  if (!m) throw new TestError(`${s}: integer expression expected`);
  return BigInt(m[1] as string);
}

function unary(op: string, a: string, env: TestEnv): boolean {
  switch (op) {
    case '-z':
      return a === '';
    case '-n':
      return a !== '';
    case '-v':
      return env.isSet(a);
    case '-o':
      return env.option(a) === true;
    case '-t':
      return false;
  }
  const st = env.stat(a);
  switch (op) {
    case '-e':
    case '-a':
      return st !== null;
    case '-f':
      return st?.kind === 'file';
    case '-d':
      return st?.kind === 'dir';
    case '-c':
      return st?.kind === 'char';
    case '-s':
      return st !== null && (st.kind === 'dir' || st.size > 0);
    case '-r':
    case '-w':
      return st !== null;
    case '-x':
      return st?.kind === 'dir';
    default:
      return false;
  }
}

function binary(op: string, a: string, b: string): boolean {
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '-eq':
      return int(a) === int(b);
    case '-ne':
      return int(a) !== int(b);
    case '-lt':
      return int(a) < int(b);
    case '-le':
      return int(a) <= int(b);
    case '-gt':
      return int(a) > int(b);
    case '-ge':
      return int(a) >= int(b);
    default:
      return false;
  }
}

class Parser {
  private i = 0;

  constructor(
    private readonly args: readonly string[],
    private readonly env: TestEnv,
  ) {}

  private peek(o = 0): string | undefined {
    return this.args[this.i + o];
  }

  run(): boolean {
    const v = this.or();
    if (this.i < this.args.length) throw new TestError('too many arguments');
    return v;
  }

  private or(): boolean {
    let v = this.and();
    while (this.peek() === '-o') {
      this.i++;
      const r = this.and();
      v = v || r;
    }
    return v;
  }

  private and(): boolean {
    let v = this.not();
    while (this.peek() === '-a') {
      this.i++;
      const r = this.not();
      v = v && r;
    }
    return v;
  }

  private not(): boolean {
    if (this.peek() === '!') {
      this.i++;
      return !this.not();
    }
    return this.primary();
  }

  private primary(): boolean {
    const a = this.peek();
    if (a === undefined) throw new TestError('argument expected');
    if (a === '(') {
      this.i++;
      const v = this.or();
      if (this.peek() !== ')') throw new TestError("`)' expected");
      this.i++;
      return v;
    }
    const b = this.peek(1);
    if (b !== undefined && BINARY.has(b) && this.peek(2) !== undefined) {
      this.i += 3;
      return binary(b, a, this.args[this.i - 1] as string);
    }
    if (UNARY.has(a)) {
      if (b === undefined) throw new TestError(`${a}: unary operator expected`);
      this.i += 2;
      return unary(a, b, this.env);
    }
    this.i++;
    return a !== '';
  }
}

function byCount(args: readonly string[], env: TestEnv): boolean {
  const [a, b, c, d] = args;
  switch (args.length) {
    case 0:
      return false;
    case 1:
      return a !== '';
    case 2:
      if (a === '!') return !byCount([b as string], env);
      if (UNARY.has(a as string)) return unary(a as string, b as string, env);
      throw new TestError(`${a}: unary operator expected`);
    case 3:
      if (BINARY.has(b as string)) return binary(b as string, a as string, c as string);
      if (b === '-a') return a !== '' && c !== '';
      if (b === '-o') return a !== '' || c !== '';
      if (a === '!') return !byCount([b as string, c as string], env);
      if (a === '(' && c === ')') return b !== '';
      throw new TestError(`${b}: binary operator expected`);
    case 4:
      if (a === '!') return !byCount([b as string, c as string, d as string], env);
      if (a === '(' && d === ')') return byCount([b as string, c as string], env);
      return new Parser(args, env).run();
    default:
      return new Parser(args, env).run();
  }
}

/** Evaluates test's arguments (without the closing `]`). */
export function evalTest(args: readonly string[], env: TestEnv): { status: number; error: string | null } {
  try {
    return { status: byCount(args, env) ? 0 : 1, error: null };
  } catch (e) {
    if (e instanceof TestError) return { status: 2, error: e.message };
    throw e;
  }
}
