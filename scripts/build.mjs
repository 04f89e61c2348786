// Bundles the CLI and the benchmarks into runnable JavaScript under dist/.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };
// `skbpath --version` prints package.json's version, fixed in the bundle here
const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/skbpath.js',
  banner: { js: '#!/usr/bin/env node' },
  define: { SKBPATH_VERSION: JSON.stringify(version) },
});
await build({ ...common, entryPoints: ['bench/ping-flood.ts'], outfile: 'dist/bench-ping-flood.js' });
await build({ ...common, entryPoints: ['bench/tcpdump-filter.ts'], outfile: 'dist/bench-tcpdump-filter.js' });
await build({ ...common, entryPoints: ['bench/fuzz-frames.ts'], outfile: 'dist/bench-fuzz-frames.js' });
// the web view (skbpath ui serves dist/ui)
const { buildUi } = await import('./ui_build.mjs');
await buildUi();
