// The progress line: on stderr, when stderr is a terminal and a run has taken
// over a second, how far it got (virtual time, events, packets), rewritten in
// place and erased at the end or before the transcript prints more.
// SKBPATH_TEST_TTY=1 stands for a terminal and SKBPATH_PROGRESS_AFTER_MS for
// the second, so tests see the line without a terminal or a slow run.
import type { RunProgress } from '../machine/run.ts';

export interface ProgressReporter {
  update(p: RunProgress): void;
  /** Erases the line (before other output, and at the end). */
  clear(): void;
  done(): void;
}

let reporter: ProgressReporter | null | undefined;

/** The one reporter of this process, or null when stderr is not a terminal. */
export function progressReporter(
  env: NodeJS.ProcessEnv = process.env,
  stderr: { isTTY?: boolean; write(s: string): unknown } = process.stderr,
  clock: () => number = Date.now,
): ProgressReporter | null {
  if (reporter !== undefined) return reporter;
  const tty = env['SKBPATH_TEST_TTY'] === '1' || stderr.isTTY === true;
  if (!tty) {
    reporter = null;
    return null;
  }
  const after = Number(env['SKBPATH_PROGRESS_AFTER_MS'] ?? 1000);
  const t0 = clock();
  let last = Number.NEGATIVE_INFINITY;
  let shown = false;
  const clear = (): void => {
    if (shown) stderr.write('\r\x1b[K');
    shown = false;
  };
  reporter = {
    update(p) {
      const now = clock();
      if (now - t0 < after || now - last < 200) return;
      last = now;
      shown = true;
      stderr.write(`\rskbpath: t=${(p.now / 1e9).toFixed(6)}s ${p.events} events ${p.packets()} packets\x1b[K`);
    },
    clear,
    done: clear,
  };
  return reporter;
}

/** Erases the progress line if one is showing (the transcript is about to print). */
export function clearProgress(): void {
  reporter?.clear();
}
