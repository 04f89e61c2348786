// Non-local control flow of the interpreter, thrown through the generators.

/** exit N, set -e, ${x:?}, set -u: leaves the (sub)shell. */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** return N from a function or a sourced file. */
export class ReturnSignal {
  constructor(readonly status: number) {}
}

/** break N / continue N. */
export class LoopSignal {
  constructor(
    readonly levels: number,
    readonly cont: boolean,
  ) {}
}

/**
 * An expansion error (arithmetic, bad substitution): a non-interactive bash
 * abandons the whole top-level command and goes on with the next one; a
 * subshell exits.
 */
export class AbortSignal {
  constructor(readonly status: number) {}
}

/** The status a (sub)shell ends with when a signal reaches its top, else null. */
export function statusOf(e: unknown): number | null {
  if (e instanceof ExitSignal || e instanceof ReturnSignal || e instanceof AbortSignal) return e.status & 255;
  if (e instanceof LoopSignal) return 0;
  return null;
}
