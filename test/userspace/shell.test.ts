// The shell in virtual time: background jobs, pipes, timeouts and signals cost
// no wall time; programs get a ProcCtx whose exec honours the namespace; the
// parser never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BudgetExceeded, NSEC_PER_SEC } from '../../src/sim/sim.ts';
import { yieldCpu } from '../../src/sim/sched.ts';
import { registerCoreutils } from '../../src/userspace/coreutils.ts';
import { parse } from '../../src/userspace/shell/parser.ts';
import { ShellSession } from '../../src/userspace/shell/interp.ts';
import { makeWorld, runShell, ScratchVfs } from '../../src/machine/memworld.ts';
import { SimWorld } from '../../src/machine/world.ts';

function world() {
  const w = makeWorld();
  registerCoreutils(w.commands);
  // stamp: prints the virtual time at which each chunk of stdin arrived
  w.commands.set('stamp', function* (ctx) {
    for (;;) {
      const s = yield* ctx.stdin.read();
      if (s === null) return 0;
      ctx.stdout.write(`${ctx.world.sim.now / NSEC_PER_SEC}:${s}`);
    }
  });
  // spam: writes lines forever, yielding between them
  w.commands.set('spam', function* (ctx) {
    for (;;) {
      ctx.stdout.write('x\n');
      yield yieldCpu;
    }
  });
  // whichnet: the namespace a program runs in; runin NS CMD...: as ip netns exec
  w.commands.set('whichnet', function* (ctx) {
    ctx.stdout.write(ctx.net.name + '\n');
    return 0;
  });
  w.commands.set('runin', function* (ctx) {
    const net = ctx.world.netns.get(ctx.argv[1] ?? '');
    if (!net) return 1;
    const p = ctx.exec(ctx.argv.slice(2), { net });
    if (!p) {
      ctx.stderr.write(`exec of "${ctx.argv[2]}" failed: No such file or directory\n`);
      return 255;
    }
    return yield* p;
  });
  w.commands.set('printenv', function* (ctx) {
    const v = ctx.env.get(ctx.argv[1] ?? '');
    if (v === undefined) return 1;
    ctx.stdout.write(v + '\n');
    return 0;
  });
  return w;
}

const run = (src: string, opts: { args?: string[]; stdin?: string } = {}) => {
  const w = world();
  const r = runShell(w, src, opts);
  return { ...r, t: r.endNs / NSEC_PER_SEC, w };
};

describe('virtual time', () => {
  it('background jobs and wait', () => {
    const r = run('sleep 5 & sleep 1; echo a; wait; echo b\n');
    expect(r.output).toBe('a\nb\n');
    expect(r.t).toBe(5);
    expect(r.status).toBe(0);
  });

  it('a pipe delivers as it is written and ends when the writer closes', () => {
    const r = run('(echo a; sleep 2; echo b; sleep 1) | stamp\n');
    expect(r.stdout).toBe('0:a\n2:b\n');
    expect(r.t).toBe(3);
  });

  it('pipeline elements run concurrently', () => {
    const r = run('sleep 3 | sleep 2 | sleep 1; echo $?\n');
    expect(r.stdout).toBe('0\n');
    expect(r.t).toBe(3);
  });

  it('command substitution waits in virtual time', () => {
    const r = run('x=$(sleep 2; echo hi); echo $x\n');
    expect(r.stdout).toBe('hi\n');
    expect(r.t).toBe(2);
  });

  it('sleep takes fractions and suffixes', () => {
    expect(run('sleep 0.25 0.5s 1m\n').t).toBe(60.75);
    expect(run('sleep 1h\n').t).toBe(3600);
  });

  it('timeout kills the child and exits 124', () => {
    const r = run('timeout 1 sleep 5; echo $?\ntimeout 5 sleep 1; echo $?\ntimeout 0.5 bash -c "sleep 9"; echo $?\n');
    expect(r.stdout).toBe('124\n0\n124\n');
    expect(r.t).toBe(2.5);
  });

  it('timeout errors', () => {
    const r = run('timeout x sleep 1; echo $?\ntimeout 1 nosuch; echo $?\ntimeout; echo $?\n');
    expect(r.stdout).toBe('125\n127\n125\n');
    expect(r.stderr).toBe(
      "timeout: invalid time interval 'x'\nTry 'timeout --help' for more information.\n" +
        "timeout: failed to run command 'nosuch': No such file or directory\n" +
        "Try 'timeout --help' for more information.\n",
    );
  });

  it('kill ends a background job at once', () => {
    const r = run('sleep 100 & kill $!; wait $!; echo $?\n');
    expect(r.stdout).toBe('143\n');
    expect(r.t).toBe(0);
  });

  it('a writer to a closed pipe dies of SIGPIPE', () => {
    const r = run('spam | head -n 2; echo "${PIPESTATUS[@]}"\nwhile :; do echo y; done | head -n 1; echo "${PIPESTATUS[@]}"\n');
    expect(r.stdout).toBe('x\nx\n141 0\ny\n141 0\n');
  });

  it('an endless loop runs into the event budget instead of hanging', () => {
    const w = new SimWorld(new ScratchVfs(), { budget: { maxEvents: 5_000, maxVirtualNs: 10 * NSEC_PER_SEC } });
    expect(() => runShell(w, 'while :; do :; done\n')).toThrow(BudgetExceeded);
  });

  it('deep recursion hops to fresh stacks', () => {
    const r = run('g() { [ $1 -le 0 ] && return 7; g $(( $1 - 1 )); }\ng 1000; echo $?\nf() { f; }\nf 2>/dev/null\necho $?\n');
    expect(r.stdout).toBe('7\n1\n');
  });

  it('time reports virtual time', () => {
    const r = run('time sleep 61.5\ntime -p true\n');
    expect(r.stderr).toBe('\nreal\t1m1.500s\nuser\t0m0.000s\nsys\t0m0.000s\nreal 0.00\nuser 0.00\nsys 0.00\n');
  });

  it('a long loop is quick', () => {
    const r = run('i=0; while [ $i -lt 1000 ]; do i=$((i+1)); done; echo $i\n');
    expect(r.stdout).toBe('1000\n');
  });
});

