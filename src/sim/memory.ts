// The memory budget: what a scenario holds that Linux would not bound by
// itself. Linux bounds the network side (sk_rcvbuf/sk_sndbuf and tcp_mem for
// sockets, netdev_max_backlog, unres_qlen_bytes, ipfrag_high_thresh, accept
// backlogs) and skbpath models those limits where the packets are, so skbs are
// not charged here. What only the machine's RAM and disk would stop is:
// files the script writes, data waiting in pipes (Linux would block the
// writer at 64 KiB; skbpath's writers cannot block), command-substitution
// output and shell variables, and the frames a capture keeps.
import { BudgetExceeded, isEngineLimit } from './errors.ts';

export type MemKind = 'files' | 'pipes' | 'shell variables' | 'command substitutions' | 'here-documents' | 'captures' | 'tracepoints';

export const MIB = 1024 * 1024;
/** Bytes charged between two checks of the real process's RSS. */
const HOST_CHECK_BYTES = 8 * MIB;

export class MemoryBudget {
  used = 0;
  peak = 0;
  readonly byKind = new Map<MemKind, number>();
  /** The largest file written, for the message. */
  biggestFile = '';

  constructor(
    readonly limit: number,
    private readonly now: () => number,
  ) {}

  /**
   * Called after every HOST_CHECK_BYTES charged (the Sim checks the real
   * process's RSS there): memory can grow within one step of a task, between
   * two events of the run loop.
   */
  onGrow: (() => void) | null = null;
  private grown = 0;

  /** `bytes` more (or fewer, when negative) of `kind`; over the limit the run stops. */
  charge(kind: MemKind, bytes: number): void {
    if (!bytes) return;
    if (bytes > 0 && this.onGrow && (this.grown += bytes) >= HOST_CHECK_BYTES) {
      this.grown = 0;
      this.onGrow();
    }
    this.used += bytes;
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + bytes);
    if (this.used > this.peak) this.peak = this.used;
    if (this.used > this.limit) throw this.exceeded('');
  }

  /** The budget's error: what holds the memory, largest first. */
  exceeded(note: string): BudgetExceeded {
    const parts = [...this.byKind].filter(([, v]) => v >= 1024).sort((a, b) => b[1] - a[1]);
    const size = (v: number): string => (v >= MIB ? `${(v / MIB).toFixed(1)} MiB` : `${Math.round(v / 1024)} KiB`);
    const what = parts.map(([k, v]) => `${k} ${size(v)}${k === 'files' && this.biggestFile ? ` (largest ${this.biggestFile})` : ''}`);
    if (note) what.push(note);
    return new BudgetExceeded(
      'memory',
      `skbpath: memory budget of ${Math.round(this.limit / MIB)} MiB exhausted at t=${(this.now() / 1e9).toFixed(6)}s: ${what.join(', ')}`,
    );
  }

  /**
   * A value too large for the JavaScript engine (a string past its length
   * limit) ends the run as the budget does: whatever grew that big was on its
   * way past the limit.
   */
  static isEngineLimit(e: unknown): boolean {
    return isEngineLimit(e);
  }

  uncharge(kind: MemKind, bytes: number): void {
    this.charge(kind, -bytes);
  }
}
