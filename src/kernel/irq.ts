// Interrupt descriptors as kernel/irq keeps them, for the devices that raise
// interrupts (e1000): the IRQ number a PCI device gets, its affinity mask
// (/proc/irq/N/smp_affinity, smp_affinity_list) and the CPU the interrupt is
// delivered to (effective_affinity). x86's vector allocator puts an interrupt
// on one CPU of its mask; here that is the lowest CPU of the mask (Linux
// picks the least loaded one, which on an idle machine is usually the first).
import type { Kernel } from './kernel.ts';
import { bitmap_parse, cpumask_print } from './core/rps.ts';

/** struct irq_desc: the part /proc/irq shows. */
export interface IrqDesc {
  readonly irq: number;
  /** The action's name (request_irq's devname): the netdev's name. */
  name: string;
  /** irq_common_data.affinity, CPU numbers in order. */
  affinity: number[];
  /** Interrupts handled, per CPU (what /proc/interrupts would count). */
  readonly count: number[];
}

/** PCI INTx on a q35/IO-APIC machine lands on GSI 16-23: the first device interrupt gets 16. */
const FIRST_PCI_IRQ = 16;

export function irq_default_affinity(k: Kernel): number[] {
  return k.irqDefaultAffinity ?? Array.from({ length: k.sim.smp.nrCpuIds }, (_, i) => i);
}

/** write_default_smp_affinity(): a mask with no online CPU is EINVAL. */
export function write_default_smp_affinity(k: Kernel, buf: string): null | 'EINVAL' | 'EOVERFLOW' {
  const mask = bitmap_parse(buf, k.sim.smp.nrCpuIds);
  if (typeof mask === 'string') return mask;
  if (!mask.length) return 'EINVAL';
  k.irqDefaultAffinity = mask;
  return null;
}

function table(k: Kernel): Map<number, IrqDesc> {
  return k.irqDescs;
}

/** The PCI core's pdev->irq for a new device, its descriptor with the default affinity (every CPU unless default_smp_affinity says otherwise). */
export function irq_alloc_desc(k: Kernel, name: string): IrqDesc {
  const t = table(k);
  let irq = FIRST_PCI_IRQ;
  while (t.has(irq)) irq++;
  const n = k.sim.smp.nrCpuIds;
  const d: IrqDesc = { irq, name, affinity: irq_default_affinity(k), count: new Array<number>(n).fill(0) };
  t.set(irq, d);
  return d;
}

export function irq_to_desc(k: Kernel, irq: number): IrqDesc | undefined {
  return table(k).get(irq);
}

export function irq_descs(k: Kernel): IrqDesc[] {
  return [...table(k).values()].sort((a, b) => a.irq - b.irq);
}

/** The CPU the interrupt is delivered to: the effective affinity (one CPU of the mask). */
export function irq_effective_cpu(d: IrqDesc): number {
  return d.affinity[0] ?? 0;
}

/** "%*pbl": ranges like 0-3,5 */
export function cpumask_print_list(cpus: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < cpus.length; ) {
    let j = i;
    while (j + 1 < cpus.length && (cpus[j + 1] as number) === (cpus[j] as number) + 1) j++;
    out.push(i === j ? String(cpus[i]) : `${cpus[i]}-${cpus[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** bitmap_parselist(): "0-3,5" (with an optional :used/group stride); a CPU at or past nbits is ERANGE. */
export function bitmap_parselist(buf: string, nbits: number): number[] | 'EINVAL' | 'ERANGE' {
  const s = buf.replace(/\n$/, '').trim();
  const set = new Set<number>();
  if (s === '') return [];
  for (const part of s.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+)(?::(\d+)\/(\d+))?)?\s*$/.exec(part);
    if (!m) return 'EINVAL';
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    const used = m[3] !== undefined ? Number(m[3]) : 1;
    const group = m[4] !== undefined ? Number(m[4]) : 1;
    if (b < a || used === 0 || used > group) return 'EINVAL';
    if (b >= nbits) return 'ERANGE';
    for (let c = a; c <= b; c++) if ((c - a) % group < used) set.add(c);
  }
  return [...set].sort((x, y) => x - y);
}

/** show_irq_affinity(): smp_affinity, smp_affinity_list, effective_affinity, effective_affinity_list. */
export function show_irq_affinity(k: Kernel, d: IrqDesc, file: string): string | null {
  const n = k.sim.smp.nrCpuIds;
  switch (file) {
    case 'smp_affinity':
      return `${cpumask_print(d.affinity, n)}\n`;
    case 'smp_affinity_list':
      return `${cpumask_print_list(d.affinity)}\n`;
    case 'effective_affinity':
      return `${cpumask_print([irq_effective_cpu(d)], n)}\n`;
    case 'effective_affinity_list':
      return `${irq_effective_cpu(d)}\n`;
  }
  return null;
}

/** write_irq_affinity(): a mask (or list) with no online CPU is EINVAL on x86 (irq_select_affinity_usr). */
export function write_irq_affinity(k: Kernel, d: IrqDesc, list: boolean, buf: string): null | 'EINVAL' | 'EOVERFLOW' | 'ERANGE' {
  const n = k.sim.smp.nrCpuIds;
  const mask = list ? bitmap_parselist(buf, n) : bitmap_parse(buf, n);
  if (typeof mask === 'string') return mask;
  if (!mask.length) return 'EINVAL';
  d.affinity = mask;
  return null;
}