describe('programs', () => {
  it('exec with namespaces', () => {
    const w = world();
    w.createNet('a');
    w.createNet('b');
    const r = runShell(w, 'whichnet\nrunin a whichnet\nrunin a runin b whichnet\nrunin a nosuch; echo $?\nrunin a echo hi\n');
    expect(r.stdout).toBe('init_net\na\nb\n255\nhi\n');
    expect(r.stderr).toBe('exec of "nosuch" failed: No such file or directory\n');
  });

  it('the environment: exported variables and prefix assignments', () => {
    const r = run('A=1; export B=2\nprintenv A; echo $?\nprintenv B\nC=3 printenv C\nprintenv C; echo $?\nexport A; printenv A\n');
    expect(r.stdout).toBe('1\n2\n3\n1\n1\n');
  });

  it('command not found, by the script name', () => {
    const w = world();
    const r = runShell(w, 'true\nnosuch arg\n', { scriptName: 'scenario.sh' });
    expect(r.stderr).toBe('scenario.sh: line 2: nosuch: command not found\n');
    expect(r.status).toBe(127);
  });

  it('$$ and $! are pids', () => {
    const r = run('echo $$ | grep -qE "^[0-9]+$" && echo pid\nsleep 1 & [ $! -gt $$ ] && echo bg\n');
    expect(r.stdout).toBe('pid\nbg\n');
  });

  it('positional arguments and stdin', () => {
    const r = run('echo "$0 $# $1 $2"\nread x; echo "got $x"\ncat\n', { args: ['a', 'b c'], stdin: 'hello\nrest\n' });
    expect(r.stdout).toBe('script.sh 2 a b c\ngot hello\nrest\n');
  });

  it('background jobs read /dev/null', () => {
    const r = run('cat & wait\necho end\n', { stdin: 'data\n' });
    expect(r.stdout).toBe('end\n');
  });

  it('stdout and stderr interleave in write order', () => {
    const r = run('echo out; echo err >&2; echo out2; ls-nope\n');
    expect(r.output).toBe('out\nerr\nout2\nscript.sh: line 1: ls-nope: command not found\n');
  });

  it('files live in the Vfs; paths outside are refused', () => {
    const w = world();
    const r = runShell(w, 'echo a > f.txt\necho b >> f.txt\ncat f.txt\necho x > /etc/x; echo $?\ncat ../up; echo $?\n');
    expect(r.stdout).toBe('a\nb\n1\n1\n');
    expect(r.stderr).toBe('script.sh: line 4: /etc/x: Permission denied\ncat: ../up: Permission denied\n');
    expect(w.vfs.files.get('f.txt')).toBe('a\nb\n');
  });

  it('/usr/bin paths and the shell stand-ins', () => {
    const w = makeWorld();
    const r = runShell(w, '/bin/echo hi\n/usr/bin/printf "%s\\n" x\n/opt/x; echo $?\nsh -c "echo nested \\$0"\n');
    expect(r.stdout).toBe('hi\nx\n127\nnested sh\n');
    expect(r.stderr).toBe('script.sh: line 3: /opt/x: No such file or directory\n');
  });

  it('bash -c and bash FILE', () => {
    const w = world();
    w.vfs.files.set('child.sh', 'echo "child $1"\nnosuch\nexit 4\n');
    const r = runShell(w, 'bash child.sh one; echo $?\nbash -c "echo \\$1" x y\nbash -e -c "false; echo no"; echo $?\n');
    expect(r.stdout).toBe('child one\n4\ny\n1\n');
    expect(r.stderr).toBe('child.sh: line 2: nosuch: command not found\n');
  });
});

