// A run as text: `skbpath ui` runs a scenario on the host and hands the page
// the result as JSON, byte arrays as base64. Nothing here pulls in the simulator.
import type { UiRun } from './engine.ts';

/** The run as JSON, Uint8Arrays as {"$b64": …}. */
export function encodeRun(run: UiRun): string {
  return JSON.stringify(run, (_k, v: unknown) => (v instanceof Uint8Array ? { $b64: toBase64(v) } : v));
}

export function decodeRun(text: string): UiRun {
  return JSON.parse(text, (_k, v: unknown) =>
    v && typeof v === 'object' && '$b64' in v && typeof (v as { $b64: unknown }).$b64 === 'string'
      ? fromBase64((v as { $b64: string }).$b64)
      : v,
  ) as UiRun;
}

function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(t: string): Uint8Array {
  const s = atob(t);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}
