// The kernel's classic BPF (core/filter.ts) against libpcap's userspace copy
// (userspace/tcpdump/vm.ts): every filter of the expression list, compiled as
// tcpdump compiles it, keeps the same bytes of every corpus frame both ways;
// and bpf_check_classic refuses what the kernel refuses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bpf_check_classic, bpf_prog_run_classic, sk_filter_create, type SockFilter } from '../../../src/kernel/core/filter.ts';
import { boot } from '../../../src/kernel/init.ts';
import { alloc_skb } from '../../../src/kernel/skbuff.ts';
import { Sim } from '../../../src/sim/sim.ts';
import { compileFilter } from '../../../src/userspace/tcpdump/compile.ts';
import { runFilter } from '../../../src/userspace/tcpdump/vm.ts';
import { readPcap } from '../../../src/wire/pcap.ts';

const corpus = readPcap(new Uint8Array(readFileSync(new URL('../../oracle/bpf/corpus.pcap', import.meta.url))));
const exprs = readFileSync(new URL('../../tcpdump/expressions.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'));

const kernel = boot(new Sim());

function skbOf(frame: Uint8Array) {
  const skb = alloc_skb(kernel, frame.length, 64);
  skb.head.set(frame, skb.put(frame.length));
  skb.resetMacHeader();
  return skb;
}

describe('kernel classic BPF', () => {
  it('keeps what libpcap keeps, frame by frame, for every listed filter', () => {
    const skbs = corpus.records.map((r) => ({ frame: r.data, skb: skbOf(r.data) }));
    let compared = 0;
    for (const e of exprs) {
      let prog: ReturnType<typeof compileFilter>;
      try {
        prog = compileFilter(e, {});
      } catch {
        continue;
      }
      const f = sk_filter_create(prog as SockFilter[]);
      expect(f, e).not.toBeNull();
      if (!f) continue;
      for (const { frame, skb } of skbs) {
        expect(bpf_prog_run_classic(f, skb), `${e} on a ${frame.length}-byte frame`).toBe(
          runFilter(prog, frame, frame.length, skb.pktType),
        );
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('bpf_check_classic refuses what sk_chk_filter refuses', () => {
    const i = (code: number, k = 0, jt = 0, jf = 0): SockFilter => ({ code, jt, jf, k });
    expect(bpf_check_classic([])).toBe(false);
    expect(bpf_check_classic([i(0x28, 12)])).toBe(false); // no return at the end
    expect(bpf_check_classic([i(0x34, 0), i(0x06)])).toBe(false); // div by #0
    expect(bpf_check_classic([i(0x60, 3), i(0x06)])).toBe(false); // M[3] read before any store
    expect(bpf_check_classic([i(0x15, 0, 4, 0), i(0x06)])).toBe(false); // jump out of the program
    expect(bpf_check_classic([i(0x02, 3), i(0x60, 3), i(0x16)])).toBe(true);
  });
});
