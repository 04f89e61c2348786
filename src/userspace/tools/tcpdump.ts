// tcpdump 4.99.3 / libpcap 1.10.3: a live capture on one device through an
// AF_PACKET socket (a TPACKET_V3 ring, the compiled filter attached in the
// kernel, PACKET_STATISTICS for its counts), reading and writing savefiles,
// and dumping the compiled program (-d, -dd, -ddd). Options as main() takes
// them through getopt_long.
import { EINVAL, ENETDOWN } from '../../kernel/uapi/errno.ts';
import {
  ETH_P_ALL,
  PACKET_ADD_MEMBERSHIP,
  PACKET_AUXDATA,
  PACKET_MR_PROMISC,
  PACKET_OUTGOING,
  PACKET_RESERVE,
  PACKET_RX_RING,
  PACKET_STATISTICS,
  PACKET_VERSION,
  packet_socket,
  packet_sys_bind,
  packet_sys_close,
  packet_sys_getsockopt,
  packet_sys_ring_next,
  packet_sys_setsockopt,
  type PacketSocket,
  SKF_AD_IFINDEX,
  SKF_AD_OFF,
  SKF_AD_PKTTYPE,
  SKF_AD_PROTOCOL,
  SO_ATTACH_FILTER,
  SO_ERROR,
  SOCK_DGRAM,
  SOCK_RAW,
  type SockFilter,
  SOL_PACKET,
  SOL_SOCKET,
  TPACKET_V3,
  type TpacketFrame,
} from '../../kernel/uapi/packet.ts';
import {
  IFF_LOOPBACK,
  IFF_RUNNING,
  IFF_UP,
  type Ifreq,
  if_nameindex,
  ioctl,
  SIOCGIFFLAGS,
  SIOCGIFINDEX,
  SIOCGIFNAME,
  SIOCGIFNETMASK,
} from '../../kernel/uapi/sockios.ts';
import { type Proc, sleep } from '../../sim/sched.ts';
import { LINKTYPE_ETHERNET, PcapWriter, readPcap } from '../../wire/pcap.ts';
import { type ByteSource, isPcapng, memorySource, openPcapng, SavefileError } from '../../wire/pcapng.ts';
import { PCAP_BUFFER_SIZE, pcapRing, VLAN_TAG_LEN } from '../capture.ts';
import { Getopt, type LongOption, no_argument, required_argument } from '../getopt.ts';
import type { Command, ProcCtx, Vfs } from '../proc.ts';
import { bpfDump, type Insn } from '../tcpdump/bpf.ts';
import { compileFilter, FilterError } from '../tcpdump/compile.ts';
import { Printer, type PrintOptions, Stamper } from '../tcpdump/print.ts';
import { type CompiledFilter, jitFilter } from '../tcpdump/vm.ts';

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
  /** -p: no promiscuous mode. */
  promisc: boolean;
  /** -Q, --direction */
  direction: 'in' | 'out' | 'inout';
  /** -F: the expression is this file's text. */
  infile: string | null;
  /** -D, --list-interfaces */
  listDevices: boolean;
  /** -B, --buffer-size (KiB on the command line): the ring's size. */
  bufferSize: number;
  expr: string;
  /** What the option loop printed on the way (-m without libsmi). */
  warnings?: string;
}

// tcpdump.c's SHORTOPTS as Debian builds 4.99.3 (B, D, I, j, J, Q, U
// compiled in) and its longopts, for glibc's getopt_long.
const SHORTOPTS = 'aAbB:c:C:dDeE:fF:G:hHi:Ij:JKlLm:M:nNOpqQ:r:s:StT:uUvV:w:W:xXy:Yz:Z:#';
const OPTION_VERSION = 128;
const OPTION_TSTAMP_PRECISION = 129;
const OPTION_IMMEDIATE_MODE = 130;
const OPTION_PRINT = 131;
const OPTION_TSTAMP_MICRO = 133;
const OPTION_TSTAMP_NANO = 134;
const OPTION_FP_TYPE = 135;
const OPTION_COUNT = 136;
const LONGOPTS: readonly LongOption[] = [
  { name: 'buffer-size', has_arg: required_argument, val: 'B' },
  { name: 'list-interfaces', has_arg: no_argument, val: 'D' },
  { name: 'help', has_arg: no_argument, val: 'h' },
  { name: 'interface', has_arg: required_argument, val: 'i' },
  { name: 'monitor-mode', has_arg: no_argument, val: 'I' },
  { name: 'time-stamp-type', has_arg: required_argument, val: 'j' },
  { name: 'list-time-stamp-types', has_arg: no_argument, val: 'J' },
  { name: 'micro', has_arg: no_argument, val: OPTION_TSTAMP_MICRO },
  { name: 'nano', has_arg: no_argument, val: OPTION_TSTAMP_NANO },
  { name: 'time-stamp-precision', has_arg: required_argument, val: OPTION_TSTAMP_PRECISION },
  { name: 'dont-verify-checksums', has_arg: no_argument, val: 'K' },
  { name: 'list-data-link-types', has_arg: no_argument, val: 'L' },
  { name: 'no-optimize', has_arg: no_argument, val: 'O' },
  { name: 'no-promiscuous-mode', has_arg: no_argument, val: 'p' },
  { name: 'direction', has_arg: required_argument, val: 'Q' },
  { name: 'snapshot-length', has_arg: required_argument, val: 's' },
  { name: 'absolute-tcp-sequence-numbers', has_arg: no_argument, val: 'S' },
  { name: 'packet-buffered', has_arg: no_argument, val: 'U' },
  { name: 'linktype', has_arg: required_argument, val: 'y' },
  { name: 'immediate-mode', has_arg: no_argument, val: OPTION_IMMEDIATE_MODE },
  { name: 'relinquish-privileges', has_arg: required_argument, val: 'Z' },
  { name: 'count', has_arg: no_argument, val: OPTION_COUNT },
  { name: 'fp-type', has_arg: no_argument, val: OPTION_FP_TYPE },
  { name: 'number', has_arg: no_argument, val: '#' },
  { name: 'print', has_arg: no_argument, val: OPTION_PRINT },
  { name: 'version', has_arg: no_argument, val: OPTION_VERSION },
];

