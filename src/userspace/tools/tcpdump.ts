// tcpdump 4.99.3 / libpcap 1.10.3: a live capture on one device (an ETH_P_ALL
// tap with the compiled filter attached), reading and writing savefiles, and
// dumping the compiled program (-d, -dd, -ddd).
import { readPcap, PcapWriter, LINKTYPE_ETHERNET } from '../../wire/pcap.ts';
import { type Proc, sleep } from '../../sim/sched.ts';
import { ETH_P_ALL, IFF_LOOPBACK, IFF_RUNNING, IFF_UP, type NetDevice, type PacketType } from '../../kernel/core/netdevice.ts';
import { PACKET_OUTGOING, type SkBuff } from '../../kernel/skbuff.ts';
import type { Command, ProcCtx, Vfs } from '../proc.ts';
import { bpfDump, type Insn } from '../tcpdump/bpf.ts';
import { compileFilter, FilterError } from '../tcpdump/compile.ts';
import { jitFilter, type CompiledFilter } from '../tcpdump/vm.ts';
import { Printer, Stamper, type PrintOptions } from '../tcpdump/print.ts';

export interface TcpdumpArgs {
  print: PrintOptions;
  count: number;
  iface: string | null;
  rfile: string | null;
  wfile: string | null;
  dump: number;
  snaplen: number;
  optimize: boolean;
  linkType: string | null;
  lineBuffered: boolean;
  /** -#: number the packets. */
  number: boolean;
  /** --count: only the number of matching packets (savefiles). */
  countOnly: boolean;
  /** --immediate-mode: frames handed over as they arrive, not per ring block. */
  immediate: boolean;
  /** -h, --help, --version: print and exit 0. */
  info: 'help' | 'version' | null;
  expr: string;
}

const OPTS_WITH_ARG = new Set(['c', 'C', 'E', 'F', 'G', 'i', 'I', 'j', 'm', 'M', 'Q', 'r', 's', 'T', 'V', 'w', 'W', 'y', 'z', 'Z', 'B']);
const OPTS_FLAGS = new Set(['a', 'A', 'b', 'd', 'D', 'e', 'f', 'h', 'H', 'K', 'l', 'L', 'n', 'N', 'O', 'p', 'q', 'S', 't', 'u', 'U', 'v', 'x', 'X', 'Y', '#']);

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): TcpdumpArgs {
  const a: TcpdumpArgs = {
    print: { eflag: false, vflag: 0, nflag: 0, qflag: false, xflag: 0, Xflag: 0, Sflag: false, tflag: 0 },
    count: 0,
    iface: null,
    rfile: null,
    wfile: null,
    dump: 0,
    snaplen: 262144,
    optimize: true,
    linkType: null,
    lineBuffered: false,
    number: false,
    countOnly: false,
    immediate: false,
    info: null,
    expr: '',
  };
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      rest.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      switch (arg) {
        case '--count': a.countOnly = true; break;
        case '--number': a.number = true; break;
        case '--immediate-mode': a.immediate = true; break;
        case '--print': break;
        case '--help': a.info ??= 'help'; break;
        case '--version': a.info ??= 'version'; break;
        default: throw new UsageError(`unrecognized option '${arg}'`);
      }
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j] as string;
      if (OPTS_WITH_ARG.has(c)) {
        let v = arg.slice(j + 1);
        if (v === '') {
          const nx = argv[++i];
          if (nx === undefined) throw new UsageError(`option requires an argument -- '${c}'`);
          v = nx;
        }
        switch (c) {
          case 'c': {
            const n = Number(v);
            if (!/^[0-9]+$/.test(v) || n <= 0) throw new FilterError(`invalid packet count ${v}`);
            a.count = n;
            break;
          }
          case 'i': a.iface = v; break;
          case 'r': a.rfile = v; break;
          case 'w': a.wfile = v; break;
          case 'y': a.linkType = v; break;
          case 's': {
            const n = Number(v);
            if (!/^[0-9]+$/.test(v) || n > 262144) throw new FilterError(`invalid snaplen ${v}`);
            a.snaplen = n === 0 ? 262144 : n;
            break;
          }
        }
        break;
      }
      if (!OPTS_FLAGS.has(c)) throw new UsageError(`invalid option -- '${c}'`);
      switch (c) {
        case 'd': a.dump++; break;
        case 'e': a.print.eflag = true; break;
        case 'n': a.print.nflag++; break;
        case 'q': a.print.qflag = true; break;
        case 'S': a.print.Sflag = true; break;
        case 't': a.print.tflag++; break;
        case 'v': a.print.vflag++; break;
        case 'x': a.print.xflag++; break;
        case 'X': a.print.Xflag++; break;
        case 'O': a.optimize = false; break;
        case 'l': a.lineBuffered = true; break;
        case '#': a.number = true; break;
        case 'h': a.info ??= 'help'; break;
      }
    }
  }
  a.expr = rest.join(' ');
  return a;
}

