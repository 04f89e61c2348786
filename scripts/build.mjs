// Bundles the CLI and the benchmarks into runnable JavaScript under dist/.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', sourcemap: true, logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/skbpath.js', banner: { js: '#!/usr/bin/env node' } });
await build({ ...common, entryPoints: ['bench/ping-flood.ts'], outfile: 'dist/bench-ping-flood.js' });
await build({ ...common, entryPoints: ['bench/tcpdump-filter.ts'], outfile: 'dist/bench-tcpdump-filter.js' });
await build({ ...common, entryPoints: ['bench/fuzz-frames.ts'], outfile: 'dist/bench-fuzz-frames.js' });
await build({ ...common, entryPoints: ['bench/fuzz-campaign.ts'], outfile: 'dist/bench-fuzz-campaign.js' });
// the web view (skbpath ui serves dist/ui)
const { buildUi } = await import('./ui_build.mjs');
await buildUi();
