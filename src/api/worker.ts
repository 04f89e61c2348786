// The web view's worker (src/ui/worker.ts, shipped as dist/ui/worker.js and
// exported as `skbpath/worker`): where it is, and a promise-based call.
import type { WebViewRun, WorkerRequest, WorkerResponse } from './types.ts';

/**
 * The URL of the web view's worker script (`dist/ui/worker.js`, a classic
 * script), as a string: `new Worker(workerUrl())` in a browser. Bundlers that
 * understand `new URL(…, import.meta.url)` (Vite, webpack 5) copy the file along.
 */
export function workerUrl(): string {
  return new URL('./ui/worker.js', import.meta.url).href;
}

/** The part of the Web Worker interface {@link runInWorker} uses. */
export interface WorkerLike {
  postMessage(message: WorkerRequest): void;
  addEventListener(type: 'message', listener: (ev: { data: WorkerResponse }) => void): void;
  removeEventListener(type: 'message', listener: (ev: { data: WorkerResponse }) => void): void;
}

let nextId = 1;

/**
 * Runs a scenario in the web view's worker and resolves to what the page
 * shows (every path event, the topology with its tables, the captures);
 * rejects with the worker's error text when the simulator failed.
 */
export function runInWorker(worker: WorkerLike, script: string, opts: { seed?: number } = {}): Promise<WebViewRun> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (ev: { data: WorkerResponse }): void => {
      if (ev.data.id !== id) return;
      worker.removeEventListener('message', onMessage);
      if ('run' in ev.data) resolve(ev.data.run);
      else reject(new Error(ev.data.fatal));
    };
    worker.addEventListener('message', onMessage);
    worker.postMessage({ id, script, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
  });
}