/** pcap_datalink_name_to_val()'s names (case-insensitive), those a scenario can meet. */
const DLT_NAMES = [
  'NULL',
  'EN10MB',
  'EN3MB',
  'AX25',
  'PRONET',
  'CHAOS',
  'IEEE802',
  'ARCNET',
  'SLIP',
  'PPP',
  'FDDI',
  'ATM_RFC1483',
  'RAW',
  'SLIP_BSDOS',
  'PPP_BSDOS',
  'ATM_CLIP',
  'PPP_SERIAL',
  'PPP_ETHER',
  'SYMANTEC_FIREWALL',
  'C_HDLC',
  'IEEE802_11',
  'FRELAY',
  'LOOP',
  'ENC',
  'LINUX_SLL',
  'LTALK',
  'PFLOG',
  'PRISM_HEADER',
  'IP_OVER_FC',
  'SUNATM',
  'IEEE802_11_RADIO',
  'ARCNET_LINUX',
  'LINUX_IRDA',
  'LINUX_LAPD',
  'IPV4',
  'IPV6',
  'DOCSIS',
  'LINUX_SLL2',
  'NETLINK',
  'USB_LINUX',
  'BLUETOOTH_HCI_H4',
  'CAN_SOCKETCAN',
  'NFLOG',
  'IPNET',
  'VSOCK',
  'DSA_TAG_BRCM',
  'ETHERNET_MPACKET',
];
const TSTAMP_TYPES = ['host', 'host_lowprec', 'host_hiprec', 'adapter', 'adapter_unsynced', 'host_hiprec_unsynced'];
const PACKET_TYPES = [
  'vat',
  'wb',
  'rpc',
  'rtp',
  'rtcp',
  'snmp',
  'cnfp',
  'tftp',
  'aodv',
  'carp',
  'radius',
  'zmtp1',
  'vxlan',
  'pgm',
  'pgm_zmtp1',
  'lmp',
  'resp',
  'ptp',
  'someip',
  'domain',
];

/** atoi(3): leading blanks, a sign, the digits that follow; 0 when there are none. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (!m) return 0;
  const n = Number(m[1]);
  return Math.max(-2147483648, Math.min(2147483647, n));
}

/** strtol(s, &end, base 0) accepting only a whole number: null when anything is left over. */
function strtolWhole(s: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(s);
  if (!m) return null;
  const body = m[2] as string;
  const v =
    body.startsWith('0x') || body.startsWith('0X')
      ? parseInt(body.slice(2), 16)
      : body.length > 1 && body.startsWith('0')
        ? parseInt(body, 8)
        : Number(body);
  return m[1] === '-' ? -v : v;
}

/** What main() ends with before any capture: text for stdout and stderr, and the exit status. */
export interface TcpdumpExit {
  exit: number;
  out: string;
  err: string;
}

