// The coreutils against GNU coreutils and grep on this machine: the same
// script under bash with the real tools and under the simulator's shell with
// ours; output, messages and statuses must match byte for byte (C locale).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NSEC_PER_SEC } from '../../src/sim/sim.ts';
import { parseInterval, registerCoreutils } from '../../src/userspace/coreutils.ts';
import { makeWorld, runShell } from '../../src/machine/memworld.ts';

type Files = Record<string, string>;

interface Outcome {
  stdout: string;
  stderr: string;
  status: number;
  files: Files;
}

const FILES: Files = {
  f1: 'a b\nc\n',
  f2: 'hello world\n',
  f3: 'a\nb\nc\n',
  nums: '10\n9\n100\n-3\n2.5\nabc\n9\n',
  words: 'pear\napple\nPear\nbanana\napple\n\ncherry\n',
  passwd:
    'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534::/nonexistent:/bin/false\n',
  blanks: 'a\n\n\n\nb\n\nc\n',
  nonl: 'x\ny',
  'dir/': '',
};

function bash(script: string): Outcome {
  const dir = mkdtempSync(join(tmpdir(), 'skbpath-cu-'));
  try {
    writeFileSync(join(dir, 'script.sh'), script);
    for (const [k, v] of Object.entries(FILES)) {
      if (k.endsWith('/')) mkdirSync(join(dir, k));
      else writeFileSync(join(dir, k), v);
    }
    const r = spawnSync('bash', ['script.sh'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', HOME: dir },
      // stdin from /dev/null, as the oracle recorder runs scenarios (a socket would make bash read ~/.bashrc)
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    });
    const out: Files = {};
    for (const name of readdirSync(dir)) {
      if (name === 'script.sh' || !statSync(join(dir, name)).isFile()) continue;
      out[name] = readFileSync(join(dir, name), 'utf8');
    }
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1, files: out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sim(script: string): Outcome {
  const w = makeWorld();
  registerCoreutils(w.commands);
  for (const [k, v] of Object.entries(FILES)) {
    if (k.endsWith('/')) w.vfs.dirs.add(k.slice(0, -1));
    else w.vfs.files.set(k, v);
  }
  w.vfs.files.set('script.sh', script);
  const r = runShell(w, script, { scriptName: 'script.sh' });
  const out: Files = {};
  for (const [k, v] of w.vfs.files) if (!k.includes('/') && k !== 'script.sh') out[k] = v;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, files: out };
}

/** Each line runs, then prints its status. */
const lines = (...cmds: string[]): string => cmds.map((c) => `${c}; echo "[$?]"\n`).join('');

const CASES: [string, string][] = [
  [
    'cat',
    lines(
      'cat f1 f3',
      'cat -n f1 nonl f3',
      'printf "a\\nb" | cat -n',
      'cat - f1 < f3',
      'cat nonexist f1',
      'cat -A f1',
      'cat -E nonl',
      'cat -s blanks',
      'cat -b blanks',
      'cat dir',
      'cat -z f1',
      'cat --foo',
      'cat /dev/null',
      'echo x | cat -- - f1',
    ),
  ],
  [
    'head',
    lines(
      'head -n 2 f3',
      'head -2 f3',
      'head -n -1 f3',
      'head -c 3 f3',
      'head f1 f3',
      'head -q f1 f3',
      'head -v f1',
      'head -n x f3',
      'head nonexist',
      'seq 100 | head -n 3',
      'head -c -2 f3',
      'head -n 0 f3',
      'head --lines=1 f3',
      'head f3 -n 1',
      'head -c 2k f3',
    ),
  ],
  [
    'tail',
    lines(
      'tail -n 2 f3',
      'tail -n +2 f3',
      'tail -1 f3',
      'tail +3 f3',
      'tail -c 3 f3',
      'tail f1 f3',
      'tail -n 1 nonl',
      'tail nonexist',
      'seq 20 | tail -n 2',
      'tail -n 0 f3',
      'tail -c +3 f3',
    ),
  ],
  [
    'tr',
    lines(
      'echo Hello | tr a-z A-Z',
      'echo hello world | tr -d aeiou',
      'echo "a   b  c" | tr -s " "',
      'echo "a1b2c3" | tr -cd "0-9\\n"',
      'echo hello | tr "[:lower:]" "[:upper:]"',
      'echo abcabc | tr abc x',
      'echo aabbcc | tr -s a-z',
      'echo "a:b:c" | tr : "\\n"',
      'echo hello | tr -s l L',
      'tr',
      'tr a',
      'tr -d a b',
      'echo ab | tr b-a x',
      'echo abc | tr -c a x; echo',
      'echo "tab	x" | tr "\\t" _',
      'echo abc | tr "[a*]" x',
      'echo hello | tr -d "[=l=]"',
    ),
  ],
  [
    'wc',
    lines(
      'echo hi | wc -l',
      'echo hi | wc',
      'echo hi | wc -lw',
      'wc -l f1',
      'wc f1',
      'wc f1 f2',
      'wc -l f1 f2',
      'cat f1 | wc -c',
      'wc nonexist',
      'wc f1 nonexist',
      'printf "" | wc',
      'wc -L f2',
      'echo x | wc -l - f1',
      'wc -w nonl',
      'wc -m f2',
      'wc -x',
      'wc dir',
      'wc < f1',
      'wc -lc < f2',
      'wc -l < f1',
    ),
  ],
  [
    'grep basics',
    lines(
      'grep a f3',
      'grep -v a f3',
      'grep -c . words',
      'grep -i PEAR words',
      'grep -n apple words',
      'grep -q banana words',
      'grep nomatch words',
      'grep -o "p[a-z]" words',
      'grep -w pear words',
      'grep -x apple words',
      'grep -E "^(pear|apple)$" words',
      'grep -F "." f1',
      'grep apple words f3',
      'grep -h apple words f3',
      'grep -l apple words f3',
      'grep -L apple words f3',
      'grep -m 1 apple words',
      'grep -c apple words f3',
      'grep -e pear -e cherry words',
      'grep "" f3',
      'grep -iv P words',
    ),
  ],
  [
    'grep regexps',
    lines(
      'grep "^a" words',
      'grep "e$" words',
      'grep "an*a" words',
      'grep "p\\(ea\\)r" words',
      'grep "p\\{2\\}" words',
      'grep -E "p{2}" words',
      'grep "a\\|b" f3',
      'grep -E "a|b" f3',
      'grep "ap\\+le" words',
      'grep -E "ap+le" words',
      'grep "ap+le" words',
      'grep "[[:upper:]]" words',
      'grep "[^a-z]" words',
      'grep -E "(an)+" words',
      'grep "\\(p\\)\\1" words',
      'grep -E "^$" words',
      'grep "\\<pe" words',
      'grep -E "r\\b" words',
      'grep "a.c" f1',
      'grep "[]]" f1',
      'grep "x*" f3 | head -n 1',
      'grep -o -E "[0-9]+" passwd | head -n 3',
      'grep -E "a{,2}" f3 | head -n 1',
    ),
  ],
  [
    'grep errors',
    lines(
      'grep',
      'grep -E "("',
      'grep "\\("',
      'grep "["',
      'grep "a\\{1"',
      'grep "[[:foo:]]" f1',
      'grep "[z-a]" f1',
      'grep "a\\\\" f1; grep "\\\\" f1',
      'grep a nonexist',
      'grep a nonexist f3',
      'grep -s a nonexist',
      'grep -q a nonexist f3',
      'grep --foo a',
      'grep -c b nonexist -',
      'grep a dir',
    ),
  ],
  [
    'seq',
    lines(
      'seq 3',
      'seq 2 4',
      'seq 1 2 7',
      'seq 0 0.5 2',
      'seq -w 8 10',
      'seq -s, 3',
      'seq 1.0 3',
      'seq 5 1',
      'seq 3 -1 1',
      'seq x',
      'seq 1 0 3',
      'seq',
      'seq 0.1 0.1 0.3',
      'seq -f "%03g" 3',
      'seq 1 1.5 4',
      'seq -s "" 3',
      'seq -w -1 1',
      'seq 10 | tail -n 1',
      'seq 1 2 3 4',
    ),
  ],
  [
    'sort',
    lines(
      'sort words',
      'sort -r words',
      'sort -u words',
      'sort nums',
      'sort -n nums',
      'sort -nr nums',
      'sort -t: -k3 -n passwd',
      'sort -t: -k1,1 passwd',
      'sort -f words',
      'printf "b\\na\\n" | sort',
      'sort nonexist',
      'sort -k2 f1 f3',
      'sort -n -u nums',
    ),
  ],
  [
    'cut',
    lines(
      'cut -d" " -f2 f1',
      'cut -f1 -d" " -s f1',
      'cut -c1-2 f2',
      'cut -d: -f1,3- passwd',
      'cut f1',
      'cut -d ab -f1 f1',
      'cut -f0 f1',
      'cut -f 2-1 f1',
      'cut -d: -f7 passwd',
      'cut -c3- f2',
      'cut -c-3 f2',
      'cut -b2 f3',
      'cut -d: --complement -f2 passwd',
      'cut -d: -f1,7 --output-delimiter=" -> " passwd',
      'echo a:b | cut -d: -f3',
      'cut -d: -f1 nonexist',
    ),
  ],
  [
    'tee',
    lines(
      'echo hi | tee out',
      'cat out',
      'echo more | tee -a out > /dev/null',
      'cat out',
      'echo x | tee nodir/y',
      'echo y | tee o1 o2',
      'cat o1 o2',
    ),
  ],
  [
    'basename dirname',
    lines(
      'basename /a/b/c',
      'basename /a/b/c/',
      'basename file.txt .txt',
      'basename .txt .txt',
      'basename /',
      'basename -s .c a.c b.c',
      'basename -a x/y z/w',
      'basename',
      'basename a b c',
      'dirname /a/b/c',
      'dirname a',
      'dirname /',
      'dirname a/b/',
      'dirname //x',
      'dirname',
    ),
  ],
  [
    'sleep',
    lines(
      'sleep 0.01',
      'sleep',
      'sleep x',
      'sleep -1',
      'sleep 0.01 x y',
      "sleep ' 0.01'",
      "sleep '0.1 '",
      'sleep 1e-2',
      'sleep 0x0.01',
      'sleep .01s',
      'sleep --foo',
    ),
  ],
  [
    'timeout',
    lines(
      'timeout 0.2 sleep 5',
      'timeout 5 true',
      'timeout 5 false',
      'timeout 0.2 sleep 0.01',
      'timeout --preserve-status 0.1 sleep 3',
      'timeout x true',
      'timeout 1 nosuchcmd',
      'timeout',
      'timeout 1',
      'timeout 1 sh -c "exit 3"',
    ),
  ],
];

describe('coreutils match GNU', () => {
  for (const [name, script] of CASES) {
    it(name, () => {
      expect(sim(script)).toEqual(bash(script));
    });
  }
});

describe('coreutils in virtual time', () => {
  it('head stops reading a live pipe once it has its lines', () => {
    const w = makeWorld();
    registerCoreutils(w.commands);
    const r = runShell(w, '(echo a; sleep 5; echo b) | head -n 1; echo done\n');
    expect(r.stdout).toBe('a\ndone\n');
    // the writer runs on until its sleep ends, and bash waits for it
    expect(r.endNs / NSEC_PER_SEC).toBe(5);
  });

  it('grep prints matches as they arrive', () => {
    const w = makeWorld();
    registerCoreutils(w.commands);
    w.commands.set('when', function* (ctx) {
      for (;;) {
        const s = yield* ctx.stdin.read();
        if (s === null) return 0;
        ctx.stdout.write(`${ctx.world.sim.now / NSEC_PER_SEC} ${s}`);
      }
    });
    const r = runShell(w, '(echo x1; sleep 1; echo y; sleep 1; echo x2) | grep x | when\n');
    expect(r.stdout).toBe('0 x1\n2 x2\n');
  });

  it('sleep intervals', () => {
    expect(parseInterval('1.5')).toBe(1.5);
    expect(parseInterval('2m')).toBe(120);
    expect(parseInterval('0x10')).toBe(16);
    expect(parseInterval('inf')).toBe(Infinity);
    expect(parseInterval('1k')).toBeNull();
    expect(parseInterval('')).toBeNull();
  });
});
