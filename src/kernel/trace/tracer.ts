// The ftrace ring buffer: one for the whole simulated machine, shared by all
// namespaces as on Linux. Events are kept as the text their TP_printk prints.

export interface TraceEvent {
  /** Virtual time in ns. */
  readonly ts: number;
  /** Event name as ftrace shows it (`fib_table_lookup`, `kfree_skb`, ...). */
  readonly event: string;
  /** TP_printk output. */
  readonly body: string;
  /** Namespace the event fired in. */
  readonly netns: string;
  /** The comm of the running task, or `<idle>`/`ksoftirqd` for softirq work. */
  readonly comm: string;
}

export class Tracer {
  enabled = false;
  readonly events: TraceEvent[] = [];
  /** Name of the task on the CPU (set by the scheduler glue). */
  comm = '<idle>';
  now: () => number = () => 0;
  /** The comm of the task on the CPU, when the kernel knows it. */
  commOf: () => string = () => this.comm;

  emit(event: string, body: string, netns: string): void {
    this.events.push({ ts: this.now(), event, body, netns, comm: this.commOf() });
  }
}