/** main()'s option loop: the arguments, or how tcpdump exits right away (help, version, a bad option or value). */
export function parseArgs(argv: readonly string[]): TcpdumpArgs | TcpdumpExit {
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
    promisc: true,
    direction: 'inout',
    infile: null,
    listDevices: false,
    bufferSize: PCAP_BUFFER_SIZE,
    expr: '',
  };
  let err = '';
  const fail = (msg: string): TcpdumpExit => ({ exit: 1, out: '', err: `${err}tcpdump: ${msg}\n` });
  const g = new Getopt(argv, SHORTOPTS, LONGOPTS, (m) => (err += m));
  let fflag = false;
  let vfile = false;
  for (;;) {
    const op = g.next();
    if (op === -1) break;
    const v = g.optarg ?? '';
    switch (op) {
      case 'D':
        a.listDevices = true;
        break;
      case 'a':
      case 'A':
      case 'b':
      case 'E':
      case 'H':
      case 'I':
      case 'J':
      case 'K':
      case 'L':
      case 'M':
      case 'N':
      case 'u':
      case 'U':
      case 'z':
      case 'Z':
      case OPTION_PRINT:
        break;
      case 'B':
        a.bufferSize = atoi(v) * 1024;
        if (a.bufferSize <= 0) return fail(`invalid packet buffer size ${v}`);
        break;
      case 'c':
        a.count = atoi(v);
        if (a.count <= 0) return fail(`invalid packet count ${v}`);
        break;
      case 'C':
        // strtol(optarg, &endp, 10), all of it, above 0
        if (!/^[ \t\n\v\f\r]*[+-]?\d+$/.test(v) || Number(v) <= 0) return fail(`invalid file size ${v}`);
        break;
      case 'd':
        a.dump++;
        break;
      case 'e':
        a.print.eflag = true;
        break;
      case 'f':
        fflag = true;
        break;
      case 'F':
        a.infile = v;
        break;
      case 'G':
        if (atoi(v) < 0) return fail(`invalid number of seconds ${v}`);
        break;
      case 'h':
        return { exit: 0, out: err + USAGE, err: '' };
      case 'i':
        a.iface = v;
        break;
      case 'j':
        if (!TSTAMP_TYPES.includes(v.toLowerCase())) return fail(`invalid time stamp type ${v}`);
        break;
      case 'l':
        a.lineBuffered = true;
        break;
      case 'm':
        err += `tcpdump: ignoring option \`-m ${v}' (no libsmi support)\n`;
        break;
      case 'n':
        a.print.nflag++;
        break;
      case 'O':
        a.optimize = false;
        break;
      case 'p':
        a.promisc = false;
        break;
      case 'q':
        a.print.qflag = true;
        break;
      case 'Q': {
        const d = v.toLowerCase();
        if (d !== 'in' && d !== 'out' && d !== 'inout') return fail(`unknown capture direction \`${v}'`);
        a.direction = d;
        break;
      }
      case 'r':
        a.rfile = v;
        break;
      case 's': {
        const n = strtolWhole(v);
        if (n === null || n < 0 || n > 262144) return fail(`invalid snaplen ${v} (must be >= 0 and <= 262144)`);
        a.snaplen = n === 0 ? 262144 : n;
        break;
      }
      case 'S':
        a.print.Sflag = true;
        break;
      case 't':
        a.print.tflag++;
        break;
      case 'T':
        if (!PACKET_TYPES.includes(v.toLowerCase())) return fail(`unknown packet type \`${v}'`);
        break;
      case 'v':
        a.print.vflag++;
        break;
      case 'V':
        vfile = true;
        break;
      case 'w':
        a.wfile = v;
        break;
      case 'W':
        if (atoi(v) <= 0) return fail(`invalid number of output files ${v}`);
        break;
      case 'x':
        a.print.xflag++;
        break;
      case 'X':
        a.print.Xflag++;
        break;
      case 'y': {
        const name = DLT_NAMES.find((n) => n.toLowerCase() === v.toLowerCase());
        if (name === undefined) return fail(`invalid data link type ${v}`);
        a.linkType = name;
        break;
      }
      case '#':
        a.number = true;
        break;
      case OPTION_VERSION:
        return { exit: 0, out: err + USAGE.slice(0, USAGE.indexOf('Usage:')), err: '' };
      case OPTION_TSTAMP_PRECISION:
        if (v !== 'micro' && v !== 'nano') return fail('unsupported time stamp precision');
        break;
      case OPTION_IMMEDIATE_MODE:
        a.immediate = true;
        break;
      case OPTION_TSTAMP_MICRO:
      case OPTION_TSTAMP_NANO:
        break;
      case OPTION_FP_TYPE:
        // float_type_check(): what IEEE double arithmetic prints
        return { exit: 0, out: '9877.895\n', err };
      case OPTION_COUNT:
        a.countOnly = true;
        break;
      default:
        // getopt said why; print_usage(stderr)
        return { exit: 1, out: '', err: err + USAGE };
    }
  }
  // show_devices_and_exit() comes before the other checks
  if (a.listDevices) return a;
  if (a.print.tflag > 5) return fail('only -t, -tt, -ttt, -tttt and -ttttt are supported');
  if (fflag && (vfile || a.rfile !== null)) return fail('-f can not be used with -V or -r');
  if (vfile && a.rfile !== null) return fail('-V and -r are mutually exclusive.');
  a.expr = g.operands().join(' ');
  a.warnings = err;
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
  readBytes?(path: string): Uint8Array | ByteSource | null;
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
  let expr = a.expr;
  if (a.infile !== null) {
    // read_infile(): the whole file, "# comment" to the end of its line blanked
    const text = io.vfs.readFile(a.infile);
    if (typeof text !== 'string') {
      io.err(
        text.errno === 'EISDIR'
          ? `tcpdump: read ${a.infile}: Is a directory\n`
          : `tcpdump: can't open ${a.infile}: ${text.errno === 'ENOENT' ? 'No such file or directory' : 'Permission denied'}\n`,
      );
      return null;
    }
    expr = text.replace(/#[^\n]*/g, (c) => ' '.repeat(c.length));
  }
  try {
    return compileFilter(expr, { snaplen: a.snaplen, optimize: a.optimize, netmask, dlt });
  } catch (e) {
    if (e instanceof FilterError) {
      io.err(`tcpdump: ${e.message}\n`);
      return null;
    }
    throw e;
  }
}