const USAGE = `tcpdump version 4.99.3
libpcap version 1.10.3 (with TPACKET_V3)
OpenSSL 3.0.19 27 Jan 2026
Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]
\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]
\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]
\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]
\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]
\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]
\t\t[ --time-stamp-precision precision ] [ --micro ] [ --nano ]
\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]
`;

function latin1ToBytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
  return b;
}

function bytesToLatin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

export interface OfflineIo {
  vfs: Vfs;
  /** Reads a file as bytes without the Vfs's latin1 string (the host CLI); falls back to vfs. */
  readBytes?(path: string): Uint8Array | null;
  /** if_indextoname on the reading host (Linux cooked v2 files); '?' when unknown. */
  ifname?(index: number): string | null;
  out(s: string): void;
  err(s: string): void;
}

const LINKTYPE_LINUX_SLL = 113;
const LINKTYPE_LINUX_SLL2 = 276;
type Dlt = 'EN10MB' | 'LINUX_SLL' | 'LINUX_SLL2';
const DLT_TEXT: Record<Dlt, string> = {
  EN10MB: 'EN10MB (Ethernet)',
  LINUX_SLL: 'LINUX_SLL (Linux cooked v1)',
  LINUX_SLL2: 'LINUX_SLL2 (Linux cooked v2)',
};
const LINKTYPE_OF: Record<Dlt, number> = { EN10MB: LINKTYPE_ETHERNET, LINUX_SLL: LINKTYPE_LINUX_SLL, LINUX_SLL2: LINKTYPE_LINUX_SLL2 };

function compileOrFail(a: TcpdumpArgs, io: OfflineIo, netmask = 0, dlt: Dlt = 'EN10MB'): Insn[] | null {
  try {
    return compileFilter(a.expr, { snaplen: a.snaplen, optimize: a.optimize, netmask, dlt });
  } catch (e) {
    if (e instanceof FilterError) {
      io.err(`tcpdump: ${e.message}\n`);
      return null;
    }
    throw e;
  }
}

/**
 * What tcpdump does without a live device: -d/-dd/-ddd, and -r FILE (with -w).
 * Returns the exit status, or null when the arguments ask for a live capture.
 */
