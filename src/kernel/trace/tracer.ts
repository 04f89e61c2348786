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
  /** Fired in softirq context (ftrace's 's' in the flags column). */
  readonly softirq?: boolean;
  /** smp_processor_id(): ftrace's [00N] column. */
  readonly cpu?: number;
  /** The pid of the running task (ftrace's TASK-PID column); absent for 0 (idle, softirq with no task). */
  readonly pid?: number;
}

/** Bytes an event object costs beyond its text (its fields, the array slot). */
const TRACE_EVENT_OVERHEAD = 200;

export class Tracer {
  enabled = false;
  readonly events: TraceEvent[] = [];
  /** Name of the task on the CPU (set by the scheduler glue). */
  comm = '<idle>';
  now: () => number = () => 0;
  /** The comm of the task on the CPU, when the kernel knows it. */
  commOf: () => string = () => this.comm;
  /** Whether the CPU is serving a softirq (timers, NET_RX). */
  softirqOf: () => boolean = () => false;
  /** The CPU the event fires on. */
  cpuOf: () => number = () => 0;
  /** The pid of the task on the CPU, 0 when none. */
  pidOf: () => number = () => 0;
  /**
   * Charges what a kept event costs to the run's memory budget: Linux's ring
   * buffer is bounded, but the artifacts keep every event of the traffic window
   * (as the recorder's reader of trace_pipe writes them all to disk).
   */
  charge: (bytes: number) => void = () => {};

  emit(event: string, body: string, netns: string): void {
    const cpu = this.cpuOf();
    const pid = this.pidOf();
    const e: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = {
      ts: this.now(),
      event,
      body,
      netns,
      comm: this.commOf(),
      softirq: this.softirqOf(),
    };
    if (cpu) e.cpu = cpu;
    if (pid) e.pid = pid;
    this.events.push(e);
    this.charge(TRACE_EVENT_OVERHEAD + 2 * (body.length + event.length));
  }
}