/**
 * The link type of a capture: -y's if the device offers it ("any" offers the
 * cooked ones, an Ethernet device EN10MB), which tcpdump then announces; -i
 * any means LINUX_SLL2. An error text when the device does not offer it.
 */
function selectDlt(a: TcpdumpArgs, iface: string | null = a.iface): { dlt: Dlt; announce: boolean } | string {
  const any = iface === 'any';
  const want = a.linkType ?? (any && a.iface === 'any' ? 'LINUX_SLL2' : null);
  if (want === null) return { dlt: any ? 'LINUX_SLL' : 'EN10MB', announce: false };
  const offered: readonly string[] =
    iface === null ? ['EN10MB', 'LINUX_SLL', 'LINUX_SLL2'] : any ? ['LINUX_SLL', 'LINUX_SLL2'] : ['EN10MB'];
  if (!offered.includes(want)) return `tcpdump: ${want} is not one of the DLTs supported by this device\n`;
  return { dlt: want as Dlt, announce: iface !== null };
}

/**
 * What tcpdump does without a live device: -d/-dd/-ddd, and -r FILE (with -w).
 * Returns the exit status, or null when the arguments ask for a live capture.
 */
export function tcpdumpOffline(argv: readonly string[], io: OfflineIo): number | null {
  const a = parseArgs(argv);
  if ('exit' in a) {
    if (a.out) io.out(a.out);
    if (a.err) io.err(a.err);
    return a.exit;
  }
  if (a.warnings) io.err(a.warnings);
  // -D lists the devices of a running system
  if (a.listDevices) return null;
  // -d compiles without looking the device's netmask up (tcpdump -i lo -d 'ip broadcast' uses 0).
  if (a.dump > 0 && a.rfile === null) {
    // No device and no -y: pcap_open_dead(DLT_EN10MB) with a warning.
    if (a.iface === null && a.linkType === null) io.err('Warning: assuming Ethernet\n');
    const sel = selectDlt(a);
    if (typeof sel === 'string') {
      io.err(sel);
      return 1;
    }
    if (sel.announce) io.err(`tcpdump: data link type ${sel.dlt}\n`);
    const prog = compileOrFail(a, io, 0, sel.dlt);
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
  const source = direct instanceof Uint8Array ? memorySource(direct) : (direct ?? memorySource(latin1ToBytes(raw)));
  let file: Savefile;
  try {
    file = openSavefile(source);
  } catch (e) {
    if (!(e instanceof SavefileError)) throw e;
    io.err(`tcpdump: ${e.message}\n`);
    return 1;
  }
  const kind = LINKTYPES[file.linktype];
  if (kind === undefined) {
    io.err(`tcpdump: unsupported link-layer type ${file.linktype}\n`);
    return 1;
  }
  const dlt = kind.dlt;
  const cooked = dlt === 'EN10MB' || dlt === 'LINUX_SLL' || dlt === 'LINUX_SLL2' ? dlt : null;
  let filter: CompiledFilter | null = null;
  if (cooked !== null) {
    const prog = compileOrFail(a, io, 0, cooked);
    if (!prog) return 1;
    if (a.dump > 0) {
      io.out(bpfDump(prog, a.dump));
      return 0;
    }
    filter = jitFilter(prog);
  } else if (a.expr.trim() !== '' || a.infile !== null || a.dump > 0) {
    // the code generator knows Ethernet and the Linux cooked headers only
    io.err(`tcpdump: skbpath cannot compile filters for link-type ${kind.text}\n`);
    return 1;
  }
  io.err(`reading from file ${a.rfile}, link-type ${kind.text}, snapshot length ${file.snaplen}\n`);
  if (dlt === 'LINUX_SLL2') io.err('Warning: interface names might be incorrect\n');
  const printer = new Printer(a.print);
  const stamper = new Stamper(a.print.tflag);
  const toNull = a.wfile === '/dev/null';
  // pcap_dump_open(): the file is created before the first packet is read
  let writer: PcapWriter | null = null;
  if (a.wfile !== null && !toNull) {
    const fail = io.vfs.writeFile(a.wfile, '', false);
    if (fail) {
      io.err(`tcpdump: ${a.wfile}: ${ERRNO_TEXT[fail.errno] ?? 'Permission denied'}\n`);
      return 1;
    }
    writer = new PcapWriter({ snaplen: file.snaplen, linktype: file.linktype === 12 ? 101 : file.linktype });
  }
  let out = '';
  let n = 0;
  let err: string | null = null;
  try {
    for (const r of file.records()) {
      const data = r.data;
      if (filter && filter(data, r.origLen) === 0) continue;
      n++;
      if (writer) {
        writer.write(r.tsNs, data, r.origLen);
        if (writer.bytes().length > MAX_SAVEFILE) {
          err = `${a.wfile}: File too large`;
          break;
        }
      } else if (a.countOnly) {
        // --count: only the total at the end
      } else if (!toNull) {
        const line =
          dlt === 'LINUX_SLL'
            ? printer.packetSll(data, r.origLen)
            : dlt === 'LINUX_SLL2'
              ? printer.packetSll2(
                  data,
                  r.origLen,
                  (data.length >= 8
                    ? io.ifname?.(
                        (((data[4] as number) << 24) | ((data[5] as number) << 16) | ((data[6] as number) << 8) | (data[7] as number)) >>>
                          0,
                      )
                    : null) ?? '?',
                )
              : dlt === 'EN10MB'
                ? printer.packet(data, r.origLen)
                : printer.packetNet(data, r.origLen, dlt);
        const sec = Number(r.tsNs / 1_000_000_000n);
        const usec = Number((r.tsNs % 1_000_000_000n) / 1000n);
        out += (a.number ? `${String(n).padStart(5)}  ` : '') + stamper.stamp(sec, usec) + line;
        if (out.length > 1 << 20) {
          io.out(out);
          out = '';
        }
      }
      if (a.lineBuffered && out) {
        io.out(out);
        out = '';
      }
      if (a.count && n >= a.count) break;
    }
  } catch (e) {
    if (!(e instanceof SavefileError)) throw e;
    err = e.message;
  }
  if (writer && a.wfile !== null) {
    const fail = io.vfs.writeFile(a.wfile, bytesToLatin1(writer.bytes()), false);
    if (fail && err === null) err = `${a.wfile}: ${ERRNO_TEXT[fail.errno] ?? 'Permission denied'}`;
  }
  if (a.countOnly) out += `${n} packet${n === 1 ? '' : 's'}\n`;
  io.out(out);
  if (err !== null) {
    io.err(`tcpdump: pcap_loop: ${err}\n`);
    return 1;
  }
  return 0;
}

/** The largest savefile -w keeps in memory (the simulated file system's limit). */
const MAX_SAVEFILE = 512 * 1024 * 1024;

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EFBIG: 'File too large',
  ENAMETOOLONG: 'File name too long',
  EPERM: 'Operation not permitted',
  EINVAL: 'Invalid argument',
  EOVERFLOW: 'Value too large for defined data type',
  ENOMEM: 'Cannot allocate memory',
  ERANGE: 'Numerical result out of range',
  EIO: 'Input/output error',
};

