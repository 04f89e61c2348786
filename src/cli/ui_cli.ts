// `skbpath ui [SCRIPT] [--port N]`: serve the web view on 127.0.0.1 and print its URL.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { findUiAssets, startUiServer } from './ui_server.ts';

export function uiCli(args: string[], usage: string): number {
  let script: string | undefined;
  let port = 8080;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--port') {
      const v = args[++i];
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) {
        process.stderr.write('skbpath: --port needs a port number (0-65535; 0 picks a free one)\n');
        return 2;
      }
      port = Number(v);
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
  startUiServer({ port, assets, scenario }).then(
    (s) => {
      process.stdout.write(`skbpath ui: serving ${s.url} (127.0.0.1 only; Ctrl-C stops)\n`);
    },
    (e: NodeJS.ErrnoException) => {
      process.stderr.write(`skbpath: ui: cannot listen on 127.0.0.1:${port}: ${e.code ?? e.message}${e.code === 'EADDRINUSE' ? ' (--port 0 picks a free port)' : ''}\n`);
      process.exitCode = 1;
    },
  );
  return 0;
}
