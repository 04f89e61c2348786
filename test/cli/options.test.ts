// The command line's tables (src/cli/options.ts) drive the parser, --help, the
// completions and the README's CLI reference: each is checked against them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearest, parseArgs, UsageError } from '../../src/cli/args.ts';
import { bashCompletion, zshCompletion } from '../../src/cli/completion.ts';
import { cliReference, COMMANDS, commandHelp, mainHelp } from '../../src/cli/options.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('the parser', () => {
  it('reads values as --name VALUE and --name=VALUE, flags, and -- before an operand', () => {
    const p = parseArgs(['trace', '--seed=7', 's.sh', '--netns', 'a', '--json', '--func', '^ip_', '--cpus', '4']);
    if (typeof p === 'string') throw new Error(p);
    expect(p.cmd.name).toBe('trace');
    expect(p.args).toEqual(['s.sh']);
    expect(p.opts['seed']).toBe(7);
    expect(p.opts['netns']).toBe('a');
    expect(p.opts['json']).toBe(true);
    expect((p.opts['func'] as RegExp).source).toBe('^ip_');
    expect(p.opts['cpus']).toBe(4);
    const dash = parseArgs(['run', '--', '--odd-name.sh']);
    expect(typeof dash !== 'string' && dash.args).toEqual(['--odd-name.sh']);
  });

  it('passes --max-wall and --max-memory through as maxWallSeconds and maxMemoryBytes', () => {
    const p = parseArgs(['run', 's.sh', '--max-wall', '30', '--max-memory', '512M']);
    if (typeof p === 'string') throw new Error(p);
    expect(p.opts['maxWallSeconds']).toBe(30);
    expect(p.opts['maxMemoryBytes']).toBe(512 * 1024 * 1024);
    expect(usageError(['run', 's.sh', '--max-memory', 'lots']).message).toBe('--max-memory needs a size such as 512M or 2G');
  });

  it('--help, -h, help CMD and --version', () => {
    expect(parseArgs(['--help'])).toBe('help');
    expect(parseArgs(['-h'])).toBe('help');
    expect(parseArgs(['--version'])).toBe('version');
    for (const c of COMMANDS.filter((x) => !x.passthrough)) {
      const p = parseArgs([c.name, '--help']);
      expect(typeof p !== 'string' && p.help, c.name).toBe(true);
      const h = parseArgs([c.name, '-h']);
      expect(typeof h !== 'string' && h.help, c.name).toBe(true);
    }
    const help = parseArgs(['help', 'drops']);
    expect(typeof help !== 'string' && help.cmd.name).toBe('drops');
    // tcpdump's own --help is the real tool's; skbpath's description of it is `skbpath help tcpdump`
    const td = parseArgs(['tcpdump', '--help']);
    expect(typeof td !== 'string' && [td.help, td.args]).toEqual([false, ['--help']]);
    const ours = parseArgs(['help', 'tcpdump']);
    expect(typeof ours !== 'string' && ours.help).toBe(true);
  });

  it('names an unknown command or option and suggests the nearest', () => {
    expect(usageError(['runn']).message).toBe("unknown command 'runn'; did you mean 'run'?");
    expect(usageError(['trac']).message).toBe("unknown command 'trac'; did you mean 'trace'?");
    expect(usageError(['xyzzy']).message).toBe("unknown command 'xyzzy'");
    const o = usageError(['drops', 's.sh', '--filtr', 'icmp']);
    expect(o.message).toBe("unknown option '--filtr'; did you mean '--filter'?");
    expect(o.cmd).toBe('drops');
    expect(usageError(['run', 's.sh', '--x']).message).toBe("unknown option '--x'");
    expect(usageError(['run', 's.sh', '-q']).message).toBe("unknown option '-q'");
    expect(usageError(['--bogus']).message).toBe("unknown option '--bogus'");
    expect(nearest('artifact', ['artifacts', 'seed'])).toBe('artifacts');
  });

  it('refuses a missing value, a bad value, a missing or extra operand', () => {
    expect(usageError(['run', 's.sh', '--artifacts']).message).toBe("option '--artifacts' needs a value (DIR)");
    expect(usageError(['run', 's.sh', '--artifacts=']).message).toBe('--artifacts needs a value');
    expect(usageError(['run', 's.sh', '--seed', '-1']).message).toBe('--seed needs a non-negative integer');
    expect(usageError(['run', 's.sh', '--cpus', '65']).message).toBe('--cpus needs a number of CPUs from 1 to 64');
    expect(usageError(['ui', '--port', '70000']).message).toBe('--port needs a port number (0-65535; 0 picks a free one)');
    expect(usageError(['trace', 's.sh', '--format', 'xml']).message).toBe('--format takes pwru or ftrace');
    expect(usageError(['trace', 's.sh', '--func', '(']).message).toBe("--func: bad regular expression '(': Unterminated group");
    expect(usageError(['trace', 's.sh', '--json=yes']).message).toBe("option '--json' takes no value");
    expect(usageError(['run']).message).toBe('run: missing SCRIPT.sh');
    expect(usageError(['run', 'a.sh', 'b.sh']).message).toBe("run: unexpected argument 'b.sh'");
    expect(usageError(['completion']).message).toBe('completion: missing bash|zsh');
  });

  it('hands tcpdump its arguments untouched', () => {
    const p = parseArgs(['tcpdump', '-nr', 'x.pcap', '--bogus', 'icmp']);
    expect(typeof p !== 'string' && p.args).toEqual(['-nr', 'x.pcap', '--bogus', 'icmp']);
  });
});