/** Link types tcpdump reads, as pcap_datalink_val_to_name/description print them. */
const LINKTYPES: Record<number, { dlt: Dlt | 'NULL' | 'LOOP' | 'RAW' | 'IPV4' | 'IPV6' | 'USER0'; text: string }> = {
  0: { dlt: 'NULL', text: 'NULL (BSD loopback)' },
  1: { dlt: 'EN10MB', text: 'EN10MB (Ethernet)' },
  12: { dlt: 'RAW', text: 'RAW (Raw IP)' },
  101: { dlt: 'RAW', text: 'RAW (Raw IP)' },
  108: { dlt: 'LOOP', text: 'LOOP (OpenBSD loopback)' },
  113: { dlt: 'LINUX_SLL', text: 'LINUX_SLL (Linux cooked v1)' },
  147: { dlt: 'USER0', text: '147' },
  228: { dlt: 'IPV4', text: 'IPV4 (Raw IPv4)' },
  229: { dlt: 'IPV6', text: 'IPV6 (Raw IPv6)' },
  276: { dlt: 'LINUX_SLL2', text: 'LINUX_SLL2 (Linux cooked v2)' },
};

interface SavefileRecord {
  tsNs: bigint;
  data: Uint8Array;
  origLen: number;
}

interface Savefile {
  linktype: number;
  snaplen: number;
  /** Read one at a time; throws SavefileError with libpcap's text where it stops. */
  records(): Generator<SavefileRecord>;
}

/** pcap_fopen_offline(): a classic savefile or a pcapng file, by its magic. */
function openSavefile(src: ByteSource): Savefile {
  const bytes = { length: src.length };
  if (bytes.length < 4) throw new SavefileError(`truncated dump file; tried to read 4 file header bytes, only got ${bytes.length}`);
  const ng = openPcapng(src);
  if (ng) {
    return {
      linktype: ng.linktype,
      snaplen: ng.snaplen,
      *records() {
        for (const p of ng.packets()) yield { tsNs: p.tsNs, data: p.data, origLen: p.origLen };
      },
    };
  }
  if (isPcapng(src)) throw new SavefileError('unknown file format');
  const head = readPcap(src.get(0, 24));
  if (!head.header) {
    if (head.error?.code === 'bad-magic') throw new SavefileError('unknown file format');
    throw new SavefileError(`truncated dump file; tried to read 24 file header bytes, only got ${bytes.length}`);
  }
  const hdr = head.header;
  return {
    linktype: hdr.linktype,
    snaplen: hdr.snaplen,
    *records() {
      const le = hdr.littleEndian;
      // libpcap cuts a record longer than the file's snapshot length to it
      const snap = hdr.snaplen === 0 || hdr.snaplen > 262144 ? 262144 : hdr.snaplen;
      for (let off = 24; off < bytes.length; ) {
        if (off + 16 > bytes.length)
          throw new SavefileError(`truncated dump file; tried to read 16 header bytes, only got ${bytes.length - off}`);
        const h = src.get(off, 16);
        const dv = new DataView(h.buffer, h.byteOffset, 16);
        const tsSec = dv.getUint32(0, le);
        const frac = dv.getUint32(4, le);
        const incl = dv.getUint32(8, le);
        const orig = dv.getUint32(12, le);
        if (incl > 262144) {
          throw new SavefileError(
            incl > hdr.snaplen
              ? `invalid packet capture length ${incl}, bigger than snaplen of ${hdr.snaplen}`
              : `invalid packet capture length ${incl}, bigger than maximum of 262144`,
          );
        }
        const start = off + 16;
        if (start + incl > bytes.length) {
          throw new SavefileError(`truncated dump file; tried to read ${incl} captured bytes, only got ${bytes.length - start}`);
        }
        off = start + incl;
        const usec = hdr.nanosecond ? Math.floor(frac / 1000) : frac;
        yield {
          tsNs: BigInt(tsSec) * 1_000_000_000n + BigInt(usec) * 1000n,
          data: src.get(start, Math.min(incl, snap)),
          origLen: orig,
        };
      }
    },
  };
}

