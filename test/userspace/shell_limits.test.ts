// Issue 24, the shell and file parts: inputs that used to end the run with a
// JavaScript stack trace or print a wrong result end as bash does, or at the
// memory budget with its message. (What bash itself prints for each is in
// shell-bash.cases.ts: 'arith recursion', 'deep arithmetic', 'file errors' …)
import { describe, expect, it } from 'vitest';
import { MemVfs, SimWorld } from '../../src/machine/world.ts';
import { makeWorld, runShell, ScratchVfs } from '../../src/machine/memworld.ts';
import { BudgetExceeded, DEFAULT_BUDGET } from '../../src/sim/sim.ts';
import { registerCoreutils } from '../../src/userspace/coreutils.ts';
import { Utf8Stream, utf8Decode, utf8Encode, utf8Length } from '../../src/userspace/fileio.ts';

function world(memory?: number): SimWorld & { readonly vfs: ScratchVfs } {
  const w = memory
    ? (new SimWorld(new ScratchVfs(), { budget: { ...DEFAULT_BUDGET, maxMemoryBytes: memory } }) as SimWorld & { readonly vfs: ScratchVfs })
    : makeWorld();
  registerCoreutils(w.commands);
  return w;
}

function run(script: string, memory?: number) {
  return runShell(world(memory), script);
}

/** The budget error a run ends with. */
function budgetError(script: string, memory?: number, files: Record<string, string> = {}): BudgetExceeded {
  const w = world(memory);
  for (const [k, v] of Object.entries(files)) w.vfs.files.set(k, v);
  try {
    runShell(w, script);
  } catch (e) {
    if (e instanceof BudgetExceeded) return e;
    throw e;
  }
  throw new Error('the run did not end at a budget');
}

describe('finding 6: seq | wc -l', () => {
  it('counts past ten million lines (seq stopped at 10,000,000)', () => {
    const r = run('seq 1 10000003 | wc -l\nseq 9999999 10000002 | tail -1\n');
    expect(r.stdout).toBe('10000003\n10000002\n');
  });

  it('-w on 200,000 numbers (a spread of every number overflowed the stack)', () => {
    expect(run('seq -w 1 200000 | tail -1\n').stdout).toBe('200000\n');
  });
});

