// `skbpath ui`'s server: loopback only, its own files only, no path reaches
// anything else; the CLI prints the URL and rejects bad options.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeRun } from '../../src/ui/codec.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from '../../src/cli/ui_server.ts';

const repo = new URL('../..', import.meta.url).pathname;

/** A raw GET: the path goes on the wire exactly as written (no URL normalisation). */
function get(
  port: number,
  path: string,
  opts: { host?: string; method?: string } = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { Host: opts.host ?? `127.0.0.1:${port}` } },
      (res) => {
        let body = '';
        res.setEncoding('latin1');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('skbpath ui server', () => {
  let srv: UiServer;
  let assets: string;
  beforeAll(async () => {
    // a fake asset directory: the server must serve exactly these and nothing beside them
    assets = mkdtempSync(join(tmpdir(), 'skbpath-ui-'));
    writeFileSync(join(assets, 'index.html'), '<!doctype html><title>skbpath</title>');
    writeFileSync(join(assets, 'app.js'), 'console.log("app")');
    writeFileSync(join(assets, 'worker.js'), 'console.log("worker")');
    writeFileSync(join(assets, 'app.css'), 'body{}');
    writeFileSync(join(assets, 'secret.txt'), 'SECRET-NEXT-TO-ASSETS');
    srv = await startUiServer({ port: 0, assets, scenario: { name: 'demo', text: 'ip netns add a\n' } });
  });
  afterAll(async () => srv?.close());

  it('listens on 127.0.0.1 only and prints that URL', () => {
    const a = srv.server.address();
    expect(a && typeof a === 'object' ? a.address : a).toBe('127.0.0.1');
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/`);
  });

  it("is not reachable on the machine's other addresses", async () => {
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i && i.family === 'IPv4' && !i.internal);
    for (const i of others) {
      const res = await new Promise<string>((resolve) => {
        const s = connect({ host: (i as { address: string }).address, port: srv.port });
        s.on('connect', () => (s.destroy(), resolve('connected')));
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(res).toBe('ECONNREFUSED');
    }
  });

  it('serves the page, its scripts and the scenario', async () => {
    const idx = await get(srv.port, '/');
    expect(idx.status).toBe(200);
    expect(idx.type).toBe('text/html; charset=utf-8');
    expect(idx.body).toContain('<title>skbpath</title>');
    expect((await get(srv.port, '/app.js')).body).toBe('console.log("app")');
    expect((await get(srv.port, '/worker.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get(srv.port, '/app.css?v=1')).body).toBe('body{}');
    expect(JSON.parse((await get(srv.port, '/scenario.json')).body)).toEqual({ name: 'demo', text: 'ip netns add a\n' });
  });

  it('serves nothing else: traversal, encodings, absolute paths and neighbours all 404', async () => {
    const paths = [
      '/secret.txt',
      '/../package.json',
      '/../../../../etc/passwd',
      '/%2e%2e/package.json',
      '/%2e%2e%2fpackage.json',
      '/..%2f..%2fetc%2fpasswd',
      '/app.js/../secret.txt',
      '/./secret.txt',
      '//etc/passwd',
      '/etc/passwd',
      '/index.html/..',
      '/APP.JS',
      '/app.js%00.html',
      '/dist/ui/app.js',
      '/src/cli/ui_server.ts',
      '\\..\\package.json',
      'http://127.0.0.1/../package.json',
      '/..\\..\\etc\\passwd',
      '/%5c..%5cpackage.json',
    ];
    for (const p of paths) {
      const r = await get(srv.port, p);
      expect(r.body).not.toContain('SECRET');
      if (p.startsWith('/')) {
        expect(r.status, p).toBe(404);
        expect(r.body).toBe('not found\n');
      } else expect([400, 404], p).toContain(r.status); // Node's parser refuses a target that is not a path (400) or passes an absolute URL on
    }
  });

  it('has no run.json unless it was given a run', async () => {
    expect((await get(srv.port, '/run.json')).status).toBe(404);
  });

  it('refuses other hosts (DNS rebinding) and other methods', async () => {
    expect((await get(srv.port, '/', { host: `evil.example:${srv.port}` })).status).toBe(403);
    expect((await get(srv.port, '/', { host: '127.0.0.1' })).status).toBe(403);
    expect((await get(srv.port, '/', { host: `localhost:${srv.port}` })).status).toBe(200);
    expect((await get(srv.port, '/', { method: 'POST' })).status).toBe(405);
    expect((await get(srv.port, '/', { method: 'PUT' })).status).toBe(405);
  });
});

/** Runs the CLI from source; resolves with its output once `until` matches (then `onReady`, then kills it) or it exits. */
function cli(
  args: string[],
  until?: RegExp,
  opts: { cwd?: string; onReady?: (out: string) => Promise<void> } = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const tsx = pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
    const p = spawn(process.execPath, ['--import', tsx, join(repo, 'src/cli/main.ts'), ...args], {
      cwd: opts.cwd ?? repo,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let done = false;
    const check = (): void => {
      if (until && !done && until.test(out)) {
        done = true;
        void (opts.onReady ? opts.onReady(out) : Promise.resolve()).finally(() => p.kill('SIGTERM'));
      }
    };
    p.stdout.on('data', (c: Buffer) => ((out += c.toString()), check()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('skbpath ui command line', () => {
  it('prints the 127.0.0.1 URL it serves', async () => {
    const r = await cli(['ui', 'test/oracle/scenarios/ping-veth.sh', '--port', '0'], /serving http:\/\/127\.0\.0\.1:\d+\//);
    expect(r.out).toMatch(
      /^skbpath ui: ran test\/oracle\/scenarios\/ping-veth\.sh \(\d+ path events, exit 0\)\nskbpath ui: serving http:\/\/127\.0\.0\.1:\d+\/ \(127\.0\.0\.1 only; Ctrl-C stops\)\n$/,
    );
  });

  it('reports a port in use', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    const r = await cli(['ui', '--port', String(port)]);
    busy.close();
    expect(r.code).toBe(1);
    expect(r.err).toBe(`skbpath: ui: cannot listen on 127.0.0.1:${port}: EADDRINUSE (--port 0 picks a free port)\n`);
  });

  it('runs the script on the host, with the files of its directory, and serves that run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skbpath-ui-cwd-'));
    writeFileSync(join(dir, 'greeting.txt'), 'hello from the host directory\n');
    writeFileSync(join(dir, 's.sh'), 'ip netns add a\n# @traffic\ncat greeting.txt\nip -n a link\n');
    let served = '';
    const r = await cli(['ui', 's.sh', '--port', '0'], /serving http:\/\/127\.0\.0\.1:\d+\//, {
      cwd: dir,
      onReady: async (out) => {
        const port = Number(/127\.0\.0\.1:(\d+)\//.exec(out)?.[1]);
        served = (await get(port, '/run.json')).body;
      },
    });
    expect(r.out).toMatch(/^skbpath ui: ran s\.sh \(0 path events, exit 0\)\nskbpath ui: serving /);
    const run = decodeRun(served);
    expect(run.transcript).toBe(
      'hello from the host directory\n1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n',
    );
    expect(run.netns.map((n) => n.name)).toEqual(['a']);
  });

  it('rejects a bad port and a missing script', async () => {
    const bad = await cli(['ui', '--port', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('skbpath: --port needs a port number (0-65535; 0 picks a free one)\n');
    const big = await cli(['ui', '--port', '70000']);
    expect(big.code).toBe(2);
    const missing = await cli(['ui', 'no-such.sh']);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('skbpath: no-such.sh: No such file or directory\n');
  });
});
