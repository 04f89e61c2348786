// Builds what the package ships under dist/, and the benchmarks (dist/bench-*.js, not shipped):
// - dist/skbpath.js (the CLI) and dist/index.js (the library, `import … from 'skbpath'`),
//   ESM, one build with the simulator in a shared dist/chunk-*.js;
// - dist/types/ (the library's declarations: src/index.ts and src/api/*.ts,
//   which import nothing else, so these few files are the whole typed API);
// - dist/ui/ (the web view; worker.js is also `skbpath/worker`).
// No source maps in what ships; the benchmarks (not shipped) keep theirs.
// `node scripts/build.mjs --out DIR` builds what ships into DIR instead (no
// benchmarks): the package test packs from there without touching dist/.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
if (outArg > 0 && !process.argv[outArg + 1]) throw new Error('build.mjs: --out needs a directory');
const dist = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, 'dist');
const benchmarks = outArg < 0;

// old chunks and source maps go; everything at the top of dist/ is rebuilt below
mkdirSync(dist, { recursive: true });
for (const f of readdirSync(dist, { withFileTypes: true }).filter((e) => e.isFile())) rmSync(join(dist, f.name));
rmSync(join(dist, 'types'), { recursive: true, force: true });

// `skbpath --version` prints package.json's version, fixed in the bundle here
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
await build({
  entryPoints: { skbpath: join(root, 'src/cli/main.ts'), index: join(root, 'src/index.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  // whitespace only: names stay as written (stack traces under SKBPATH_DEBUG, Function.name)
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { SKBPATH_VERSION: JSON.stringify(version) },
});
const cli = join(dist, 'skbpath.js');
writeFileSync(cli, `#!/usr/bin/env node\n${readFileSync(cli, 'utf8')}`);

/** The declarations of the API's own files (isolated declarations: each file on its own, fast). */
function emitTypes() {
  const files = ['src/index.ts', ...readdirSync(join(root, 'src/api')).map((f) => `src/api/${f}`)].filter((f) => f.endsWith('.ts'));
  const errors = [];
  for (const f of files) {
    const r = ts.transpileDeclaration(readFileSync(join(root, f), 'utf8'), {
      fileName: f,
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, declaration: true, isolatedDeclarations: true },
    });
    for (const d of r.diagnostics ?? []) errors.push(`${f}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    // the published declarations name the .js files they sit beside
    const text = r.outputText.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2');
    for (const m of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      const target = spec.startsWith('.') ? relative(root, join(root, dirname(f), spec)).replace(/\.js$/, '.ts') : spec;
      if (!files.includes(target)) errors.push(`${f}: its declarations import ${spec}, outside the API's files`);
    }
    const out = join(dist, 'types', relative(join(root, 'src'), f).replace(/\.ts$/, '.d.ts'));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
  if (errors.length) throw new Error(`declarations:\n${errors.join('\n')}`);
}
emitTypes();

// the benchmarks: run from the repository (npm run bench), not shipped
if (benchmarks) {
  const bench = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };
  for (const name of ['ping-flood', 'tcpdump-filter', 'fuzz-frames', 'fuzz-campaign', 'nft-eval']) {
    await build({ ...bench, entryPoints: [join(root, `bench/${name}.ts`)], outfile: join(dist, `bench-${name}.js`) });
  }
}

// the web view (skbpath ui serves dist/ui)
const { buildUi } = await import('./ui_build.mjs');
await buildUi(join(dist, 'ui'));
