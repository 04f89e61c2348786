// `skbpath ui [SCRIPT] [--port N]`: serve the web view on 127.0.0.1 and print its URL.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { findUiAssets, startUiServer } from './ui_server.ts';
import { runForUi } from '../ui/engine.ts';
import { encodeRun } from '../ui/codec.ts';
import type { Vfs } from '../userspace/proc.ts';

/**
 * `makeVfs(dir)` gives the scenario the files of the current directory, as
 * `skbpath run` does: the CLI runs the script once here, so the page opens on a
 * run that could read the host's files; edits re-run in the page.
 */
export function uiCli(args: string[], usage: string, makeVfs: (dir: string) => Vfs): number {
  let script: string | undefined;
  let port = 8080;
  let seed = 1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--port') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) {
        process.stderr.write('skbpath: --port needs a port number (0-65535; 0 picks a free one)\n');
        return 2;
      }
      port = Number(v);
    } else if (a === '--seed') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v)) {
        process.stderr.write('skbpath: --seed needs a non-negative integer\n');
        return 2;
      }
      seed = Number(v);
    } else if (!script && !a.startsWith('-')) script = a;
    else {
      process.stderr.write(usage);
      return 2;
    }
  }
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