const plural = (n: number): string => (n === 1 ? '' : 's');

const SLL_HDR_LEN = 16;
const SLL2_HDR_LEN = 20;

/**
 * fix_program() → fix_offset(): a program for a cooked capture made to run
 * in the kernel over the payload of a SOCK_DGRAM socket: loads past the
 * cooked header move back by its length, loads of its protocol, packet type
 * and ifindex fields become SKF_AD_* loads. Null when some other header field
 * is read (libpcap then filters in userland).
 */
function fixProgram(prog: readonly Insn[], dlt: Dlt): SockFilter[] | null {
  const out: SockFilter[] = [];
  for (const p of prog) {
    let k = p.k >>> 0;
    const cls = p.code & 0x07;
    const mode = p.code & 0xe0;
    if (dlt !== 'EN10MB' && (cls === 0x00 || cls === 0x01) && (mode === 0x20 || mode === 0x40 || mode === 0xa0) && k < SKF_AD_OFF >>> 0) {
      const hdr = dlt === 'LINUX_SLL2' ? SLL2_HDR_LEN : SLL_HDR_LEN;
      const fields: Record<number, number> =
        dlt === 'LINUX_SLL2' ? { 0: SKF_AD_PROTOCOL, 4: SKF_AD_IFINDEX, 10: SKF_AD_PKTTYPE } : { 0: SKF_AD_PKTTYPE, 14: SKF_AD_PROTOCOL };
      if (k >= hdr) k -= hdr;
      else if (fields[k] !== undefined) k = (SKF_AD_OFF + (fields[k] as number)) >>> 0;
      else if ((k | 0) > 0) return null;
    }
    out.push({ code: p.code, jt: p.jt, jf: p.jf, k });
  }
  return out;
}

/** The cooked header libpcap builds from sockaddr_ll (struct sll_header / sll2_header) in front of the payload. */
function cookedFrame(dlt: Dlt, f: TpacketFrame): Uint8Array {
  const sll = f.sll;
  const hdr = dlt === 'LINUX_SLL2' ? SLL2_HDR_LEN : SLL_HDR_LEN;
  const h = new Uint8Array(hdr + f.data.length);
  if (dlt === 'LINUX_SLL2') {
    h[0] = sll.sll_protocol >> 8;
    h[1] = sll.sll_protocol & 0xff;
    h[4] = (sll.sll_ifindex >>> 24) & 0xff;
    h[5] = (sll.sll_ifindex >>> 16) & 0xff;
    h[6] = (sll.sll_ifindex >>> 8) & 0xff;
    h[7] = sll.sll_ifindex & 0xff;
    h[8] = sll.sll_hatype >> 8;
    h[9] = sll.sll_hatype & 0xff;
    h[10] = sll.sll_pkttype;
    h[11] = sll.sll_halen;
    h.set(sll.sll_addr.subarray(0, 8), 12);
  } else {
    h[1] = sll.sll_pkttype;
    h[2] = sll.sll_hatype >> 8;
    h[3] = sll.sll_hatype & 0xff;
    h[5] = sll.sll_halen;
    h.set(sll.sll_addr.subarray(0, 8), 6);
    h[14] = sll.sll_protocol >> 8;
    h[15] = sll.sll_protocol & 0xff;
  }
  h.set(f.data, hdr);
  return h;
}

/** if_indextoname(3) */
function ifIndexToName(net: ProcCtx['net'], index: number): string | null {
  const r: Ifreq = { ifr_name: '', ifr_ifindex: index };
  return ioctl(net, SIOCGIFNAME, r) === 0 ? r.ifr_name : null;
}