describe('help made from the tables', () => {
  it('lists every command and every option with its help', () => {
    const main = mainHelp('9.9.9');
    expect(main).toMatch(/^skbpath 9\.9\.9: /);
    for (const c of COMMANDS) {
      expect(main).toContain(`  ${c.name} `);
      const h = commandHelp(c);
      for (const o of c.options) expect(h).toContain(`--${o.name}${o.arg ? ` ${o.arg}` : ''}`);
      expect(h).toContain('--help');
    }
  });
});

describe('shell completion made from the tables', () => {
  const bash = (words: string[]): string[] => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-compl-'));
    writeFileSync(join(dir, 'c.bash'), bashCompletion());
    writeFileSync(join(dir, 'scen.sh'), '');
    const arr = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync(
      'bash',
      ['-c', `source c.bash; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _skbpath; printf '%s\\n' "\${COMPREPLY[@]}"`],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('bash: commands, each command’s options, option values and files', () => {
    expect(bash(['skbpath', ''])).toEqual([...COMMANDS.map((c) => c.name), '--help', '--version']);
    expect(bash(['skbpath', 'tr'])).toEqual(['trace']);
    for (const c of COMMANDS.filter((x) => !x.passthrough)) {
      expect(bash(['skbpath', c.name, '--']).sort(), c.name).toEqual([...c.options.map((o) => `--${o.name}`), '--help'].sort());
    }
    expect(bash(['skbpath', 'trace', 's.sh', '--format', ''])).toEqual(['pwru', 'ftrace']);
    expect(bash(['skbpath', 'run', 'sc'])).toEqual(['scen.sh']);
    expect(bash(['skbpath', 'completion', ''])).toEqual(['bash', 'zsh']);
  });

  it.skipIf(!existsSync('/usr/bin/zsh') && !existsSync('/bin/zsh'))('zsh: the script parses and registers _skbpath', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-compl-'));
    writeFileSync(join(dir, '_skbpath'), zshCompletion());
    const syntax = spawnSync('zsh', ['-n', '_skbpath'], { cwd: dir, encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    const r = spawnSync('zsh', ['-f', '-c', 'autoload -U compinit; compinit -u -D; source ./_skbpath; print $_comps[skbpath]'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, HOME: dir },
    });
    expect(r.stdout).toBe('_skbpath\n');
    const z = zshCompletion();
    for (const c of COMMANDS) for (const o of c.options) expect(z).toContain(`'--${o.name}[`);
  });
});

describe('README', () => {
  it('holds the CLI reference made from the tables', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const m =
      /<!-- cli-reference: made by test\/cli\/options\.test\.ts from src\/cli\/options\.ts -->\n([\s\S]*?)<!-- end of cli-reference -->/.exec(
        readme,
      );
    if (process.env['UPDATE_README'] === '1' && m) {
      const at = m.index + m[0].length - (m[1] as string).length - '<!-- end of cli-reference -->'.length;
      writeFileSync(join(ROOT, 'README.md'), readme.slice(0, at) + cliReference() + readme.slice(at + (m[1] as string).length));
      return;
    }
    expect(m, 'README has the cli-reference markers').not.toBeNull();
    expect(m?.[1]).toBe(cliReference());
  });
});
