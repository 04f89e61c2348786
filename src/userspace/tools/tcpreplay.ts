// tcpreplay 4.4.3 as Debian ships it: each frame of a pcap file leaves a
// device through an AF_PACKET socket (packet_snd → dev_queue_xmit), paced by
// --pps/--mbps/--topspeed or the file's own timestamps, then its summary.
import { ENOBUFS } from '../../kernel/uapi/errno.ts';
import {
  ETH_P_ALL,
  packet_socket,
  packet_sys_bind,
  packet_sys_close,
  packet_sys_sendto,
  type PacketSocket,
  SOCK_RAW,
} from '../../kernel/uapi/packet.ts';
import { type Ifreq, ioctl, SIOCGIFINDEX } from '../../kernel/uapi/sockios.ts';
import { type Proc, sleep } from '../../sim/sched.ts';
import { readPcap } from '../../wire/pcap.ts';
import { ETH_HLEN, ETH_P_IP, eth_proto } from '../../wire/ethernet.ts';
import { IPH_DADDR, IPH_SADDR, IPPROTO_TCP, IPPROTO_UDP, IPV4_HEADER_LEN, iph_ihl, iph_protocol } from '../../wire/ipv4.ts';
import { tcph_dest, tcph_source } from '../../wire/tcp.ts';
import type { Command, ProcCtx } from '../proc.ts';

const USAGE = `tcpreplay (tcpreplay) - Replay network traffic stored in pcap files
Usage:  tcpreplay [ -<flag> [<val>] | --<name>[{=| }<val>] ]... \\
\t\t<pcap_file(s)> | <pcap_dir(s)>
`;

interface Opts {
  intf: string;
  pps: number;
  mbps: number;
  topspeed: boolean;
  loop: number;
  limit: number;
  multiplier: number;
  quiet: boolean;
}

/** The flow accounting tcpreplay prints: flows by 5-tuple, non-IP frames apart. */
function flowStats(frames: Uint8Array[]): { flows: number; unique: number; nonflow: number } {
  const flows = new Set<string>();
  let nonflow = 0;
  for (const f of frames) {
    const type = f.length >= ETH_HLEN ? eth_proto(f, 0) : 0;
    const nh = ETH_HLEN;
    if (type !== ETH_P_IP || f.length < nh + IPV4_HEADER_LEN) {
      nonflow++;
      continue;
    }
    const ihl = iph_ihl(f, nh) * 4;
    const proto = iph_protocol(f, nh);
    const t = nh + ihl;
    // the ports: the first two fields of struct tcphdr and struct udphdr
    const ports = (proto === IPPROTO_TCP || proto === IPPROTO_UDP) && f.length >= t + 4 ? `${tcph_source(f, t)}:${tcph_dest(f, t)}` : '';
    flows.add(`${proto}|${f.subarray(nh + IPH_SADDR, nh + IPH_DADDR + 4).join('.')}|${ports}`);
  }
  return { flows: flows.size, unique: flows.size, nonflow };
}

function fmt(v: number, d: number): string {
  return v.toFixed(d);
}

