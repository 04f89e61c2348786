// Recursion without the JavaScript stack: a recursive function written as a
// generator yields the generator of each call it makes and receives its
// result (or its exception) back, while run() keeps the chain of calls in an
// array. Depth that comes from the input (nested parentheses, long chains of
// "and") is then bounded by memory, not by the engine's stack.

/** A recursive step: yields the calls it makes, returns its value. */
export type Rec<T> = Generator<Rec<unknown>, T, unknown>;

/** Runs a generator-written recursion to its end; exceptions travel up the calls as with real ones. */
export function run<T>(top: Rec<T>): T {
  const stack: Rec<unknown>[] = [top];
  let input: unknown;
  let error: unknown;
  let failed = false;
  for (;;) {
    const g = stack[stack.length - 1] as Rec<unknown>;
    let r: IteratorResult<Rec<unknown>, unknown>;
    try {
      r = failed ? g.throw(error) : g.next(input);
      failed = false;
    } catch (e) {
      stack.pop();
      if (stack.length === 0) throw e;
      error = e;
      failed = true;
      continue;
    }
    if (r.done) {
      stack.pop();
      if (stack.length === 0) return r.value as T;
      input = r.value;
    } else {
      stack.push(r.value);
      input = undefined;
    }
  }
}

/**
 * Depth-first walk of a graph without recursion: `pre` on the first visit of
 * a node, then its children in order, then `post`. A `post` that returns
 * false stops the walk, and walk() returns false.
 */
export function walk<N>(
  root: N | null,
  children: (n: N) => readonly (N | null)[],
  seen: Set<N>,
  pre?: (n: N) => void,
  post?: (n: N) => boolean | undefined,
): boolean {
  if (root === null || seen.has(root)) return true;
  seen.add(root);
  pre?.(root);
  const stack: { n: N; kids: readonly (N | null)[]; i: number }[] = [{ n: root, kids: children(root), i: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1] as { n: N; kids: readonly (N | null)[]; i: number };
    if (top.i < top.kids.length) {
      const c = top.kids[top.i++] as N | null;
      if (c === null || seen.has(c)) continue;
      seen.add(c);
      pre?.(c);
      stack.push({ n: c, kids: children(c), i: 0 });
      continue;
    }
    stack.pop();
    if (post && post(top.n) === false) return false;
  }
  return true;
}
