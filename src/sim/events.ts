// The one event queue: a binary heap ordered by (time, insertion order).
// Events hold a handler and one argument so the hot path allocates no closures.

export type EventFn<T> = (arg: T) => void;

export interface Timer {
  /** Virtual time in ns when it fires; -1 when not pending. */
  expires: number;
  seq: number;
  fn: EventFn<unknown>;
  arg: unknown;
  /** Position in the heap, -1 when not queued. */
  index: number;
}

export class EventQueue {
  private heap: Timer[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Creates a timer that is not yet armed. */
  static timer<T>(fn: EventFn<T>, arg: T): Timer {
    return { expires: -1, seq: 0, fn: fn as EventFn<unknown>, arg, index: -1 };
  }

  /** Arms (or re-arms) a timer to fire at `at`. */
  arm(t: Timer, at: number): void {
    if (t.index >= 0) this.remove(t);
    t.expires = at;
    t.seq = this.seq++;
    t.index = this.heap.length;
    this.heap.push(t);
    this.up(t.index);
  }

  /** Schedules a one-shot event. */
  at<T>(when: number, fn: EventFn<T>, arg: T): Timer {
    const t = EventQueue.timer(fn, arg);
    this.arm(t, when);
    return t;
  }

  cancel(t: Timer): boolean {
    if (t.index < 0) return false;
    this.remove(t);
    t.expires = -1;
    return true;
  }

  peekTime(): number {
    const top = this.heap[0];
    return top ? top.expires : Infinity;
  }

  pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top) return undefined;
    this.remove(top);
    return top;
  }

  private remove(t: Timer): void {
    const h = this.heap;
    const i = t.index;
    const last = h.pop() as Timer;
    t.index = -1;
    if (last !== t) {
      h[i] = last;
      last.index = i;
      this.down(i);
      this.up(last.index);
    }
  }

  private less(a: Timer, b: Timer): boolean {
    return a.expires < b.expires || (a.expires === b.expires && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    const t = h[i] as Timer;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = h[p] as Timer;
      if (!this.less(t, pt)) break;
      h[i] = pt;
      pt.index = i;
      i = p;
    }
    h[i] = t;
    t.index = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const t = h[i] as Timer;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      let c = l;
      if (r < n && this.less(h[r] as Timer, h[l] as Timer)) c = r;
      const ct = h[c] as Timer;
      if (!this.less(ct, t)) break;
      h[i] = ct;
      ct.index = i;
      i = c;
    }
    h[i] = t;
    t.index = i;
  }
}
