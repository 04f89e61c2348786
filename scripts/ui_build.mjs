// Bundles the web view (src/ui) into OUTDIR: index.html, app.css, app.js (the
// page: Preact, cytoscape) and worker.js (the simulator, run off the page's
// thread). Everything is local: the page loads nothing from elsewhere.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildUi(outdir = join(root, 'dist/ui'), { minify = true } = {}) {
  mkdirSync(outdir, { recursive: true });
  const common = {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify,
    sourcemap: false,
    logLevel: 'warning',
    loader: { '.sh': 'text' },
    legalComments: 'none',
  };
  await build({ ...common, entryPoints: [join(root, 'src/ui/app.ts')], outfile: join(outdir, 'app.js') });
  await build({ ...common, entryPoints: [join(root, 'src/ui/worker.ts')], outfile: join(outdir, 'worker.js') });
  copyFileSync(join(root, 'src/ui/index.html'), join(outdir, 'index.html'));
  copyFileSync(join(root, 'src/ui/app.css'), join(outdir, 'app.css'));
  return outdir;
}