function* tcpreplay(ctx: ProcCtx): Proc {
  const o: Opts = { intf: '', pps: 0, mbps: 0, topspeed: false, loop: 1, limit: 0, multiplier: 0, quiet: false };
  const files: string[] = [];
  const args = ctx.argv.slice(1);
  const err = (s: string): void => ctx.stderr.write(s);
  for (let i = 0; i < args.length; i++) {
    let a = args[i] as string;
    let val: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      val = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const need = (): string | null => {
      const v = val ?? args[++i];
      if (v === undefined) {
        err(`tcpreplay error:  option \`${a}' requires an argument\n${USAGE}`);
        return null;
      }
      return v;
    };
    if (a === '-i' || a === '--intf1') {
      const v = need();
      if (v === null) return 1;
      o.intf = v;
    } else if (a === '-p' || a === '--pps') {
      const v = need();
      if (v === null) return 1;
      o.pps = Number(v);
    } else if (a === '-M' || a === '--mbps') {
      const v = need();
      if (v === null) return 1;
      o.mbps = Number(v);
    } else if (a === '-t' || a === '--topspeed') o.topspeed = true;
    else if (a === '-l' || a === '--loop') {
      const v = need();
      if (v === null) return 1;
      o.loop = Number(v);
    } else if (a === '-L' || a === '--limit') {
      const v = need();
      if (v === null) return 1;
      o.limit = Number(v);
    } else if (a === '-x' || a === '--multiplier') {
      const v = need();
      if (v === null) return 1;
      o.multiplier = Number(v);
    } else if (a === '-q' || a === '--quiet') o.quiet = true;
    else if (a.startsWith('-')) {
      err(`tcpreplay error:  unknown option: ${a}\n${USAGE}`);
      return 1;
    } else files.push(a);
  }
  if (!o.intf) {
    err(`tcpreplay error:  The intf1 option is required\n${USAGE}`);
    return 1;
  }
  const ifr: Ifreq = { ifr_name: o.intf };
  if (ioctl(ctx.net, SIOCGIFINDEX, ifr) < 0) {
    err(
      `\nFatal Error in tcpreplay.c:main() line 79:\n Unable to parse args: From tcpreplay_api.c:tcpreplay_post_args() line 336:\nInvalid interface name/alias: ${o.intf}\n`,
    );
    return 255;
  }
  const ifindex = ifr.ifr_ifindex ?? 0;
  if (files.length === 0) {
    err(`tcpreplay error:  Must specify one or more pcap files to process\n${USAGE}`);
    return 1;
  }
  const frames: { data: Uint8Array; tsNs: number }[] = [];
  for (const f of files) {
    const text = ctx.world.vfs.readFile(f);
    if (typeof text !== 'string') {
      err(`\nFatal Error in tcpreplay.c:main() line 122:\n Unable to retrieve information from file ${f}: No such file or directory\n`);
      return 255;
    }
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
    const pcap = readPcap(bytes);
    if (!pcap.header) {
      err(`\nFatal Error in tcpreplay.c:main() line 122:\n Unable to retrieve information from file ${f}: unknown file format\n`);
      return 255;
    }
    for (const r of pcap.records) frames.push({ data: r.data.slice(), tsNs: Number(r.tsNs) });
  }
  const sim = ctx.world.sim;
  const start = sim.now;
  // sendpacket_open_pf(): an ETH_P_ALL packet socket bound to the device; it
  // also receives what crosses the device, never reads it, and the kernel
  // purges that when it closes
  const opened = packet_socket(ctx.net, SOCK_RAW, ETH_P_ALL);
  if (typeof opened === 'number') return 255;
  const sk: PacketSocket = opened;
  packet_sys_bind(sk, { sll_ifindex: ifindex, sll_protocol: ETH_P_ALL });
  try {
    return yield* replay();
  } finally {
    packet_sys_close(sk);
  }

  function* replay(): Proc {
    let sent = 0;
    let bytes = 0;
    let failed = 0;
    const todo: Uint8Array[] = [];
    for (let l = 0; l < Math.max(1, o.loop); l++) for (const f of frames) todo.push(f.data);
    const list = o.limit ? todo.slice(0, o.limit) : todo;
    for (let i = 0; i < list.length; i++) {
      const data = list[i] as Uint8Array;
      if (i > 0) {
        let gap = 0;
        if (o.topspeed) gap = 0;
        else if (o.pps) gap = 1e9 / o.pps;
        else if (o.mbps) gap = (data.length * 8 * 1e9) / (o.mbps * 1e6);
        else {
          const f0 = frames[(i - 1) % frames.length] as { tsNs: number };
          const f1 = frames[i % frames.length] as { tsNs: number };
          gap = Math.max(0, f1.tsNs - f0.tsNs) / (o.multiplier || 1);
        }
        if (gap > 0) yield sleep(gap);
      }
      // sendto(): packet_snd() puts the frame as is out of the device. A frame
      // the qdisc refused (ENOBUFS) still counts as sent: tcpreplay's retry
      // on ENOBUFS is not modelled.
      const rc = packet_sys_sendto(sk, data);
      if (rc < 0 && rc !== -ENOBUFS) {
        failed++;
        continue;
      }
      sent++;
      bytes += data.length;
    }
    const secs = Math.max((sim.now - start) / 1e9, 0.000001);
    const fs = flowStats(list);
    if (!o.quiet) {
      ctx.stdout.write(
        `Actual: ${sent} packets (${bytes} bytes) sent in ${fmt(secs, 6)} seconds\n` +
          `Rated: ${fmt(bytes / secs, 1)} Bps, ${fmt((bytes * 8) / secs / 1e6, 2)} Mbps, ${fmt(sent / secs, 2)} pps\n` +
          `Flows: ${fs.flows} flows, ${fmt(fs.flows / secs, 2)} fps, ${fs.unique} unique flow packets, ${fs.nonflow} unique non-flow packets\n` +
          `Statistics for network device: ${o.intf}\n` +
          `\tSuccessful packets:        ${sent}\n` +
          `\tFailed packets:            ${failed}\n` +
          `\tTruncated packets:         0\n` +
          `\tRetried packets (ENOBUFS): 0\n` +
          `\tRetried packets (EAGAIN):  0\n`,
      );
    }
    return 0;
  }
}

export function registerTcpreplay(commands: Map<string, Command>): void {
  commands.set('tcpreplay', tcpreplay);
}
