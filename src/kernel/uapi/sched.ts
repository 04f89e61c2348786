// sched_setaffinity(2) and sched_getaffinity(2) for the simulated tasks, as
// taskset uses them. The scheduler never migrates a task by itself, so a task
// runs on the lowest online CPU of its mask. A task crosses as an opaque
// handle (what pidfd_open would give); the namespace handle names the kernel.
import type { Task } from '../../sim/sched.ts';
import type { Net } from '../net_namespace.ts';
import { EINVAL, ESRCH } from './errno.ts';

export type TaskHandle = Task;

/** The calling task (getpid()), or null outside a task. */
export function sched_self(netns: Net): TaskHandle | null {
  return netns.kernel.sim.sched.current;
}

/** The task's pid. */
export function task_pid(t: TaskHandle): number {
  return t.pid;
}

/** The CPUs the task may run on (its one CPU). */
export function sched_getaffinity(t: TaskHandle): number[] {
  return [t.cpu];
}

/** Number of possible CPUs (nr_cpu_ids). */
export function nr_cpu_ids(netns: Net): number {
  return netns.kernel.sim.smp.nrCpuIds;
}

/** sched_setaffinity(): 0, or -EINVAL when the mask holds no online CPU (-ESRCH for no task). */
export function sched_setaffinity(netns: Net, t: TaskHandle | null, cpus: readonly number[]): number {
  if (!t) return -ESRCH;
  const sim = netns.kernel.sim;
  const online = cpus.filter((c) => c >= 0 && c < sim.smp.nrCpuIds).sort((a, b) => a - b);
  const cpu = online[0];
  if (cpu === undefined) return -EINVAL;
  // a running task moves at once (its old CPU's pending softirqs run first); a sleeping one on its next run
  if (sim.sched.current === t) sim.sched.setCpu(t, cpu);
  else t.cpu = cpu;
  return 0;
}
