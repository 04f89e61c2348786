// pcap_compile for DLT_EN10MB: parse, generate, optimize, and lay the blocks
// out as libpcap's icode_to_fcode does (false branch placed after the true one,
// each block emitted in front of its successors).
import { BPF_JA, BPF_JMP, bpfClass, type Insn } from './bpf.ts';
import { CodeGen } from './gencode.ts';
import { FilterError, parseFilter } from './grammar.ts';
import { NOP, type Block, type Stmt } from './icode.ts';
import { optimize } from './optimize.ts';
import { walk } from './trampoline.ts';

export { FilterError };

export interface CompileOptions {
  snaplen?: number;
  optimize?: boolean;
  /** The capture device's IPv4 netmask ('ip broadcast'); 0 for savefiles. */
  netmask?: number;
  /** The link type: Ethernet, or Linux cooked v2 (the "any" device). */
  dlt?: 'EN10MB' | 'LINUX_SLL' | 'LINUX_SLL2';
}

/** Compiles a filter; throws FilterError with libpcap's message (without "tcpdump: "). */
export function compileFilter(expr: string, opts: CompileOptions = {}): Insn[] {
  const snaplen = opts.snaplen ?? 262144;
  const node = parseFilter(expr, (n) => new CodeGen(snaplen, opts.netmask ?? 0, opts.dlt ?? 'EN10MB').gen(n));
  const g = new CodeGen(snaplen, opts.netmask ?? 0, opts.dlt ?? 'EN10MB');
  let root: Block | null = g.finish(node);
  if (opts.optimize !== false && node && !g.noOptimize) {
    root = optimize(root);
    if (root === null) throw new FilterError('expression rejects all packets');
  }
  return toFcode(root);
}

function reachable(root: Block): Block[] {
  const out: Block[] = [];
  walk(
    root,
    (b) => [b.et.succ, b.ef.succ],
    new Set<Block>(),
    (b) => out.push(b),
  );
  return out;
}

export function toFcode(root: Block): Insn[] {
  const blocks = reachable(root);
  for (const b of blocks) {
    b.longjt = 0;
    b.longjf = 0;
  }
  for (;;) {
    const n = blocks.reduce((acc, b) => acc + slen(b) + 1 + b.longjt + b.longjf, 0);
    const out: Insn[] = Array.from({ length: n }, () => ({ code: 0, jt: 0, jf: 0, k: 0 }));
    let ftail = n;
    // convert_code_r: the false branch, the true branch, then the block in front of both
    const conv = (p: Block): boolean => {
      const sl = slen(p);
      ftail -= sl + 1 + p.longjt + p.longjf;
      p.offset = ftail;
      let dst = ftail;
      let off = 0;
      for (const s of p.stmts) {
        if (s.code === NOP) continue;
        const d = out[dst++] as Insn;
        d.code = s.code;
        d.k = s.k >>> 0;
        // block-local relative jumps (gen_protochain), as convert_code_r fills them
        if (bpfClass(s.code) === BPF_JMP && s.code !== (BPF_JMP | BPF_JA) && off !== sl - 2) {
          const at = (t: Stmt | undefined): number => (t ? p.stmts.indexOf(t) : -1);
          const jt = at(s.jt);
          const jf = at(s.jf);
          if (jt < 0 || jf < 0) throw new FilterError(`no jmp destination for block-local relative jump: off=${off}`);
          d.jt = jt - off - 1;
          d.jf = jf - off - 1;
        }
        off++;
      }
      const d = out[dst] as Insn;
      d.code = p.s.code;
      d.k = p.s.k >>> 0;
      const t = p.et.succ;
      const f = p.ef.succ;
      if (t && f) {
        let extra = 0;
        let off = t.offset - (p.offset + sl) - 1;
        if (off >= 256) {
          if (p.longjt === 0) {
            p.longjt++;
            return false;
          }
          d.jt = extra;
          extra++;
          const j = out[dst + extra] as Insn;
          j.code = BPF_JMP | BPF_JA;
          j.k = off - extra;
        } else d.jt = off;
        off = f.offset - (p.offset + sl) - 1;
        if (off >= 256) {
          if (p.longjf === 0) {
            p.longjf++;
            return false;
          }
          d.jf = extra;
          extra++;
          const j = out[dst + extra] as Insn;
          j.code = BPF_JMP | BPF_JA;
          j.k = off - extra;
        } else d.jf = off;
      }
      return true;
    };
    if (walk(root, (b) => [b.ef.succ, b.et.succ], new Set<Block>(), undefined, conv)) return out;
  }
}

function slen(b: Block): number {
  let n = 0;
  for (const s of b.stmts) if (s.code !== NOP) n++;
  return n;
}
