// Web Worker: runs a scenario off the page's thread and posts the result back.
import { runForUi } from './engine.ts';

interface Req {
  id: number;
  script: string;
  seed?: number;
}

const ctx = self as unknown as {
  onmessage: ((m: MessageEvent<Req>) => void) | null;
  postMessage(data: unknown, transfer?: Transferable[]): void;
};

ctx.onmessage = (m: MessageEvent<Req>): void => {
  const { id, script, seed } = m.data;
  try {
    const run = runForUi(script, seed === undefined ? {} : { seed });
    ctx.postMessage({ id, run });
  } catch (e) {
    ctx.postMessage({ id, fatal: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e) });
  }
};
