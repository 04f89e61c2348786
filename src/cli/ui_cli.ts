// `skbpath ui [SCRIPT] [--port N] [--seed N]` (options parsed by args.ts): serve the web view on 127.0.0.1 and print its URL.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { findUiAssets, startUiServer } from './ui_server.ts';
import { runForUi } from '../ui/engine.ts';
import { encodeRun } from '../ui/codec.ts';
import type { Vfs } from '../userspace/proc.ts';
import type { OptValue } from './args.ts';

/**
 * `makeVfs(dir)` gives the scenario the files of the current directory, as
 * `skbpath run` does: the CLI runs the script once here, so the page opens on a
 * run that could read the host's files; edits re-run in the page.
 */
export function uiCli(script: string | undefined, opts: Record<string, OptValue>, makeVfs: (dir: string) => Vfs): number {
  const port = (opts['port'] as number | undefined) ?? 8080;
  const seed = (opts['seed'] as number | undefined) ?? 1;
  let scenario: { name: string; text: string } | null = null;
  if (script) {
    try {
      scenario = { name: basename(script).replace(/\.sh$/, ''), text: readFileSync(script, 'utf8') };
    } catch {
      process.stderr.write(`skbpath: ${script}: No such file or directory\n`);
      return 2;
    }
  }
  const assets = findUiAssets();
  if (!assets) {
    process.stderr.write('skbpath: the web view is not built (run npm run build)\n');
    return 1;
  }
  let run: string | null = null;
  if (scenario) {
    const r = runForUi(scenario.text, { seed, vfs: makeVfs(process.cwd()) });
    run = encodeRun(r);
    process.stdout.write(`skbpath ui: ran ${script} (${r.events.length} path events, exit ${r.exitStatus})\n`);
  }
  startUiServer({ port, assets, scenario, run }).then(
    (s) => {
      process.stdout.write(`skbpath ui: serving ${s.url} (127.0.0.1 only; Ctrl-C stops)\n`);
    },
    (e: NodeJS.ErrnoException) => {
      process.stderr.write(
        `skbpath: ui: cannot listen on 127.0.0.1:${port}: ${e.code ?? e.message}${e.code === 'EADDRINUSE' ? ' (--port 0 picks a free port)' : ''}\n`,
      );
      process.exitCode = 1;
    },
  );
  return 0;
}
