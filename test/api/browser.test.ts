// The library in a browser: src/index.ts bundles for platform=browser with no
// `node:` module reachable, and the bundle and the web view's worker
// (src/ui/worker.ts, `skbpath/worker`) run in a context holding only what a
// browser gives (no process, no require).
import { readFileSync } from 'node:fs';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { UiRun } from '../../src/ui/engine.ts';
import type * as Api from '../../src/index.ts';
import type { WebViewRun, WorkerLike, WorkerResponse } from '../../src/index.ts';
import { runInWorker } from '../../src/index.ts';

const root = new URL('../../', import.meta.url).pathname;
const PING = readFileSync(new URL('../../examples/ping-veth.sh', import.meta.url), 'utf8');

async function bundle(entry: string, format: 'esm' | 'iife'): Promise<{ text: string; inputs: string[] }> {
  const r = await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    platform: 'browser',
    format,
    ...(format === 'iife' ? { globalName: 'skbpath' } : {}),
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
    loader: { '.sh': 'text' },
  });
  return { text: r.outputFiles[0]?.text ?? '', inputs: Object.keys(r.metafile.inputs) };
}

/** The globals a page or a worker has that the simulator may use; no Node ones. */
function browserContext(extra: Record<string, unknown> = {}): object {
  return createContext({ TextEncoder, TextDecoder, URL, console, ...extra });
}

describe('browser bundle', () => {
  it('bundles for platform=browser with no node: module reachable', async () => {
    const { text, inputs } = await bundle('src/index.ts', 'esm');
    expect(inputs.filter((i) => i.startsWith('node:') || i.includes('src/cli/'))).toEqual([]);
    expect(inputs).toContain('src/machine/run.ts');
    expect(text).not.toMatch(/\bfrom\s*["']node:|require\(/);
  });

  it('runs a scenario in a context without Node globals', async () => {
    const { text } = await bundle('src/index.ts', 'iife');
    const ctx = browserContext();
    runInContext(text, ctx);
    const lib = runInContext('skbpath', ctx) as typeof Api;
    const r = lib.runScenario(PING);
    expect(r.exitCode).toBe(0);
    expect(r.transcript).toContain('3 packets transmitted, 3 received');
    const request = r.artifacts.events.find((e) => e.func === 'veth_xmit' && e.tuple.endsWith('(icmp)'));
    expect(lib.compileFilter('icmp').matches(request?.bytes ?? new Uint8Array())).toBe(true);
  });

  it("the web view's worker answers runInWorker", async () => {
    const { text } = await bundle('src/ui/worker.ts', 'iife');
    const listeners = new Set<(ev: { data: WorkerResponse }) => void>();
    const self: { onmessage: ((m: { data: unknown }) => void) | null; postMessage(d: WorkerResponse): void } = {
      onmessage: null,
      postMessage: (data) => {
        for (const l of listeners) l({ data });
      },
    };
    runInContext(text, browserContext({ self }));
    const worker: WorkerLike = {
      postMessage: (m) => self.onmessage?.({ data: m }),
      addEventListener: (_t, l) => void listeners.add(l),
      removeEventListener: (_t, l) => void listeners.delete(l),
    };
    const run = await runInWorker(worker, PING, { seed: 2 });
    expect(run.exitStatus).toBe(0);
    expect(run.netns.map((n) => n.name)).toEqual(['a', 'b']);
    expect(run.pcaps.length).toBeGreaterThan(0);
    expect(run.events.length).toBeGreaterThan(0);
    expect(listeners.size).toBe(0);
    await expect(runInWorker(worker, 42 as unknown as string)).rejects.toThrow();
  });

  it("publishes the worker's answer as the web view's run type", () => {
    expectTypeOf<UiRun>().toExtend<WebViewRun>();
    expectTypeOf<WebViewRun>().toExtend<UiRun>();
  });
});
