// net/netfilter/nf_log_syslog.c: the LOG target's text in the kernel log,
// field by field as nf_log_ip_packet() builds it.
import type { NetDevice } from '../core/netdevice.ts';
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { ARPHRD_ETHER } from '../core/netdevice.ts';
import { rd16, rd32 } from '../ipv4/iphdr.ts';
import { ETH_ALEN, ETH_DEST, ETH_SOURCE, eth_proto, formatMac } from '../../wire/ethernet.ts';
import {
  ICMPH_POINTER,
  ICMP_HEADER_LEN,
  icmph_code,
  icmph_echo_id,
  icmph_echo_sequence,
  icmph_frag_mtu,
  icmph_gateway,
  icmph_type,
} from '../../wire/icmp.ts';
import {
  IP_CE,
  IP_DF,
  IP_MF,
  IP_OFFSET,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  IPV4_HEADER_LEN,
  iph_daddr,
  iph_frag_off,
  iph_id,
  iph_ihl,
  iph_protocol,
  iph_saddr,
  iph_tos,
  iph_tot_len,
  iph_ttl,
  ipv4ToString,
} from '../../wire/ipv4.ts';
import { TCPH_DOFF, TCP_HEADER_LEN, tcph_ack_seq, tcph_dest, tcph_seq, tcph_source, tcph_urg_ptr, tcph_window } from '../../wire/tcp.ts';
import { UDP_HEADER_LEN, udph_dest, udph_len, udph_source } from '../../wire/udp.ts';

/** include/uapi/linux/netfilter/nf_log.h */
export const NF_LOG_TCPSEQ = 0x01;
export const NF_LOG_TCPOPT = 0x02;
export const NF_LOG_IPOPT = 0x04;
export const NF_LOG_UID = 0x08;
export const NF_LOG_MACDECODE = 0x20;

