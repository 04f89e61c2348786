// The tcpdump code for library users: pcap_compile (compileFilter), the
// packet printer (printPacket) and `tcpdump -r` over pcap bytes (printPcap).
import { bpfDump } from '../userspace/tcpdump/bpf.ts';
import { compileFilter as pcapCompile, FilterError as PcapFilterError } from '../userspace/tcpdump/compile.ts';
import { Printer, Stamper } from '../userspace/tcpdump/print.ts';
import { runFilter } from '../userspace/tcpdump/vm.ts';
import { parseArgs, tcpdumpOffline } from '../userspace/tools/tcpdump.ts';
import type { BpfInsn, FilterOptions, PacketFilter, PacketTime } from './types.ts';

/** A pcap filter expression libpcap refuses; `message` is libpcap's (`can't parse filter expression: syntax error`). */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

/** A tool refused its arguments or its input; `message` is what it printed on stderr, `exitCode` its exit status. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const argv = (flags: string | readonly string[]): string[] =>
  typeof flags === 'string' ? flags.split(/\s+/).filter((s) => s !== '') : [...flags];

/**
 * Compiles a pcap filter expression as tcpdump 4.99.3's libpcap does
 * (`tcpdump -d EXPR` prints the same program). Throws {@link FilterError}
 * with libpcap's message when the expression is refused.
 *
 * @example
 * ```ts
 * const f = compileFilter('icmp and host 10.0.0.2');
 * f.matches(frame); // true or false
 * ```
 */
export function compileFilter(expr: string, opts: FilterOptions = {}): PacketFilter {
  let insns: BpfInsn[];
  try {
    insns = pcapCompile(expr, {
      ...(opts.snaplen !== undefined ? { snaplen: opts.snaplen } : {}),
      ...(opts.optimize !== undefined ? { optimize: opts.optimize } : {}),
      ...(opts.netmask !== undefined ? { netmask: opts.netmask } : {}),
      ...(opts.linkType !== undefined ? { dlt: opts.linkType } : {}),
    });
  } catch (e) {
    if (e instanceof PcapFilterError) throw new FilterError(e.message);
    throw e;
  }
  const program: readonly BpfInsn[] = Object.freeze(insns.map((i) => Object.freeze({ ...i })));
  return {
    program,
    matches: (frame, wirelen = frame.length) => runFilter(insns, frame, wirelen) !== 0,
    dump: (level = 1) => bpfDump(insns, level),
  };
}

/**
 * One Ethernet frame as tcpdump prints it, with its newline(s): the
 * timestamp, then the decoded packet. `flags` are tcpdump's printing options
 * (`-n`, `-e`, `-v`…`-vvv`, `-q`, `-x`/`-X`, `-S`, `-t`…`-ttttt`), as one
 * string or a list. Throws {@link ToolError} with tcpdump's message for a bad option.
 *
 * @example
 * ```ts
 * printPacket(frame, '-n -t'); // 'IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 1, length 64\n'
 * ```
 */
export function printPacket(bytes: Uint8Array, flags: string | readonly string[] = '', at: PacketTime = {}): string {
  const a = parseArgs(['tcpdump', ...argv(flags)]);
  if ('exit' in a) throw new ToolError(a.err || a.out, a.exit);
  const t = at.time ?? 0;
  const sec = Math.floor(t);
  const usec = Math.min(999999, Math.round((t - sec) * 1e6));
  return new Stamper(a.print.tflag).stamp(sec, usec) + new Printer(a.print).packet(bytes, at.wirelen ?? bytes.length);
}

/**
 * `tcpdump -r FILE FLAGS [FILTER]` over a pcap file's bytes (a capture of
 * {@link runScenario}'s artifacts, or one recorded on Linux): what it prints
 * on stdout. Throws {@link ToolError} with tcpdump's message when the
 * arguments, the filter or the file are refused (a truncated file included).
 */
export function printPcap(pcap: Uint8Array, flags: string | readonly string[] = '', filter = ''): string {
  let out = '';
  let err = '';
  const rc = tcpdumpOffline(['tcpdump', '-r', 'capture.pcap', ...argv(flags), ...(filter ? [filter] : [])], {
    vfs: { readFile: () => ({ errno: 'ENOENT' }), writeFile: () => ({ errno: 'EACCES' }) },
    readBytes: (p) => (p === 'capture.pcap' ? pcap : null),
    out: (s) => void (out += s),
    err: (s) => void (err += s),
  });
  if (rc === null) throw new ToolError('tcpdump: these flags ask for a live capture', 1);
  if (rc !== 0) throw new ToolError(err.replace(/^reading from file [^\n]*\n/, ''), rc);
  return out;
}
