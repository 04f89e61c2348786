// SLOW-ISH (about 20-30 s): the package as a user gets it. Builds what ships
// into a staging folder (not the repository's dist/), packs it with the
// repository's `files` list, checks its size and contents, installs the
// tarball into a temporary project with no network (`npm install --offline`:
// the package has no runtime dependencies), and from there runs `npx skbpath
// run` on an example, the first example of docs/API.md, a TypeScript check
// of the published types, and a browser bundle; then a global install (under
// a temporary prefix) runs an example from another folder, as the README says,
// its files landing there.
// Everything lives under os.tmpdir().
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { docExamples } from '../api/doc_examples.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// 1.5 MB until tc and nftables came in (1.64 MB unminified; 1.55 MB with whitespace minified)
const MAX_PACKED = 2_000_000;
const tmp = mkdtempSync(join(tmpdir(), 'skbpath-pack-'));
const env = {
  ...process.env,
  npm_config_cache: join(tmp, 'npm-cache'),
  npm_config_update_notifier: 'false',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_loglevel: 'error',
};

function run(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return r;
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

let pack: PackInfo;
let tarball: string;
const app = join(tmp, 'app');
const installed = join(app, 'node_modules', 'skbpath');

beforeAll(() => {
  // what the repository's `files` list selects outside dist/, copied beside a fresh build
  const listed = (
    JSON.parse(ok(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], repo), 'npm pack --dry-run')) as PackInfo[]
  )[0]?.files;
  const stage = join(tmp, 'stage');
  for (const f of listed ?? []) {
    if (f.path.startsWith('dist/')) continue;
    mkdirSync(dirname(join(stage, f.path)), { recursive: true });
    cpSync(join(repo, f.path), join(stage, f.path));
  }
  ok(run(process.execPath, [join(repo, 'scripts/build.mjs'), '--out', join(stage, 'dist')], repo), 'build.mjs --out');
  const packs = join(tmp, 'packs');
  mkdirSync(packs);
  pack = (
    JSON.parse(ok(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packs], stage), 'npm pack')) as PackInfo[]
  )[0] as PackInfo;
  tarball = join(packs, pack.filename);
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'skbpath-user', version: '1.0.0', private: true, type: 'module' }));
  ok(run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], app), 'npm install --offline');
}, 120_000);

describe('the packed package', () => {
  it(`is under ${MAX_PACKED / 1e6} MB and ships dist, the web view, examples, docs, README and LICENSE only`, () => {
    expect(pack.size).toBeLessThan(MAX_PACKED);
    const paths = pack.files.map((f) => f.path);
    for (const p of [
      'package.json',
      'README.md',
      'LICENSE',
      'dist/skbpath.js',
      'dist/index.js',
      'dist/types/index.d.ts',
      'dist/ui/index.html',
      'dist/ui/worker.js',
      'docs/API.md',
      'examples/ping-veth.sh',
    ]) {
      expect(paths).toContain(p);
    }
    const stray = paths.filter(
      (p) =>
        !/^(package\.json|README\.md|LICENSE|dist\/|docs\/|examples\/)/.test(p) ||
        /\.map$|bench|^dist\/.*\.ts$/.test(p.replace(/\.d\.ts$/, '')),
    );
    expect(stray).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('runs `npx skbpath run` on a shipped example, as from the repository', () => {
    const script = 'node_modules/skbpath/examples/ping-veth.sh';
    const r = run('npx', ['--offline', 'skbpath', 'run', script], app);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const want = runScenario(readFileSync(join(repo, 'examples/ping-veth.sh'), 'utf8'), new MemVfs(), { seed: 1 });
    expect(r.stdout).toBe(want.transcript);
  });

  it("runs docs/API.md's first example against the installed package", () => {
    const first = docExamples(readFileSync(join(installed, 'docs/API.md'), 'utf8'))[0];
    writeFileSync(join(app, 'example.mjs'), first?.code ?? '');
    const r = run(process.execPath, ['example.mjs'], app);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(first?.prints?.body);
  });

  it('resolves the worker (skbpath/worker, workerUrl) to the shipped file', () => {
    writeFileSync(
      join(app, 'worker.mjs'),
      [
        "import { existsSync } from 'node:fs';",
        "import { fileURLToPath } from 'node:url';",
        "import { workerUrl } from 'skbpath';",
        "console.log(fileURLToPath(workerUrl()) === fileURLToPath(import.meta.resolve('skbpath/worker')));",
        'console.log(existsSync(fileURLToPath(workerUrl())));',
      ].join('\n'),
    );
    expect(ok(run(process.execPath, ['worker.mjs'], app), 'worker.mjs')).toBe('true\ntrue\n');
  });

  it('type-checks a user of the published types with TypeScript (nodenext, skipLibCheck off, no DOM or Node types needed)', () => {
    writeFileSync(
      join(app, 'check.ts'),
      [
        "import { compileFilter, FilterError, runScenario, type PathEvent, type ScenarioResult } from 'skbpath';",
        "const r: ScenarioResult = runScenario('true', { seed: 1, files: { 'a.txt': 'x' } });",
        'const first: PathEvent | undefined = r.artifacts.events[0];',
        'const status: number = r.exitCode + (first?.time_ns ?? 0);',
        "const ok: boolean = compileFilter('icmp').matches(r.files['a.txt'] ?? new Uint8Array());",
        'export const out = [status, ok, FilterError.name];',
        '// @ts-expect-error: no such field',
        'r.nope;',
        '// @ts-expect-error: the seed is a number',
        "runScenario('true', { seed: '1' });",
      ].join('\n'),
    );
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2022',
          lib: ['es2022'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['check.ts'],
      }),
    );
    const r = run(process.execPath, [tsc, '-p', '.'], app);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('bundles for a browser from the installed package with no node: module', async () => {
    writeFileSync(join(app, 'page.mjs'), "import { runScenario } from 'skbpath';\nexport const run = runScenario;\n");
    const r = await build({
      entryPoints: [join(app, 'page.mjs')],
      absWorkingDir: app,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(r.metafile.inputs);
    expect(inputs.some((i) => i.includes('node_modules/skbpath/dist/'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('node:') || i.endsWith('skbpath.js'))).toEqual([]);
  });

  it('runs an example from any folder after a global install, its files landing in that folder', () => {
    const prefix = join(tmp, 'global');
    ok(run('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', tarball], tmp, { npm_config_prefix: prefix }), 'npm i -g');
    const elsewhere = join(tmp, 'elsewhere');
    mkdirSync(elsewhere);
    const bin = join(prefix, 'bin', 'skbpath');
    const pkg = join(prefix, 'lib', 'node_modules', 'skbpath');
    const r = run(bin, ['run', join(pkg, 'examples', 'tcp-exchange.sh')], elsewhere);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hello over tcp');
    // the example's `# Files:` comment says got.txt goes to the working directory
    expect(readFileSync(join(elsewhere, 'got.txt'), 'utf8')).toBe('hello over tcp\n');
    expect(existsSync(join(pkg, 'got.txt'))).toBe(false);
    expect(existsSync(join(pkg, 'examples', 'got.txt'))).toBe(false);
  });
});