export function tcpdumpOffline(argv: readonly string[], io: OfflineIo): number | null {
  let a: TcpdumpArgs;
  try {
    a = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`tcpdump: ${e.message}\n${USAGE}`);
      return 1;
    }
    if (e instanceof FilterError) {
      io.err(`tcpdump: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (a.info === 'version') {
    io.out(USAGE.slice(0, USAGE.indexOf('Usage:')));
    return 0;
  }
  if (a.info === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (a.linkType !== null && a.linkType !== 'EN10MB') {
    io.err(`tcpdump: ${a.linkType} is not one of the DLTs supported by this device\n`);
    return 1;
  }
  // -d compiles without looking the device's netmask up (tcpdump -i lo -d 'ip broadcast' uses 0).
  if (a.dump > 0 && a.rfile === null) {
    // "any" captures Linux cooked v2 frames; tcpdump says so when it selects the type.
    const anyDev = a.iface === 'any' && a.linkType === null;
    if (anyDev) io.err('tcpdump: data link type LINUX_SLL2\n');
    // No device and no -y: pcap_open_dead(DLT_EN10MB) with a warning.
    if (a.iface === null && a.linkType === null) io.err('Warning: assuming Ethernet\n');
    const prog = compileOrFail(a, io, 0, anyDev ? 'LINUX_SLL2' : 'EN10MB');
    if (!prog) return 1;
    io.out(bpfDump(prog, a.dump));
    return 0;
  }
  if (a.rfile === null) return null;
  const direct = io.readBytes?.(a.rfile) ?? null;
  const raw = direct ? '' : io.vfs.readFile(a.rfile);
  if (typeof raw !== 'string') {
    const msg = raw.errno === 'ENOENT' ? 'No such file or directory' : raw.errno === 'EISDIR' ? 'Is a directory' : 'Permission denied';
    io.err(`tcpdump: ${a.rfile}: ${msg}\n`);
    return 1;
  }
  const bytes = direct ?? latin1ToBytes(raw);
  const head = readPcap(bytes.subarray(0, 24));
  if (!head.header) {
    io.err(bytes.length < 24 ? `tcpdump: truncated dump file; tried to read 24 file header bytes, only got ${bytes.length}\n` : `tcpdump: bad dump file format\n`);
    return 1;
  }
  const hdr = head.header;
  const dlt = (Object.keys(LINKTYPE_OF) as Dlt[]).find((d) => LINKTYPE_OF[d] === hdr.linktype);
  if (dlt === undefined) {
    io.err(`tcpdump: unsupported link-layer type ${hdr.linktype}\n`);
    return 1;
  }
  const prog = compileOrFail(a, io, 0, dlt);
  if (!prog) return 1;
  if (a.dump > 0) {
    io.out(bpfDump(prog, a.dump));
    return 0;
  }
  const filter = jitFilter(prog);
  io.err(`reading from file ${a.rfile}, link-type ${DLT_TEXT[dlt]}, snapshot length ${hdr.snaplen}\n`);
  if (dlt === 'LINUX_SLL2') io.err('Warning: interface names might be incorrect\n');
  const printer = new Printer(a.print);
  const stamper = new Stamper(a.print.tflag);
  const toNull = a.wfile === '/dev/null';
  const writer = a.wfile !== null && !toNull ? new PcapWriter({ snaplen: a.snaplen, linktype: LINKTYPE_OF[dlt] }) : null;
  let out = '';
  let n = 0;
  let err: string | null = null;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = hdr.littleEndian;
  const maxLen = Math.max(hdr.snaplen, 262144);
  for (let off = 24; off < bytes.length; ) {
    if (off + 16 > bytes.length) {
      err = `truncated dump file; tried to read 16 header bytes, only got ${bytes.length - off}`;
      break;
    }
    const tsSec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    if (incl > maxLen) {
      err = `invalid packet capture length ${incl}, bigger than maximum of ${maxLen}`;
      break;
    }
    const start = off + 16;
    if (start + incl > bytes.length) {
      err = `truncated dump file; tried to read ${incl} captured bytes, only got ${bytes.length - start}`;
      break;
    }
    off = start + incl;
    const data = bytes.subarray(start, start + incl);
    if (filter(data, orig) === 0) continue;
    n++;
    const usec = hdr.nanosecond ? Math.floor(frac / 1000) : frac;
    if (writer) writer.write(BigInt(tsSec) * 1_000_000_000n + BigInt(usec) * 1000n, data, orig);
    else if (a.countOnly) {
      // --count: only the total at the end
    }
    else if (!toNull) {
      const line = dlt === 'LINUX_SLL' ? printer.packetSll(data, orig) : dlt === 'LINUX_SLL2' ? printer.packetSll2(data, orig, (data.length >= 8 ? io.ifname?.(((data[4] as number) << 24 | (data[5] as number) << 16 | (data[6] as number) << 8 | (data[7] as number)) >>> 0) : null) ?? '?') : printer.packet(data, orig);
      out += (a.number ? `${String(n).padStart(5)}  ` : '') + stamper.stamp(tsSec, usec) + line;
    }
    if (a.lineBuffered && out) {
      io.out(out);
      out = '';
    }
    if (a.count && n >= a.count) break;
  }
  if (writer && a.wfile !== null) io.vfs.writeFile(a.wfile, bytesToLatin1(writer.bytes()), false);
  if (a.countOnly) out += `${n} packet${n === 1 ? '' : 's'}\n`;
  io.out(out);
  if (err !== null) {
    io.err(`tcpdump: pcap_loop: ${err}\n`);
    return 1;
  }
  return 0;
}

const plural = (n: number): string => (n === 1 ? '' : 's');

function* tcpdump(ctx: ProcCtx): Proc {
  const io: OfflineIo = {
    vfs: ctx.world.vfs,
    out: (s) => s && ctx.stdout.write(s),
    err: (s) => ctx.stderr.write(s),
    ifname: (i) => ctx.net.devices.find((d) => d.ifindex === i)?.name ?? null,
  };
  const off = tcpdumpOffline(ctx.argv, io);
  if (off !== null) return off;
  const a = parseArgs(ctx.argv);
  // pcap_lookupdev: the first device of pcap_findalldevs, which lists devices
  // that are up and running before the rest, and loopback after the others.
  const rank = (d: NetDevice): number => (d.flags & IFF_UP ? 0 : 4) + (d.flags & IFF_RUNNING ? 0 : 2) + (d.flags & IFF_LOOPBACK ? 1 : 0);
  // "any" (up, running, not loopback) follows the real devices that are as good.
  const best = [...ctx.net.devices].sort((x, y) => rank(x) - rank(y))[0];
  const devName = a.iface ?? (best && rank(best) === 0 ? best.name : 'any');
  const any = devName === 'any';
  // tcpdump asks for cooked v2 when -i any is given; the default device gets v1.
  const ldlt: Dlt = !any ? 'EN10MB' : a.iface === 'any' ? 'LINUX_SLL2' : 'LINUX_SLL';
  const dev = any ? null : ctx.net.devices.find((d) => d.name === devName);
  if (ldlt === 'LINUX_SLL2') ctx.stderr.write('tcpdump: data link type LINUX_SLL2\n');
  if (!any && !dev) {
    ctx.stderr.write(`tcpdump: ${devName}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`);
    return 1;
  }
  if (dev && !(dev.flags & IFF_UP)) {
    ctx.stderr.write(`tcpdump: ${devName}: That device is not up\n`);
    return 1;
  }
  // pcap_lookupnet: the device's primary IPv4 netmask, for 'ip broadcast'.
  const ifa = dev?.ipPtr?.ifaList[0];
  if (dev && !ifa) ctx.stderr.write(`tcpdump: WARNING: ${dev.name}: no IPv4 address assigned\n`);
  const prog = compileOrFail(a, io, ifa ? ifa.mask >>> 0 : 0, ldlt);
  if (!prog) return 1;
  const filter: CompiledFilter = jitFilter(prog);
  const sim = ctx.world.sim;
  const printer = new Printer(a.print);
  const stamper = new Stamper(a.print.tflag);
  const writer = a.wfile !== null ? new PcapWriter({ snaplen: a.snaplen, linktype: LINKTYPE_OF[ldlt] }) : null;
  let out = '';
  let captured = 0;
  let received = 0;
  let done = false;
  if (!a.print.vflag && a.wfile === null) ctx.stderr.write('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n');
  else ctx.stderr.write('tcpdump: ');
  ctx.stderr.write(`listening on ${devName}, link-type ${DLT_TEXT[ldlt]}, snapshot length ${a.snaplen} bytes\n`);
  // TPACKET_V3: accepted frames wait in the ring's open block until the
  // block's retire timer (libpcap's 1000 ms timeout) hands them to tcpdump.
  type Pending = { data: Uint8Array; wirelen: number; ns: bigint; ifname: string };
  const pending: Pending[] = [];
  // An ETH_P_ALL tap with the filter attached (SO_ATTACH_FILTER runs it in
  // packet_rcv, before queueing): every accepted frame counts as received;
  // libpcap then drops loopback's outgoing copies in userspace. "any" binds
  // no device and sees cooked v2 frames: sockaddr_ll turned into a header.
  const pt: PacketType = {
    type: ETH_P_ALL,
    dev: dev ?? null,
    func(skb: SkBuff, on: NetDevice): number {
      tap(skb, on);
      skb.release();
      return 0;
    },
  };
  const tap = (skb: SkBuff, on: NetDevice): void => {
    if (done) return;
    const start = skb.macHeader >= 0 ? skb.macHeader : skb.data;
    let frame = skb.head.subarray(start, skb.tail);
    if (ldlt === 'LINUX_SLL' && frame.length >= 14) {
      // struct sll_header: pkttype, hatype, halen, 8 address bytes, protocol.
      const h = new Uint8Array(16 + frame.length - 14);
      h[1] = skb.pktType;
      h[2] = on.type >> 8;
      h[3] = on.type & 0xff;
      h[5] = 6;
      h.set(frame.subarray(6, 12), 6);
      h[14] = frame[12] as number;
      h[15] = frame[13] as number;
      h.set(frame.subarray(14), 16);
      frame = h;
    } else if (any) {
      if (frame.length < 14) return;
      const h = new Uint8Array(20 + frame.length - 14);
      h[0] = frame[12] as number;
      h[1] = frame[13] as number;
      h[4] = (on.ifindex >>> 24) & 0xff;
      h[5] = (on.ifindex >>> 16) & 0xff;
      h[6] = (on.ifindex >>> 8) & 0xff;
      h[7] = on.ifindex & 0xff;
      h[8] = on.type >> 8;
      h[9] = on.type & 0xff;
      h[10] = skb.pktType;
      h[11] = 6;
      h.set(frame.subarray(6, 12), 12);
      h.set(frame.subarray(14), 20);
      frame = h;
    }
    const keep = filter(frame, frame.length, skb.pktType);
    if (keep === 0) return;
    received++;
    if (skb.pktType === PACKET_OUTGOING && on.flags & IFF_LOOPBACK) return;
    pending.push({ data: frame.slice(0, Math.min(keep, frame.length)), wirelen: frame.length, ns: BigInt(sim.epochNs + sim.now), ifname: on.name });
  };
  const taps = dev ? dev.ptypeAll : ctx.net.ptypeAll;
  taps.push(pt);
  const cap = {
    close(): void {
      const i = taps.indexOf(pt);
      if (i >= 0) taps.splice(i, 1);
    },
  };
  // what tcpdump holds until it exits (the -w savefile, unflushed output) counts against the memory budget
  let held = 0;
  const hold = (n: number): void => {
    held += n;
    sim.mem.charge('captures', n);
  };
  const release = (): void => {
    sim.mem.uncharge('captures', held);
    held = 0;
  };
  const handle = (p: Pending): void => {
    captured++;
    if (writer) {
      writer.write(p.ns, p.data, p.wirelen);
      hold(16 + p.data.length);
    } else {
      const sec = Number(p.ns / 1_000_000_000n);
      const usec = Number((p.ns % 1_000_000_000n) / 1000n);
      const line =
        ldlt === 'LINUX_SLL2' ? printer.packetSll2(p.data, p.wirelen, p.ifname) : ldlt === 'LINUX_SLL' ? printer.packetSll(p.data, p.wirelen) : printer.packet(p.data, p.wirelen);
      const text = (a.number ? `${String(captured).padStart(5)}  ` : '') + stamper.stamp(sec, usec) + line;
      out += text;
      hold(text.length);
      if (a.lineBuffered) {
        ctx.stdout.write(out);
        out = '';
        release();
      }
    }
  };
  const finish = (interrupted: boolean): void => {
    release();
    if (writer && a.wfile !== null) ctx.world.vfs.writeFile(a.wfile, bytesToLatin1(writer.bytes()), false);
    // pcap_breakloop after a signal while printing: "perhaps we didn't finish a line",
    // a newline on stdout (not when writing a savefile)
    if (interrupted && !writer) out += '\n';
    if (out) ctx.stdout.write(out);
    out = '';
    ctx.stderr.write(`${captured} packet${plural(captured)} captured\n${received} packet${plural(received)} received by filter\n0 packets dropped by kernel\n`);
  };
  const RETIRE_BLK_TOV_NS = 1_000_000_000;
  let finished = false;
  // setsignal(SIGINT/SIGTERM/SIGHUP, cleanup)
  const task = sim.sched.current;
  const prevHandles = task?.handles ?? null;
  if (task) task.handles = TCPDUMP_SIGNALS;
  try {
    while (!done) {
      yield sleep(a.immediate ? 1_000 : RETIRE_BLK_TOV_NS);
      while (pending.length > 0 && !done) {
        handle(pending.shift() as Pending);
        if (a.count && captured >= a.count) done = true;
      }
    }
    cap.close();
    finished = true;
    finish(false);
  } finally {
    // Killed (SIGINT, SIGTERM, SIGHUP): tcpdump's cleanup() breaks out of its loop, flushes,
    // prints its statistics and exits 0. SIGKILL leaves nothing to run.
    if (task) task.handles = prevHandles;
    if (!finished) {
      const sig = sim.sched.signal;
      cap.close();
      if (sig !== 9) {
        finish(true);
        // biome-ignore lint/correctness/noUnsafeFinally: the handled signal's exit status
        return 0;
      }
    }
  }
  return 0;
}

const TCPDUMP_SIGNALS: ReadonlySet<number> = new Set([1, 2, 15]);

export function registerTcpdump(commands: Map<string, Command>): void {
  commands.set('tcpdump', tcpdump);
}