/** required_len[] of dump_ipv4_packet: ICMP types whose body must be there. */
const ICMP_REQUIRED: Readonly<Record<number, number>> = { 0: 4, 3: 28, 4: 28, 5: 28, 8: 4, 11: 28, 12: 28, 13: 20, 14: 20, 17: 12, 18: 12 };

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
    const m = skb.macHeader;
    return `MACSRC=${formatMac(b.subarray(m + ETH_SOURCE, m + ETH_SOURCE + ETH_ALEN))} MACDST=${formatMac(b.subarray(m + ETH_DEST, m + ETH_DEST + ETH_ALEN))} MACPROTO=${eth_proto(b, m).toString(16).padStart(4, '0')} `;
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
  if (o + IPV4_HEADER_LEN > end) return 'TRUNCATED';
  const ihl = iph_ihl(b, o) * 4;
  const tos = iph_tos(b, o);
  const fragOff = iph_frag_off(b, o);
  let s = `SRC=${ipv4ToString(iph_saddr(b, o))} DST=${ipv4ToString(iph_daddr(b, o))} `;
  s += `LEN=${iph_tot_len(b, o)} TOS=0x${hex2(tos & 0x1e).toUpperCase()} PREC=0x${hex2(tos & 0xe0).toUpperCase()} TTL=${iph_ttl(b, o)} ID=${iph_id(b, o)} `;
  if (fragOff & IP_CE) s += 'CE ';
  if (fragOff & IP_DF) s += 'DF ';
  if (fragOff & IP_MF) s += 'MF ';
  if (fragOff & IP_OFFSET) s += `FRAG:${fragOff & IP_OFFSET} `;
  if (logflags & NF_LOG_IPOPT && ihl > IPV4_HEADER_LEN) {
    if (o + ihl > end) return `${s}TRUNCATED`;
    s += 'OPT (';
    for (let i = IPV4_HEADER_LEN; i < ihl; i++) s += hex2(b[o + i] as number).toUpperCase();
    s += ') ';
  }
  const proto = iph_protocol(b, o);
  const fragment = (fragOff & IP_OFFSET) !== 0;
  const l4 = o + ihl;
  const avail = skb.len - (l4 - skb.data);
  switch (proto) {
    case IPPROTO_TCP: {
      s += 'PROTO=TCP ';
      if (fragment) break;
      if (l4 + TCP_HEADER_LEN > end) return `${s}INCOMPLETE [${avail} bytes] `;
      s += `SPT=${tcph_source(b, l4)} DPT=${tcph_dest(b, l4)} `;
      if (logflags & NF_LOG_TCPSEQ) s += `SEQ=${tcph_seq(b, l4)} ACK=${tcph_ack_seq(b, l4)} `;
      s += `WINDOW=${tcph_window(b, l4)} `;
      // tcp_flag_word(): data offset, reserved bits and the flags
      const word = rd16(b, l4 + TCPH_DOFF);
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
      s += `URGP=${tcph_urg_ptr(b, l4)} `;
      const doff = (word >> 12) * 4;
      if (logflags & NF_LOG_TCPOPT && doff > TCP_HEADER_LEN) {
        if (l4 + doff > end) return `${s}OPT (TRUNCATED)`;
        s += 'OPT (';
        for (let i = TCP_HEADER_LEN; i < doff; i++) s += hex2(b[l4 + i] as number).toUpperCase();
        s += ') ';
      }
      break;
    }
    case IPPROTO_UDP:
    case 136: {
      s += proto === IPPROTO_UDP ? 'PROTO=UDP ' : 'PROTO=UDPLITE ';
      if (fragment) break;
      if (l4 + UDP_HEADER_LEN > end) return `${s}INCOMPLETE [${avail} bytes] `;
      s += `SPT=${udph_source(b, l4)} DPT=${udph_dest(b, l4)} LEN=${udph_len(b, l4)} `;
      break;
    }
    case IPPROTO_ICMP: {
      s += 'PROTO=ICMP ';
      if (fragment) break;
      if (l4 + ICMP_HEADER_LEN > end) {
        s += `INCOMPLETE [${avail} bytes] `;
        break;
      }
      const type = icmph_type(b, l4);
      const code = icmph_code(b, l4);
      s += `TYPE=${type} CODE=${code} `;
      const need = ICMP_REQUIRED[type];
      if (type <= 18 && need && avail < need) {
        s += `INCOMPLETE [${avail} bytes] `;
        break;
      }
      switch (type) {
        case 0:
        case 8:
          s += `ID=${icmph_echo_id(b, l4)} SEQ=${icmph_echo_sequence(b, l4)} `;
          break;
        case 12:
          s += `PARAMETER=${b[l4 + ICMPH_POINTER]} `;
          break;
        case 5:
        case 3:
        case 4:
        case 11:
          if (type === 5) s += `GATEWAY=${ipv4ToString(icmph_gateway(b, l4))} `;
          if (iphoff === 0) s += `[${dump_ipv4_packet(skb, logflags, l4 + ICMP_HEADER_LEN - base)}] `;
          if (type === 3 && code === 4) s += `MTU=${icmph_frag_mtu(b, l4)} `;
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
export function nf_log_ip_packet(
  net: Net,
  skb: SkBuff,
  inDev: NetDevice | null,
  outDev: NetDevice | null,
  level: number,
  logflags: number,
  prefix: string,
): void {
  if (!nf_log_allowed(net)) return;
  let s = `${prefix}IN=${inDev ? inDev.name : ''} OUT=${outDev ? outDev.name : ''} `;
  // nf_log_dump_packet_common(): a bridged packet's ports, where they are not IN/OUT
  const nfb = skb.nfBridge;
  const physin = nfb?.physindev && nfb.physindev.net === net ? nfb.physindev : null;
  if (physin && physin !== inDev) s += `PHYSIN=${physin.name} `;
  if (nfb?.physoutdev && nfb.physoutdev !== outDev) s += `PHYSOUT=${nfb.physoutdev.name} `;
  if (inDev) s += dump_mac_header(skb, logflags);
  s += dump_ipv4_packet(skb, logflags, 0);
  net.kernel.kmsg.printk(level, s);
}
