// `skbpath ui`: serves the web view (dist/ui) on the loopback address only.
// It serves its own four files, the scenario it was given and that scenario's
// run (made here, with the host's working directory as the scenario's files), nothing else:
// the URL path is compared with a fixed list, never joined to a directory, so
// no path reaches another file. Requests naming another host are refused
// (a page elsewhere cannot reach the server through DNS rebinding).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const UI_HOST = '127.0.0.1';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/worker.js': { file: 'worker.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/** The built page: dist/ui beside the bundled CLI, or the repository's dist/ui when run from source. */
export function findUiAssets(): string | null {
  const candidates = [new URL('./ui/', import.meta.url), new URL('../../dist/ui/', import.meta.url)];
  for (const c of candidates) {
    const dir = fileURLToPath(c);
    if (existsSync(`${dir}index.html`) && existsSync(`${dir}app.js`) && existsSync(`${dir}worker.js`)) return dir;
  }
  return null;
}

export interface UiServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Directory holding index.html, app.js, worker.js, app.css. */
  assets: string;
  /** The scenario the page opens with. */
  scenario: { name: string; text: string } | null;
  /** That scenario's run, made here on the host (encodeRun), which the page shows first. */
  run?: string | null;
}

export interface UiServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  // read once: the server never opens a file after it starts
  const bodies = new Map<string, Buffer>();
  for (const [path, f] of Object.entries(FILES))
    bodies.set(path, readFileSync(`${opts.assets}${opts.assets.endsWith('/') ? '' : '/'}${f.file}`));
  const scenario = Buffer.from(JSON.stringify(opts.scenario ?? { name: null, text: null }));
  const run = opts.run ? Buffer.from(opts.run) : null;
  let port = opts.port;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const send = (code: number, type: string, body: Buffer | string): void => {
      res.writeHead(code, {
        'Content-Type': type,
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Content-Security-Policy':
          "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; worker-src 'self'; connect-src 'self'",
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    const host = req.headers.host ?? '';
    if (host !== `${UI_HOST}:${port}` && host !== `localhost:${port}`) {
      send(403, 'text/plain; charset=utf-8', 'forbidden: this server answers only to 127.0.0.1\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q >= 0 ? raw.slice(0, q) : raw;
    if (path === '/scenario.json') {
      send(200, 'application/json; charset=utf-8', scenario);
      return;
    }
    if (path === '/run.json' && run) {
      send(200, 'application/json; charset=utf-8', run);
      return;
    }
    const f = FILES[path];
    const body = f ? bodies.get(path) : undefined;
    if (!f || !body) {
      send(404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    send(200, f.type, body);
  };
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, UI_HOST, () => {
      const a = server.address();
      port = a && typeof a === 'object' ? a.port : opts.port;
      resolve({
        server,
        port,
        url: `http://${UI_HOST}:${port}/`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