describe('sessions', () => {
  it('parts of one script share the shell, with whole-script line numbers', () => {
    const w = world();
    let out = '';
    const sink = { write: (x: string) => void (out += x) };
    const session = new ShellSession(w, { scriptName: 'bash', stdout: sink, stderr: sink, net: w.initNet });
    const t1 = w.sim.sched.spawn('bash', session.run('x=1\nf() { echo "f $x"; }\ntrap "echo bye" EXIT\n(sleep 2; echo bg) &\n'));
    w.sim.runTask(t1);
    const t2 = w.sim.sched.spawn('bash', session.run('f\nnosuch\nwait\necho "t=$SECONDS"\n', { firstLine: 6, last: true }));
    w.sim.runTask(t2);
    expect(out).toBe('f 1\nbash: line 7: nosuch: command not found\nbg\nt=2\nbye\n');
    expect(t2.exitStatus).toBe(0);
  });

  it('after exit the later parts do nothing', () => {
    const w = world();
    let out = '';
    const sink = { write: (x: string) => void (out += x) };
    const session = new ShellSession(w, { scriptName: 'bash', stdout: sink, stderr: sink, net: w.initNet });
    const t1 = w.sim.sched.spawn('bash', session.run('echo a\nexit 3\n'));
    w.sim.runTask(t1);
    const t2 = w.sim.sched.spawn('bash', session.run('echo b\n', { last: true }));
    w.sim.runTask(t2);
    expect(out).toBe('a\n');
    expect([t1.exitStatus, t2.exitStatus]).toEqual([3, 3]);
  });
});

describe('parser', () => {
  it('builds lists, pipelines and background items', () => {
    const s = parse('a | b && c &\nd\n');
    expect(s.error).toBeNull();
    expect(s.commands).toHaveLength(2);
    const first = s.commands[0]?.list.items[0];
    expect(first?.bg).toBe(true);
    expect(first?.ao.first.cmds).toHaveLength(2);
    expect(first?.ao.rest[0]?.op).toBe('&&');
  });

  it('reports the first syntax error with its line', () => {
    const s = parse('echo a\nif true; then\n  echo b\nfi fi\n');
    expect(s.commands).toHaveLength(1);
    expect(s.error).toEqual({ line: 4, message: "syntax error near unexpected token `fi'", context: 'fi fi' });
    expect(parse('echo "abc\n').error?.message).toBe('unexpected EOF while looking for matching `"\'');
    expect(parse('while true; do\n').error).toEqual({ line: 2, message: 'syntax error: unexpected end of file', context: null });
  });

  it('never throws on random input', () => {
    const alphabet = [
      'a',
      'b',
      '1',
      ' ',
      '\n',
      '\t',
      ';',
      '&',
      '|',
      '(',
      ')',
      '{',
      '}',
      '[',
      ']',
      '<',
      '>',
      '$',
      '`',
      '"',
      "'",
      '\\',
      '#',
      '=',
      '*',
      '?',
      '!',
      ':',
      '-',
      '+',
      '%',
      '/',
      ',',
      '~',
      '@',
      'if ',
      'then ',
      'fi ',
      'do ',
      'done ',
      'case ',
      'esac ',
      'in ',
      'for ',
      'while ',
      '$((',
      '))',
      '${',
      '<<',
      'EOF',
      '((',
      '[[ ',
      ' ]]',
      'function ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }), (parts) => {
        const s = parse(parts.join(''));
        expect(Array.isArray(s.commands)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (src) => {
        parse(src);
      }),
      { numRuns: 1000 },
    );
  });

  it('deep nesting is a syntax error, not a crash', () => {
    const s = parse('('.repeat(20000) + 'echo' + ')'.repeat(20000));
    expect(s.commands.length + (s.error ? 1 : 0)).toBeGreaterThan(0);
  });
});