describe('finding 2: no stack trace, the run goes on or ends at a budget', () => {
  it('echo {a,b} 24 times ends at the memory budget, before building 2^24 words', () => {
    const e = budgetError(`echo ${'{a,b}'.repeat(24)} | wc -c\n`);
    expect(e.what).toBe('memory');
    expect(e.message).toMatch(/^skbpath: memory budget of 256 MiB exhausted at t=0\.000000s: .*a brace expansion of 16777216 words/);
  });

  it('echo {a,b} 21 times (45 MB of text, a GiB as word objects) ends at the memory budget too', () => {
    const e = budgetError(`echo ${'{a,b}'.repeat(21)} | wc -c\n`);
    expect(e.message).toMatch(/a brace expansion of 2097152 words/);
  });

  it('echo {a,b} 12 times (4096 words) still runs', () => {
    expect(run(`echo ${'{a,b}'.repeat(12)} | wc -c\n`).stdout).toBe(`${4096 * 13}\n`);
  });

  it('a script that sources itself stops at a bound with a message', () => {
    const w = world();
    w.vfs.files.set('self.sh', 'n=$((n+1)); . ./self.sh\n');
    const r = runShell(w, '. ./self.sh\necho "rc=$? n=$n"\n');
    expect(r.stderr).toBe('./self.sh: line 1: ./self.sh: maximum source nesting level exceeded (5000)\n');
    expect(r.stdout).toBe('rc=1 n=5000\n');
  });

  it('an eval of itself stops the same way', () => {
    const r = run(`x='eval "$x"'\neval "$x"\necho "rc=$?"\n`);
    expect(r.stderr).toBe('script.sh: line 2: eval: maximum source nesting level exceeded (5000)\n');
    expect(r.stdout).toBe('rc=1\n');
  });

  it('1,000 nested subshells and groups run (each level used JavaScript stack)', () => {
    const r = run(`${'( '.repeat(1000)}echo deep ${')'.repeat(1000)}\n${'{ '.repeat(1000)}echo deep2 ${';}'.repeat(1000)}\necho after\n`);
    expect(r.stdout).toBe('deep\ndeep2\nafter\n');
  });

  it("5,000 nested subshells are a syntax error at any stack size (bash's parser stack holds 4,997; ours 1,024 levels)", () => {
    const r = run(`${'( '.repeat(5000)}echo deep ${')'.repeat(5000)}\necho after\n`);
    expect(r.stderr).toMatch(/^script\.sh: line 1: syntax error near unexpected token `\('\n/);
    expect(r.status).toBe(2);
  });

  it('a here-document larger than the memory budget ends the run at the budget', () => {
    const doc = `${'x'.repeat(99)}\n`.repeat(20_000);
    const e = budgetError(`cat <<EOF | wc -c\n${doc}EOF\n`, 1024 * 1024);
    expect(e.what).toBe('memory');
    expect(e.message).toMatch(/here-documents 1\.9 MiB/);
  });

  it('a 6 MB here-document is read without a copy per character', () => {
    const doc = `${'x'.repeat(99)}\n`.repeat(60_000);
    const r = run(`cat <<EOF | wc -c\n${doc}EOF\ncat <<-EOF | wc -l\n\t${doc}EOF\n`);
    expect(r.stdout).toBe('6000000\n60000\n');
  });
});

describe('files hold bytes', () => {
  it('UTF-8 in, UTF-8 out; invalid bytes survive a round trip', () => {
    expect(utf8Encode('日本\n')).toBe('\xe6\x97\xa5\xe6\x9c\xac\n');
    expect(utf8Decode('\xe6\x97\xa5\xe6\x9c\xac\n')).toBe('日本\n');
    const binary = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    expect(utf8Encode(utf8Decode(binary))).toBe(binary);
    expect(utf8Length('é😀\udc80')).toBe(2 + 4 + 1);
  });

  it('a character split between two pieces of a streamed file comes out whole', () => {
    const bytes = utf8Encode('a日本é😀z');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const d = new Utf8Stream();
      expect(d.push(bytes.slice(0, cut)) + d.push(bytes.slice(cut)) + d.end()).toBe('a日本é😀z');
    }
  });

  it("printf '\\xff' and $'\\351' are bytes: a file gets them as they are", () => {
    const w = world();
    runShell(w, "printf '\\xff\\xc3\\xa9\\351' > f\nx=$'\\xe6\\x97\\xa5'; echo \"$x\" > g\ncat g > h\n");
    expect(w.vfs.files.get('f')).toBe('\xff\xc3\xa9\xe9');
    expect(w.vfs.files.get('h')).toBe('\xe6\x97\xa5\n');
  });

  it('cat copies a binary file byte for byte', () => {
    const w = world();
    const bytes = '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\xff\xfe\x00\x80';
    w.vfs.files.set('a.pcap', bytes);
    runShell(w, 'cat a.pcap > b.pcap\ncat < a.pcap | cat > c.pcap\n');
    expect(w.vfs.files.get('b.pcap')).toBe(bytes);
    expect(w.vfs.files.get('c.pcap')).toBe(bytes);
  });

  it('a file larger than what is left of the budget ends the run when read', () => {
    const e = budgetError('wc -c < big\n', 1024 * 1024, { big: 'x'.repeat(2 * 1024 * 1024) });
    expect(e.what).toBe('memory');
    expect(e.message).toMatch(/reading big \(2\.0 MiB\)/);
  });
});

describe('NUL bytes', () => {
  it('read drops them unless one is the delimiter (what bash 5.2 prints)', () => {
    const r = run('printf "a\\0b\\nc\\0d\\0" > nul2\nread z < nul2; echo ${#z} $z\nwhile read -r -d "" w; do echo "[$w]"; done < nul2\n');
    expect(r.stdout).toBe('2 ab\n[a]\n[b\nc]\n[d]\n');
  });
});

describe('MemVfs (the browser)', () => {
  it('reports ENOTDIR under a file, ENAMETOOLONG, EISDIR; allows ..name; refuses leaving', () => {
    const v = new MemVfs();
    expect(v.writeFile('plain', 'p', false)).toBeNull();
    expect(v.writeFile('plain/sub', 'x', false)).toEqual({ errno: 'ENOTDIR' });
    expect(v.readFile('plain/sub')).toEqual({ errno: 'ENOTDIR' });
    expect(v.writeFile('n'.repeat(256), 'x', false)).toEqual({ errno: 'ENAMETOOLONG' });
    expect(v.writeFile('n'.repeat(255), 'x', false)).toBeNull();
    expect(v.writeFile('d/f', 'x', false)).toBeNull();
    expect(v.readFile('d')).toEqual({ errno: 'EISDIR' });
    expect(v.writeFile('..foo', 'x', false)).toBeNull();
    expect(v.readFile('..foo')).toBe('x');
    expect(v.readFile('../x')).toEqual({ errno: 'EACCES' });
    // a C string ends at its NUL
    expect(v.writeFile('n\0ul', 'y', false)).toBeNull();
    expect(v.readFile('n')).toBe('y');
  });
});

describe('finding 8: cd into a subdirectory of the working directory', () => {
  it('changes where relative paths resolve, for the shell, its subshells and the programs', () => {
    const w = world();
    w.vfs.dirs.add('sub');
    w.vfs.files.set('t', 'top\n');
    const r = runShell(
      w,
      'cd sub && pwd\necho x > f; cat f ../t\n[ -f f ] && echo has-f\n(cd .. && cat t && pwd)\npwd\ncd ..; cat sub/f; pwd\ncd ..\ncd plain\necho ..x > ..foo; cat ..foo\n',
    );
    expect(r.stdout).toBe('/sub\nx\ntop\nhas-f\ntop\n/\n/sub\nx\n/\n..x\n');
    expect(r.stderr).toBe('script.sh: line 7: cd: ..: Permission denied\nscript.sh: line 8: cd: plain: No such file or directory\n');
    expect(w.vfs.files.get('sub/f')).toBe('x\n');
  });
});

describe('bash features this shell lacks are said, not silently wrong', () => {
  it('declare -A, local -n, declare -i: one line each, status 2', () => {
    const r = run('declare -A m; echo rc=$?\nf() { local -n r=x; echo rc=$?; }; f\ndeclare -ix n=3; echo rc=$?\n');
    expect(r.stdout).toBe('rc=2\nrc=2\nrc=2\n');
    expect(r.stderr).toBe(
      ['declare -A (associative arrays)', 'local -n (name references)', 'declare -i (integer variables)']
        .map((w) => `skbpath: ${w} is not simulated; see README "Supported commands"\n`)
        .join(''),
    );
  });
});
