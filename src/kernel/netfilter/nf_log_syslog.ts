// net/netfilter/nf_log_syslog.c: the LOG target's text in the kernel log,
// field by field as nf_log_ip_packet() builds it.
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { ARPHRD_ETHER } from '../core/netdevice.ts';
import { rd16, rd32 } from '../ipv4/iphdr.ts';
import { formatMac } from '../../wire/ethernet.ts';
import { ipv4ToString } from '../../wire/ipv4.ts';

/** include/uapi/linux/netfilter/nf_log.h */
export const NF_LOG_TCPSEQ = 0x01;
export const NF_LOG_TCPOPT = 0x02;
export const NF_LOG_IPOPT = 0x04;
export const NF_LOG_UID = 0x08;
export const NF_LOG_MACDECODE = 0x20;

const IP_CE = 0x8000;
const IP_DF = 0x4000;
const IP_MF = 0x2000;
const IP_OFFSET = 0x1fff;

/** required_len[] of dump_ipv4_packet: ICMP types whose body must be there. */
const ICMP_REQUIRED: Record<number, number> = { 0: 4, 3: 28, 4: 28, 5: 28, 8: 4, 11: 28, 12: 28, 13: 20, 14: 20, 17: 12, 18: 12 };

function ip4(b: Uint8Array, o: number): string {
  return ipv4ToString(rd32(b, o));
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}

/** nf_log_allowed(): a namespace other than init_net logs only with nf_log_all_netns. */
export function nf_log_allowed(net: Net): boolean {
  if (net.name === 'init_net') return true;
  const init = net.kernel.nets.find((n) => n.name === 'init_net');
  return (init?.sysctl.int('net.netfilter.nf_log_all_netns') ?? 0) !== 0;
}

/** dump_mac_header() */
function dump_mac_header(skb: SkBuff, logflags: number): string {
  const dev = skb.dev;
  const b = skb.head;
  if (logflags & NF_LOG_MACDECODE && dev && dev.type === ARPHRD_ETHER && skb.macHeader >= 0) {
    return `MACSRC=${formatMac(b.subarray(skb.macHeader + 6, skb.macHeader + 12))} MACDST=${formatMac(b.subarray(skb.macHeader, skb.macHeader + 6))} MACPROTO=${rd16(b, skb.macHeader + 12).toString(16).padStart(4, '0')} `;
  }
  let s = 'MAC=';
  if (dev && dev.hardHeaderLen && skb.macHeader >= 0 && skb.macHeader !== skb.networkHeader) {
    const p: string[] = [];
    for (let i = 0; i < dev.hardHeaderLen; i++) p.push(hex2(b[skb.macHeader + i] as number));
    s += p.join(':');
  }
  return `${s} `;
}

