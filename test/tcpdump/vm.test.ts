// The BPF machine: the checker's rules, the interpreter against the compiled
// fast path, and untrusted bytes that never throw (VM and printer).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as B from '../../src/userspace/tcpdump/bpf.ts';
import { compileFilter } from '../../src/userspace/tcpdump/compile.ts';
import { Printer } from '../../src/userspace/tcpdump/print.ts';
import { checkFilter, jitFilter, runFilter } from '../../src/userspace/tcpdump/vm.ts';

const I = (code: number, k = 0, jt = 0, jf = 0): B.Insn => ({ code, jt, jf, k });

describe('checker (sk_chk_filter)', () => {
  it('accepts compiled programs', () => {
    for (const e of ['tcp port 80', 'icmp', '(ip[2:2] - ((ip[0] & 0xf) << 2)) > 40', 'tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420']) {
      expect(checkFilter(compileFilter(e))).toBeNull();
    }
  });
  it('rejects empty, too long, no final return, jumps out, bad memory, division by constant zero', () => {
    expect(checkFilter([])).not.toBeNull();
    expect(checkFilter(Array.from({ length: 4097 }, () => I(B.BPF_RET | B.BPF_K)))).not.toBeNull();
    expect(checkFilter([I(B.BPF_LD | B.BPF_IMM, 1)])).not.toBeNull();
    expect(checkFilter([I(B.BPF_JMP | B.BPF_JEQ, 0, 5, 0), I(B.BPF_RET | B.BPF_K)])).not.toBeNull();
    expect(checkFilter([I(B.BPF_JMP | B.BPF_JA, 3), I(B.BPF_RET | B.BPF_K)])).not.toBeNull();
    expect(checkFilter([I(B.BPF_ST, 16), I(B.BPF_RET | B.BPF_K)])).not.toBeNull();
    expect(checkFilter([I(B.BPF_LD | B.BPF_MEM, 99), I(B.BPF_RET | B.BPF_K)])).not.toBeNull();
    expect(checkFilter([I(B.BPF_ALU | B.BPF_DIV | B.BPF_K, 0), I(B.BPF_RET | B.BPF_K)])).not.toBeNull();
    expect(checkFilter([I(0xff), I(B.BPF_RET | B.BPF_K)])).not.toBeNull();
  });
  it('out-of-bounds loads reject the packet', () => {
    const p = [I(B.BPF_LD | B.BPF_W | B.BPF_ABS, 100), I(B.BPF_RET | B.BPF_K, 1)];
    expect(runFilter(p, new Uint8Array(20))).toBe(0);
    expect(jitFilter(p)(new Uint8Array(20), 20)).toBe(0);
    expect(runFilter(p, new Uint8Array(104))).toBe(1);
  });
  it('division by X = 0 rejects the packet', () => {
    const p = [I(B.BPF_LDX | B.BPF_IMM, 0), I(B.BPF_ALU | B.BPF_DIV | B.BPF_X), I(B.BPF_RET | B.BPF_K, 1)];
    expect(runFilter(p, new Uint8Array(4))).toBe(0);
    expect(jitFilter(p)(new Uint8Array(4), 4)).toBe(0);
  });
});

// Random straight-line-with-forward-jumps programs the checker accepts.
const insn = (n: number, pc: number): fc.Arbitrary<B.Insn> =>
  fc.oneof(
    fc
      .record({
        code: fc.constantFrom(0x20, 0x28, 0x30, 0x40, 0x48, 0x50, 0x00, 0x01, 0x80, 0xb1, 0x61, 0x60, 0x02, 0x03, 0x07, 0x87, 0x84),
        k: fc.nat(70),
        jt: fc.constant(0),
        jf: fc.constant(0),
      })
      .map((i) => (i.code === 0x60 || i.code === 0x61 || i.code === 0x02 || i.code === 0x03 ? { ...i, k: i.k % 16 } : i)),
    fc.record({
      code: fc.constantFrom(
        0x04,
        0x14,
        0x24,
        0x34,
        0x44,
        0x54,
        0x64,
        0x74,
        0x94,
        0xa4,
        0x0c,
        0x1c,
        0x2c,
        0x3c,
        0x4c,
        0x5c,
        0x6c,
        0x7c,
        0x9c,
        0xac,
      ),
      k: fc.integer({ min: 1, max: 31 }),
      jt: fc.constant(0),
      jf: fc.constant(0),
    }),
    fc.record({
      code: fc.constantFrom(0x15, 0x25, 0x35, 0x45, 0x1d, 0x2d, 0x3d, 0x4d),
      k: fc.nat(300),
      jt: fc.nat(Math.max(0, n - pc - 2)),
      jf: fc.nat(Math.max(0, n - pc - 2)),
    }),
  );

it('interpreter and compiled fast path agree on random programs and packets', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 2, max: 24 })
        .chain((n) =>
          fc.tuple(
            fc.tuple(...Array.from({ length: n - 1 }, (_, pc) => insn(n, pc))),
            fc.constantFrom(0x06, 0x16),
            fc.uint8Array({ maxLength: 80 }),
          ),
        ),
      ([body, ret, pkt]) => {
        const prog: B.Insn[] = [...body, I(ret, 65535)];
        if (checkFilter(prog) !== null) return;
        expect(jitFilter(prog)(pkt, pkt.length)).toBe(runFilter(prog, pkt, pkt.length));
      },
    ),
    { numRuns: 2000, seed: 3 },
  );
});

it('random bytes never throw in the VM or the printer', () => {
  const progs = ['tcp port 80', 'icmp[icmptype] == icmp-echo', 'tcp[((tcp[12] & 0xf0) >> 2):4] = 0x68656c6c', 'arp or udp'].map((e) =>
    jitFilter(compileFilter(e)),
  );
  const printers = [0, 1, 2].map(
    (v) => new Printer({ eflag: v === 1, vflag: v, nflag: 2, qflag: false, xflag: 0, Xflag: v === 2 ? 1 : 0, Sflag: false, tflag: 0 }),
  );
  const frame = fc.oneof(
    fc.uint8Array({ maxLength: 120 }),
    fc.tuple(fc.constantFrom([8, 0], [8, 6], [0x81, 0], [0x86, 0xdd]), fc.uint8Array({ maxLength: 100 })).map(([t, rest]) => {
      const f = new Uint8Array(14 + rest.length);
      f[12] = t[0] as number;
      f[13] = t[1] as number;
      f.set(rest, 14);
      if (rest.length > 0) f[14] = t[0] === 0x86 ? 0x60 : 0x45;
      return f;
    }),
  );
  fc.assert(
    fc.property(frame, fc.nat(200), (f, extra) => {
      for (const p of progs) expect(() => p(f, f.length + extra)).not.toThrow();
      for (const pr of printers) expect(typeof pr.packet(f, f.length + extra)).toBe('string');
    }),
    { numRuns: 3000, seed: 5 },
  );
});
