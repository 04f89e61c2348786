// What ends a run before its script does: a budget (exit 124) or an internal
// error of skbpath itself (exit 70). Both pass through every program and
// shell between where they happen and the run loop: nothing may swallow them.

export type BudgetKind = 'events' | 'time' | 'tasks' | 'memory' | 'busy' | 'deadlock' | 'wall' | 'rss';

export class BudgetExceeded extends Error {
  constructor(
    readonly what: BudgetKind,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/**
 * An exception no program meant to raise (a bug in skbpath): the run stops
 * with `skbpath: internal error in COMM: …` and exit status 70.
 */
export class InternalError extends Error {
  constructor(
    readonly comm: string,
    readonly error: unknown,
  ) {
    super(error instanceof Error ? error.message : String(error));
  }

  /** The original exception's stack (SKBPATH_DEBUG=1 prints it). */
  get originalStack(): string {
    return this.error instanceof Error ? (this.error.stack ?? this.message) : this.message;
  }
}

/** An exception that must end the run wherever it is raised. */
export function stopsRun(e: unknown): e is BudgetExceeded | InternalError {
  return e instanceof BudgetExceeded || e instanceof InternalError;
}

/**
 * A value too large for the JavaScript engine (a string past its length
 * limit): the run ends as the memory budget does.
 */
export function isEngineLimit(e: unknown): boolean {
  return e instanceof RangeError && /Invalid string length|Invalid array length|Array buffer allocation failed/.test(e.message);
}