/** dump_ipv4_packet(): `iphoff` is relative to the network header (0 for the packet itself). */
function dump_ipv4_packet(skb: SkBuff, logflags: number, iphoff: number): string {
  const b = skb.head;
  const base = skb.networkHeader;
  const o = base + iphoff;
  const end = skb.tail;
  if (o + 20 > end) return 'TRUNCATED';
  const ihl = ((b[o] as number) & 0x0f) * 4;
  const tos = b[o + 1] as number;
  const fragOff = rd16(b, o + 6);
  let s = `SRC=${ip4(b, o + 12)} DST=${ip4(b, o + 16)} `;
  s += `LEN=${rd16(b, o + 2)} TOS=0x${hex2(tos & 0x1e).toUpperCase()} PREC=0x${hex2(tos & 0xe0).toUpperCase()} TTL=${b[o + 8]} ID=${rd16(b, o + 4)} `;
  if (fragOff & IP_CE) s += 'CE ';
  if (fragOff & IP_DF) s += 'DF ';
  if (fragOff & IP_MF) s += 'MF ';
  if (fragOff & IP_OFFSET) s += `FRAG:${fragOff & IP_OFFSET} `;
  if (logflags & NF_LOG_IPOPT && ihl > 20) {
    if (o + ihl > end) return `${s}TRUNCATED`;
    s += 'OPT (';
    for (let i = 20; i < ihl; i++) s += hex2(b[o + i] as number).toUpperCase();
    s += ') ';
  }
  const proto = b[o + 9] as number;
  const fragment = (fragOff & IP_OFFSET) !== 0;
  const l4 = o + ihl;
  const avail = skb.len - (l4 - skb.data);
  switch (proto) {
    case 6: {
      s += 'PROTO=TCP ';
      if (fragment) break;
      if (l4 + 20 > end) return `${s}INCOMPLETE [${avail} bytes] `;
      s += `SPT=${rd16(b, l4)} DPT=${rd16(b, l4 + 2)} `;
      if (logflags & NF_LOG_TCPSEQ) s += `SEQ=${rd32(b, l4 + 4)} ACK=${rd32(b, l4 + 8)} `;
      s += `WINDOW=${rd16(b, l4 + 14)} `;
      const word = rd16(b, l4 + 12);
      // (flag word & TCP_RESERVED_BITS) >> 22: the three reserved bits above AE
      s += `RES=0x${hex2((word & 0x0e00) >> 6)} `;
      const fl = word & 0x1ff;
      if (fl & 0x100) s += 'AE ';
      if (fl & 0x80) s += 'CWR ';
      if (fl & 0x40) s += 'ECE ';
      if (fl & 0x20) s += 'URG ';
      if (fl & 0x10) s += 'ACK ';
      if (fl & 0x08) s += 'PSH ';
      if (fl & 0x04) s += 'RST ';
      if (fl & 0x02) s += 'SYN ';
      if (fl & 0x01) s += 'FIN ';
      s += `URGP=${rd16(b, l4 + 18)} `;
      const doff = (word >> 12) * 4;
      if (logflags & NF_LOG_TCPOPT && doff > 20) {
        if (l4 + doff > end) return `${s}OPT (TRUNCATED)`;
        s += 'OPT (';
        for (let i = 20; i < doff; i++) s += hex2(b[l4 + i] as number).toUpperCase();
        s += ') ';
      }
      break;
    }
    case 17:
    case 136: {
      s += proto === 17 ? 'PROTO=UDP ' : 'PROTO=UDPLITE ';
      if (fragment) break;
      if (l4 + 8 > end) return `${s}INCOMPLETE [${avail} bytes] `;
      s += `SPT=${rd16(b, l4)} DPT=${rd16(b, l4 + 2)} LEN=${rd16(b, l4 + 4)} `;
      break;
    }
    case 1: {
      s += 'PROTO=ICMP ';
      if (fragment) break;
      if (l4 + 8 > end) {
        s += `INCOMPLETE [${avail} bytes] `;
        break;
      }
      const type = b[l4] as number;
      const code = b[l4 + 1] as number;
      s += `TYPE=${type} CODE=${code} `;
      const need = ICMP_REQUIRED[type];
      if (type <= 18 && need && avail < need) {
        s += `INCOMPLETE [${avail} bytes] `;
        break;
      }
      switch (type) {
        case 0:
        case 8:
          s += `ID=${rd16(b, l4 + 4)} SEQ=${rd16(b, l4 + 6)} `;
          break;
        case 12:
          s += `PARAMETER=${b[l4 + 4]} `;
          break;
        case 5:
        case 3:
        case 4:
        case 11:
          if (type === 5) s += `GATEWAY=${ip4(b, l4 + 4)} `;
          if (iphoff === 0) s += `[${dump_ipv4_packet(skb, logflags, l4 + 8 - base)}] `;
          if (type === 3 && code === 4) s += `MTU=${rd16(b, l4 + 6)} `;
          break;
      }
      break;
    }
    case 51: {
      if (fragment) break;
      s += 'PROTO=AH ';
      if (l4 + 12 > end) return `${s}INCOMPLETE [${avail} bytes] `;
      s += `SPI=0x${rd32(b, l4 + 4).toString(16)} `;
      break;
    }
    case 50: {
      s += 'PROTO=ESP ';
      if (fragment) break;
      if (l4 + 8 > end) return `${s}INCOMPLETE [${avail} bytes] `;
      s += `SPI=0x${rd32(b, l4).toString(16)} `;
      break;
    }
    default:
      s += `PROTO=${proto} `;
  }
  // nf_log_dump_sk_uid_gid(): a socket with a file behind it (every process runs as root here)
  if (logflags & NF_LOG_UID && iphoff === 0 && skb.sk) s += 'UID=0 GID=0 ';
  if (iphoff === 0 && skb.mark) s += `MARK=0x${skb.mark.toString(16)} `;
  return s;
}

/** nf_log_ip_packet(): the LOG line for an IPv4 packet, or nothing when logging is off in this namespace. */
export function nf_log_ip_packet(net: Net, skb: SkBuff, inDev: NetDevice | null, outDev: NetDevice | null, level: number, logflags: number, prefix: string): void {
  if (!nf_log_allowed(net)) return;
  let s = `${prefix}IN=${inDev ? inDev.name : ''} OUT=${outDev ? outDev.name : ''} `;
  if (inDev) s += dump_mac_header(skb, logflags);
  s += dump_ipv4_packet(skb, logflags, 0);
  net.kernel.kmsg.printk(level, s);
}