function* tcpdump(ctx: ProcCtx): Proc {
  const net = ctx.net;
  const io: OfflineIo = {
    vfs: ctx.world.vfs,
    out: (s) => s && ctx.stdout.write(s),
    err: (s) => ctx.stderr.write(s),
    ifname: (i) => ifIndexToName(net, i),
  };
  const off = tcpdumpOffline(ctx.argv, io);
  if (off !== null) return off;
  const a = parseArgs(ctx.argv) as TcpdumpArgs;
  const flagsOf = (name: string): number => {
    const r: Ifreq = { ifr_name: name };
    return ioctl(net, SIOCGIFFLAGS, r) === 0 ? (r.ifr_flags ?? 0) : 0;
  };
  // pcap_lookupdev: the first device of pcap_findalldevs, which lists devices
  // that are up and running before the rest, and loopback after the others.
  const rank = (f: number): number => (f & IFF_UP ? 0 : 4) + (f & IFF_RUNNING ? 0 : 2) + (f & IFF_LOOPBACK ? 1 : 0);
  const ranked = if_nameindex(net)
    .map((d) => ({ name: d.if_name, rank: rank(flagsOf(d.if_name)) }))
    .sort((x, y) => x.rank - y.rank);
  const best = ranked[0];
  if (a.listDevices) {
    // show_devices_and_exit(): pcap_findalldevs() in its order, "any" after the devices as good as it
    const at = ranked.findIndex((d) => d.rank > 0);
    const list = ranked.map((d) => ({ name: d.name, flags: flagsOf(d.name), any: false }));
    list.splice(at < 0 ? list.length : at, 0, { name: 'any', flags: IFF_UP | IFF_RUNNING, any: true });
    let text = '';
    list.forEach((d, i) => {
      const words = [d.flags & IFF_UP ? 'Up' : '', d.flags & IFF_RUNNING ? 'Running' : '', d.flags & IFF_LOOPBACK ? 'Loopback' : ''].filter(
        Boolean,
      );
      let flags = words.length ? words.join(', ') : 'none';
      if (!d.any && !(d.flags & IFF_LOOPBACK)) flags += d.flags & IFF_RUNNING ? ', Connected' : ', Disconnected';
      text += `${i + 1}.${d.name}${d.any ? ' (Pseudo-device that captures on all interfaces)' : ''} [${flags}]\n`;
    });
    ctx.stdout.write(text);
    return 0;
  }
  // "any" (up, running, not loopback) follows the real devices that are as good.
  const devName = a.iface ?? (best && best.rank === 0 ? best.name : 'any');
  const any = devName === 'any';
  let ifindex = 0;
  if (!any) {
    const r: Ifreq = { ifr_name: devName };
    if (ioctl(net, SIOCGIFINDEX, r) < 0) {
      ctx.stderr.write(`tcpdump: ${devName}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`);
      return 1;
    }
    ifindex = r.ifr_ifindex ?? 0;
  }
  const sel = selectDlt(a, devName);
  if (typeof sel === 'string') {
    ctx.stderr.write(sel);
    return 1;
  }
  const ldlt = sel.dlt;
  if (sel.announce) ctx.stderr.write(`tcpdump: data link type ${ldlt}\n`);
  // pcap_activate(): a packet socket (cooked, SOCK_DGRAM, for "any"), promiscuous
  // unless -p, auxdata, a TPACKET_V3 ring, then bound with ETH_P_ALL
  const opened = packet_socket(net, any ? SOCK_DGRAM : SOCK_RAW, 0);
  if (typeof opened === 'number') return 1;
  const sk: PacketSocket = opened;
  if (!any) packet_sys_bind(sk, { sll_ifindex: ifindex, sll_protocol: 0 });
  if (!any && a.promisc) packet_sys_setsockopt(sk, SOL_PACKET, PACKET_ADD_MEMBERSHIP, { mr_ifindex: ifindex, mr_type: PACKET_MR_PROMISC });
  packet_sys_setsockopt(sk, SOL_PACKET, PACKET_AUXDATA, 1);
  packet_sys_setsockopt(sk, SOL_PACKET, PACKET_VERSION, TPACKET_V3);
  packet_sys_setsockopt(sk, SOL_PACKET, PACKET_RESERVE, VLAN_TAG_LEN);
  packet_sys_setsockopt(sk, SOL_PACKET, PACKET_RX_RING, pcapRing(a.bufferSize));
  packet_sys_bind(sk, { sll_ifindex: ifindex, sll_protocol: ETH_P_ALL });
  if (packet_sys_getsockopt(sk, SOL_SOCKET, SO_ERROR) === ENETDOWN) {
    packet_sys_close(sk);
    ctx.stderr.write(`tcpdump: ${devName}: That device is not up\n`);
    return 1;
  }
  const lo: Ifreq = { ifr_name: 'lo' };
  const loIfindex = ioctl(net, SIOCGIFINDEX, lo) === 0 ? (lo.ifr_ifindex ?? -1) : -1;
  // pcap_lookupnet: the device's primary IPv4 netmask, for 'ip broadcast'.
  let netmask = 0;
  if (!any) {
    const r: Ifreq = { ifr_name: devName };
    if (ioctl(net, SIOCGIFNETMASK, r) < 0) ctx.stderr.write(`tcpdump: WARNING: ${devName}: no IPv4 address assigned\n`);
    else netmask = r.ifr_addr ?? 0;
  }
  const prog = compileOrFail(a, io, netmask, ldlt);
  if (!prog) {
    packet_sys_close(sk);
    return 1;
  }
  // pcap_setfilter_linux(): in the kernel (SO_ATTACH_FILTER) when fix_program can, else in userland
  const kprog = any ? fixProgram(prog, ldlt) : prog.map((p) => ({ code: p.code, jt: p.jt, jf: p.jf, k: p.k >>> 0 }));
  const kerr = kprog === null ? null : packet_sys_setsockopt(sk, SOL_SOCKET, SO_ATTACH_FILTER, kprog);
  // the kernel refuses a backward jump (protochain): libpcap warns and filters in userland
  if (kerr === -EINVAL) ctx.stderr.write('Warning: Kernel filter failed: Invalid argument\n');
  const userland: CompiledFilter | null = kerr === 0 ? null : jitFilter(prog);
  const hdrLen = ldlt === 'LINUX_SLL2' ? SLL2_HDR_LEN : ldlt === 'LINUX_SLL' ? SLL_HDR_LEN : 0;
  // a cooked capture keeps at least its header and one byte
  const snapshot = hdrLen ? Math.max(a.snaplen, hdrLen + 1) : a.snaplen;
  const sim = ctx.world.sim;
  const printer = new Printer(a.print);
  const stamper = new Stamper(a.print.tflag);
  // pcap_dump_open() before the capture starts: a path it cannot create ends tcpdump
  if (a.wfile !== null && a.wfile !== '/dev/null') {
    const fail = ctx.world.vfs.writeFile(a.wfile, '', false, net);
    if (fail) {
      packet_sys_close(sk);
      ctx.stderr.write(`tcpdump: ${a.wfile}: ${ERRNO_TEXT[fail.errno] ?? 'Permission denied'}\n`);
      return 1;
    }
  }
  const writer = a.wfile !== null ? new PcapWriter({ snaplen: a.snaplen, linktype: LINKTYPE_OF[ldlt] }) : null;
  let out = '';
  let captured = 0;
  let received = 0;
  let dropped = 0;
  let done = false;
  let closed = false;
  if (!a.print.vflag && a.wfile === null) ctx.stderr.write('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n');
  else ctx.stderr.write('tcpdump: ');
  ctx.stderr.write(`listening on ${devName}, link-type ${DLT_TEXT[ldlt]}, snapshot length ${a.snaplen} bytes\n`);
  // pcap_stats_linux(): PACKET_STATISTICS resets the kernel's counts, libpcap keeps the sums
  const stats = (): void => {
    const st = packet_sys_getsockopt(sk, SOL_PACKET, PACKET_STATISTICS);
    if (typeof st === 'number') return;
    received += st.tp_packets;
    dropped += st.tp_drops;
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    stats();
    packet_sys_close(sk);
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
  /** pcap_handle_packet_mmap(): direction, userland filter, the cooked header, then the callback. */
  const handle = (f: TpacketFrame): void => {
    // linux_check_direction(): loopback's outgoing copies come back as incoming; -Q
    if (f.sll.sll_pkttype === PACKET_OUTGOING) {
      if (f.sll.sll_ifindex === loIfindex || a.direction === 'in') return;
    } else if (a.direction === 'out') return;
    const frame = hdrLen ? cookedFrame(ldlt, f) : f.data;
    const wirelen = f.tp_len + hdrLen;
    if (userland && userland(frame, wirelen, f.sll.sll_pkttype) === 0) return;
    const data = frame.length > snapshot ? frame.subarray(0, snapshot) : frame;
    captured++;
    if (writer) {
      writer.write(BigInt(f.tstamp), data, wirelen);
      hold(16 + data.length);
    } else {
      const ns = BigInt(f.tstamp);
      const sec = Number(ns / 1_000_000_000n);
      const usec = Number((ns % 1_000_000_000n) / 1000n);
      const ifname = ldlt === 'LINUX_SLL2' ? (ifIndexToName(net, f.sll.sll_ifindex) ?? '?') : '';
      const line =
        ldlt === 'LINUX_SLL2'
          ? printer.packetSll2(data, wirelen, ifname)
          : ldlt === 'LINUX_SLL'
            ? printer.packetSll(data, wirelen)
            : printer.packet(data, wirelen);
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
    ctx.stderr.write(
      `${captured} packet${plural(captured)} captured\n${received} packet${plural(received)} received by filter\n${dropped} packet${plural(dropped)} dropped by kernel\n`,
    );
  };
  // TPACKET_V3: accepted frames wait in the ring's open block until the
  // block's retire timer (libpcap's 1000 ms timeout) hands them to tcpdump.
  const RETIRE_BLK_TOV_NS = 1_000_000_000;
  let finished = false;
  // setsignal(SIGINT/SIGTERM/SIGHUP, cleanup)
  const task = sim.sched.current;
  const prevHandles = task?.handles ?? null;
  if (task) task.handles = TCPDUMP_SIGNALS;
  try {
    while (!done) {
      yield sleep(a.immediate ? 1_000 : RETIRE_BLK_TOV_NS);
      while (!done) {
        const f = packet_sys_ring_next(sk);
        if (f === null) break;
        handle(f);
        if (a.count && captured >= a.count) done = true;
      }
    }
    close();
    finished = true;
    finish(false);
  } finally {
    // Killed (SIGINT, SIGTERM, SIGHUP): tcpdump's cleanup() breaks out of its loop, flushes,
    // prints its statistics and exits 0. SIGKILL leaves nothing to run.
    if (task) task.handles = prevHandles;
    if (!finished) {
      const sig = sim.sched.signal;
      close();
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
