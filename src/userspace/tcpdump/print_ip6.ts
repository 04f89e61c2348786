// tcpdump 4.99.3's IPv6 printer (print-ip6.c), with its extension headers
// (print-ip6opts.c hop-by-hop and destination options, print-frag6.c,
// print-rt6.c) and the protocol demultiplexer of print-ip-demux.c as IPv6
// uses it. Offsets index Nd.b, the captured bytes from the IPv6 header on.
import { icmp6Print } from './print_icmp6.ts';
import { type Nd, tok2str } from './print_nd.ts';
import { tcp6Print, udp6Print } from './print_tcp6.ts';

/** ipproto_values */
export const IPPROTO_VALUES: Readonly<Record<number, string>> = {
  0: 'Options',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  8: 'EGP',
  9: 'IGRP',
  17: 'UDP',
  33: 'DCCP',
  41: 'IPv6',
  43: 'Routing',
  44: 'Fragment',
  46: 'RSVP',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  55: 'Mobile IP',
  58: 'ICMPv6',
  62: 'Mobile IP (old)',
  88: 'EIGRP',
  89: 'OSPF',
  103: 'PIM',
  108: 'Compressed IP',
  112: 'VRRP',
  113: 'PGM',
  132: 'SCTP',
  135: 'Mobility',
  143: 'Ethernet',
};

/** netdb_protocol_names (ipproto.c): the names printed without -n for protocols tcpdump does not decode. */
const NETDB: readonly (string | null)[] = (() => {
  const named =
    'hopopt icmp igmp ggp ipencap st tcp cbt egp igp bbn-rcc-mon nvp-ii pup argus emcon xnet chaos udp mux dcn-meas hmp prm xns-idp trunk-1 trunk-2 leaf-1 leaf-2 rdp irtp iso-tp4 netblt mfe-nsp merit-inp dccp 3pc idpr xtp ddp idpr-cmtp tp++ il ipv6 sdrp ipv6-route ipv6-frag idrp rsvp gre dsr bna esp ah i-nlsp swipe narp mobile tlsp skip ipv6-icmp ipv6-nonxt ipv6-opts - cftp - sat-expak kryptolan rvd ippc - sat-mon visa ipcv cpnx rspf wsn pvp br-sat-mon sun-nd wb-mon wb-expak iso-ip vmtp secure-vmtp vines ttp nsfnet-igp dgp tcf eigrp ospf sprite-rpc larp mtp ax.25 ipip micp scc-sp etherip encap - gmtp ifmp pnni pim aris scps qnx a/n ipcomp snp compaq-peer ipx-in-ip vrrp pgm - l2tp ddx iatp stp srp uti smp sm ptp isis fire crtp crudp sscopmce iplt sps pipe sctp fc rsvp-e2e-ignore mobility-header udplite mpls-in-ip manet hip shim6 wesp rohc'.split(
      ' ',
    );
  const t: (string | null)[] = named.map((n) => (n === '-' ? null : n));
  while (t.length < 253) t.push(null);
  t.push('exptest-253', 'exptest-254', 'reserved');
  return t;
})();

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_DCCP = 33;
const IPPROTO_SCTP = 132;

/** ip6_print */
export function ip6Print(nd: Nd, bp: number, length: number): void {
  nd.proto = 'ip6';
  if (!nd.ttest(bp, 40)) {
    nd.trunc();
    return;
  }
  if (length < 40) {
    nd.print(`truncated-ip6 ${length}`);
    return;
  }
  if (!nd.o.eflag) nd.print('IP6 ');
  const ver = nd.u8(bp) >> 4;
  if (ver !== 6) {
    nd.print(`version error: ${ver} != 6`);
    return;
  }
  let payloadLen = nd.u16(bp + 4);
  let len: number;
  if (payloadLen !== 0) {
    len = payloadLen + 40;
    if (length < len) nd.print(`truncated-ip6 - ${len - length} bytes missing!`);
  } else len = length + 40;

  let ph = 255;
  let nh = nd.u8(bp + 6);
  if (nd.o.vflag) {
    const flow = nd.u32(bp);
    nd.print('(');
    if (flow & 0x0ff00000) nd.print(`class 0x${((flow & 0x0ff00000) >>> 20).toString(16).padStart(2, '0')}, `);
    if (flow & 0x000fffff) nd.print(`flowlabel 0x${(flow & 0x000fffff).toString(16).padStart(5, '0')}, `);
    nd.print(`hlim ${nd.u8(bp + 7)}, next-header ${tok2str(IPPROTO_VALUES, 'unknown', nh)} (${nh}) payload length: ${payloadLen}) `);
  }
  nd.push(bp, len);

  let cp = bp;
  let advance = 40;
  let totalAdvance = 0;
  let foundExt = false;
  let foundJumbo = false;
  let foundHbh = false;
  let fragmented = false;
  while (cp < nd.end && advance > 0) {
    if (len < advance) {
      nd.trunc();
      return;
    }
    cp += advance;
    len -= advance;
    totalAdvance += advance;
    if (cp === bp + 40 && nh !== IPPROTO_TCP && nh !== IPPROTO_UDP && nh !== IPPROTO_DCCP && nh !== IPPROTO_SCTP) {
      nd.print(`${nd.ip6addr(bp + 8)} > ${nd.ip6addr(bp + 24)}: `);
    }
    switch (nh) {
      case 0: {
        if (foundHbh) {
          nd.print('[The Hop-by-Hop Options header was already found]');
          nd.invalid();
          return;
        }
        if (ph !== 255) {
          nd.print("[The Hop-by-Hop Options header don't follow the IPv6 header]");
          nd.invalid();
          return;
        }
        const jumbo = { found: false, len: payloadLen };
        advance = hbhoptProcess(nd, cp, jumbo);
        payloadLen = jumbo.len;
        if (jumbo.found) foundJumbo = true;
        if (payloadLen === 0 && !foundJumbo) {
          nd.print('[No valid Jumbo Payload Hop-by-Hop option found]');
          nd.invalid();
          return;
        }
        if (advance < 0) {
          nd.pop();
          return;
        }
        foundExt = true;
        foundHbh = true;
        nh = nd.u8(cp);
        break;
      }
      case 60:
        advance = dstoptProcess(nd, cp);
        if (advance < 0) {
          nd.pop();
          return;
        }
        foundExt = true;
        nh = nd.u8(cp);
        break;
      case 44:
        advance = frag6Print(nd, cp, bp);
        if (advance < 0 || nd.end <= cp + advance) {
          nd.pop();
          return;
        }
        foundExt = true;
        nh = nd.u8(cp);
        fragmented = true;
        break;
      case 62:
      case 135:
        mobilityPrint(nd, cp);
        nd.pop();
        return;
      case 43:
        nd.u8(cp);
        advance = rt6Print(nd, cp);
        if (advance < 0) {
          nd.pop();
          return;
        }
        foundExt = true;
        nh = nd.u8(cp);
        break;
      default:
        if (foundJumbo) {
          len = payloadLen + 40;
          if (len < totalAdvance) {
            nd.trunc();
            return;
          }
          if (length < len) nd.print(`truncated-ip6 - ${len - length} bytes missing!`);
          nd.change(bp, len);
          len -= totalAdvance;
        } else if (payloadLen === 0) {
          if (foundExt) {
            nd.trunc();
            return;
          }
          len = 40;
          nd.change(bp, len);
          len -= totalAdvance;
        }
        ipDemux6(nd, cp, len, fragmented, nh, bp);
        nd.pop();
        return;
    }
    ph = nh;
    nd.proto = 'ip6';
  }
  nd.pop();
}

/** ip_demux_print for IPv6 (ver 6). */
function ipDemux6(nd: Nd, bp: number, length: number, fragmented: boolean, nh: number, iph: number): void {
  for (;;) {
    switch (nh) {
      case 51: {
        if (!nd.ttest(bp, 1)) {
          nd.proto = 'ah';
          nd.trunc();
          return;
        }
        nh = nd.u8(bp);
        const advance = ahPrint(nd, bp);
        if (advance <= 0) return;
        bp += advance;
        length -= advance;
        continue;
      }
      case 50:
        espPrint(nd, bp, length);
        return;
      case IPPROTO_TCP:
        tcp6Print(nd, bp, length, iph, fragmented);
        return;
      case IPPROTO_UDP:
        udp6Print(nd, bp, length, iph, fragmented);
        return;
      case 1:
      case 2:
        nd.print(`[${tok2str(IPPROTO_VALUES, 'unknown', nh)} requires IPv4]`);
        nd.invalid();
        return;
      case 58:
        icmp6Print(nd, bp, length, iph, fragmented);
        return;
      case 77:
        nd.print(` nd ${length}`);
        return;
      case 4: {
        const avail = nd.b.subarray(bp, Math.max(bp, nd.end));
        nd.print(nd.ip4(avail, length));
        return;
      }
      case 41:
        ip6Print(nd, bp, length);
        return;
      case 59:
        nd.print('no next header');
        return;
      default: {
        const name = nd.o.nflag ? null : NETDB[nh];
        nd.print(name ? ` ${name}` : ` ip-proto-${nh}`);
        nd.print(` ${length}`);
        return;
      }
    }
  }
}

/** ah_print */
function ahPrint(nd: Nd, bp: number): number {
  nd.proto = 'ah';
  nd.print('AH');
  const ahLen = nd.u8(bp + 1);
  const hdrLen = (ahLen + 2) * 4;
  nd.print('(');
  if (nd.o.vflag) nd.print(`length=${ahLen}(${hdrLen}-bytes),`);
  const reserved = nd.u16(bp + 2);
  if (reserved) nd.print(`reserved=0x${reserved.toString(16)}[MustBeZero],`);
  nd.print(
    `spi=0x${nd
      .u32(bp + 4)
      .toString(16)
      .padStart(8, '0')},`,
  );
  nd.print(`seq=0x${nd.u32(bp + 8).toString(16)},`);
  nd.print('icv=0x');
  for (let p = bp + 12; p < bp + hdrLen; p++) nd.print(nd.u8(p).toString(16).padStart(2, '0'));
  nd.print('): ');
  return hdrLen;
}

/** esp_print without decryption */
function espPrint(nd: Nd, bp: number, length: number): void {
  nd.proto = 'esp';
  if (bp + 8 >= nd.end) {
    nd.trunc();
    return;
  }
  nd.print(`ESP(spi=0x${nd.u32(bp).toString(16).padStart(8, '0')}`);
  nd.print(`,seq=0x${nd.u32(bp + 4).toString(16)})`);
  nd.print(`, length ${length}`);
}

/** ip6_opt_process */
function ip6OptProcess(nd: Nd, bp: number, len: number, jumbo: { found: boolean; len: number } | null): number {
  if (len === 0) return 0;
  let optlen = 0;
  let foundJumbo = false;
  for (let i = 0; i < len; i += optlen) {
    const t = nd.u8(bp + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = nd.u8(bp + i + 1) + 2;
    else return -1;
    if (i + optlen > len) return -1;
    switch (t) {
      case 0:
        if (nd.o.vflag) nd.print('(pad1)');
        break;
      case 1:
        if (len - i < 2) {
          nd.print('(padn: trunc)');
          return -1;
        }
        if (nd.o.vflag) nd.print('(padn)');
        break;
      case 5:
        if (len - i < 4) {
          nd.print('(rtalert: trunc)');
          return -1;
        }
        if (nd.u8(bp + i + 1) !== 2) {
          nd.print(`(rtalert: invalid len ${nd.u8(bp + i + 1)})`);
          return -1;
        }
        if (nd.o.vflag)
          nd.print(
            `(rtalert: 0x${nd
              .u16(bp + i + 2)
              .toString(16)
              .padStart(4, '0')}) `,
          );
        break;
      case 0xc2: {
        if (len - i < 6) {
          nd.print('(jumbo: trunc)');
          return -1;
        }
        if (nd.u8(bp + i + 1) !== 4) {
          nd.print(`(jumbo: invalid len ${nd.u8(bp + i + 1)})`);
          return -1;
        }
        const jl = nd.u32(bp + i + 2);
        if (foundJumbo) {
          if (nd.o.vflag) nd.print(`(jumbo: ${jl} - already seen) `);
        } else {
          foundJumbo = true;
          if (jumbo === null) {
            if (nd.o.vflag) nd.print(`(jumbo: ${jl} - not a hop-by-hop option) `);
          } else if (jumbo.len !== 0) {
            if (nd.o.vflag) nd.print(`(jumbo: ${jl} - payload len != 0) `);
          } else if (jl < 65536) {
            if (nd.o.vflag) nd.print(`(jumbo: ${jl} - < 65536) `);
          } else {
            jumbo.found = true;
            jumbo.len = jl;
            if (nd.o.vflag) nd.print(`(jumbo: ${jl}) `);
          }
        }
        break;
      }
      case 0xc9:
        if (len - i < 18) {
          nd.print('(homeaddr: trunc)');
          return -1;
        }
        if (nd.u8(bp + i + 1) < 16) {
          nd.print(`(homeaddr: invalid len ${nd.u8(bp + i + 1)})`);
          return -1;
        }
        if (nd.o.vflag) {
          nd.print(`(homeaddr: ${nd.ip6addr(bp + i + 2)}`);
          if (nd.u8(bp + i + 1) > 16 && ip6SoptPrint(nd, bp + i + 18, optlen - 18) === -1) return -1;
          nd.print(')');
        }
        break;
      default:
        if (len - i < 2) {
          nd.print(`(type ${t}: trunc)`);
          return -1;
        }
        if (nd.o.vflag) nd.print(`(opt_type 0x${t.toString(16).padStart(2, '0')}: len=${nd.u8(bp + i + 1)})`);
    }
  }
  if (nd.o.vflag) nd.print(' ');
  return 0;
}

/** ip6_sopt_print */
function ip6SoptPrint(nd: Nd, bp: number, len: number): number {
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const t = nd.u8(bp + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = nd.u8(bp + i + 1) + 2;
    else return -1;
    if (i + optlen > len) return -1;
    if (t === 0) nd.print(', pad1');
    else if (t === 1) {
      if (len - i < 2) {
        nd.print(', padn: trunc');
        return -1;
      }
      nd.print(', padn');
    } else {
      if (len - i < 2) {
        nd.print(`, sopt_type ${t}: trunc)`);
        return -1;
      }
      nd.print(`, sopt_type 0x${t.toString(16).padStart(2, '0')}: len=${nd.u8(bp + i + 1)}`);
    }
  }
  return 0;
}

/** hbhopt_process */
function hbhoptProcess(nd: Nd, bp: number, jumbo: { found: boolean; len: number }): number {
  nd.proto = 'hbhopt';
  const hbhlen = (nd.u8(bp + 1) + 1) << 3;
  if (!nd.ttest(bp, hbhlen)) {
    nd.trunc();
    return -1;
  }
  nd.print('HBH ');
  if (ip6OptProcess(nd, bp + 2, hbhlen - 2, jumbo) === -1) {
    nd.trunc();
    return -1;
  }
  return hbhlen;
}

/** dstopt_process */
function dstoptProcess(nd: Nd, bp: number): number {
  nd.proto = 'dstopt';
  const dstoptlen = (nd.u8(bp + 1) + 1) << 3;
  if (!nd.ttest(bp, dstoptlen)) {
    nd.trunc();
    return -1;
  }
  nd.print('DSTOPT ');
  if (nd.o.vflag && ip6OptProcess(nd, bp + 2, dstoptlen - 2, null) === -1) {
    nd.trunc();
    return -1;
  }
  return dstoptlen;
}

/** frag6_print */
function frag6Print(nd: Nd, bp: number, ip6: number): number {
  nd.proto = 'frag6';
  const rest = 40 + nd.u16(ip6 + 4) - (bp - ip6) - 8;
  if (nd.o.vflag) {
    nd.print(
      `frag (0x${nd
        .u32(bp + 4)
        .toString(16)
        .padStart(8, '0')}:${nd.u16(bp + 2) & 0xfff8}|${rest})`,
    );
  } else nd.print(`frag (${nd.u16(bp + 2) & 0xfff8}|${rest})`);
  if ((nd.u16(bp + 2) & 0xfff8) !== 0) return -1;
  nd.print(' ');
  return 8;
}

/** rt6_print */
function rt6Print(nd: Nd, bp: number): number {
  nd.proto = 'rt6';
  nd.print('RT6');
  let len = nd.u8(bp + 1);
  nd.print(` (len=${len}`);
  const type = nd.u8(bp + 2);
  nd.print(`, type=${type}`);
  if (type === 0) nd.print(' [Deprecated]');
  nd.print(`, segleft=${nd.u8(bp + 3)}`);
  if (type === 0 || type === 2) {
    const rsv = nd.u32(bp + 4);
    if (rsv || nd.o.vflag) nd.print(`, rsv=0x${rsv.toString(16)}`);
  } else if (type === 4) {
    nd.print(`, last-entry=${nd.u8(bp + 4)}`);
    const flags = nd.u8(bp + 5);
    if (flags || nd.o.vflag) nd.print(`, flags=0x${flags.toString(16)}`);
    nd.print(`, tag=${nd.u16(bp + 6).toString(16)}`);
  } else {
    nd.print(' (unknown type)');
    nd.invalid();
    return -1;
  }
  // both layouts end in the same list of addresses
  if (len % 2 === 1) {
    nd.print(` (invalid length ${len})`);
    nd.invalid();
    return -1;
  }
  len >>= 1;
  let p = bp + 8;
  for (let i = 0; i < len; i++) {
    nd.print(`, [${i}]${nd.ip6addr(p)}`);
    p += 16;
  }
  nd.print(') ');
  return (nd.u8(bp + 1) + 1) << 3;
}

const IP6M_NAMES: Readonly<Record<number, string>> = { 0: 'BRR', 1: 'HoTI', 2: 'CoTI', 3: 'HoT', 4: 'CoT', 5: 'BU', 6: 'BA', 7: 'BE' };
const IP6M_HDRLEN = [8, 16, 16, 24, 24, 12, 12, 24];

/** mobility_print (print-mobility.c) */
function mobilityPrint(nd: Nd, bp: number): number {
  nd.proto = 'mobility';
  if (!nd.ttest(bp + 1, 1)) {
    nd.trunc();
    return -1;
  }
  const mhlen = (nd.u8(bp + 1) + 1) << 3;
  const type = nd.u8(bp + 2);
  if (type <= 7 && mhlen < (IP6M_HDRLEN[type] as number)) {
    nd.print(`(header length ${mhlen} is too small for type ${type})`);
    nd.trunc();
    return -1;
  }
  nd.print(`mobility: ${IP6M_NAMES[type] ?? `type-#${type}`}`);
  const cookie = (what: string, kind: string, at: number): void => {
    nd.print(
      ` ${what} ${kind}=${nd.u32(at).toString(16).padStart(8, '0')}:${nd
        .u32(at + 4)
        .toString(16)
        .padStart(8, '0')}`,
    );
  };
  let hlen = 8;
  switch (type) {
    case 0:
      break;
    case 1:
    case 2:
      if (nd.o.vflag) cookie(type === 1 ? 'Home' : 'Care-of', 'Init Cookie', bp + 8);
      hlen += 8;
      break;
    case 3:
    case 4:
      nd.print(` nonce id=0x${nd.u16(bp + 6).toString(16)}`);
      if (nd.o.vflag) cookie(type === 3 ? 'Home' : 'Care-of', 'Init Cookie', bp + 8);
      hlen += 8;
      if (nd.o.vflag) cookie(type === 3 ? 'Home' : 'Care-of', 'Keygen Token', bp + 16);
      hlen += 8;
      break;
    case 5: {
      nd.print(` seq#=${nd.u16(bp + 6)}`);
      if (!nd.ttest(bp + 8, 2)) {
        nd.trunc();
        return -1;
      }
      const bits = (nd.u8(bp + 8) & 0xf0) >> 4;
      if (bits) nd.print(` ${bits & 8 ? 'A' : ''}${bits & 4 ? 'H' : ''}${bits & 2 ? 'L' : ''}${bits & 1 ? 'K' : ''}`);
      hlen += 2;
      nd.print(` lifetime=${nd.u16(bp + hlen) << 2}`);
      hlen += 2;
      break;
    }
    case 6:
      nd.print(` status=${nd.u8(bp + 6)}`);
      if (nd.u8(bp + 7) & 0x80) nd.print(' K');
      nd.print(` seq#=${nd.u16(bp + 8)}`);
      nd.print(` lifetime=${nd.u16(bp + 10) << 2}`);
      hlen += 4;
      break;
    case 7:
      nd.print(` status=${nd.u8(bp + 6)}`);
      nd.print(` homeaddr ${nd.ip6addr(bp + 8)}`);
      hlen += 16;
      break;
    default:
      nd.print(` len=${nd.u8(bp + 1)}`);
      return mhlen;
  }
  if (nd.o.vflag && mobilityOptPrint(nd, bp + hlen, mhlen - hlen)) {
    nd.trunc();
    return -1;
  }
  return mhlen;
}

/** mobility_opt_print: true for its `trunc`. */
function mobilityOptPrint(nd: Nd, bp: number, len: number): boolean {
  let optlen = 0;
  for (let i = 0; i < len; i += optlen) {
    const t = nd.u8(bp + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = nd.u8(bp + i + 1) + 2;
    else return true;
    if (i + optlen > len) return true;
    if (!nd.ttest(bp + i + optlen, 1)) return true;
    switch (t) {
      case 0:
        nd.print('(pad1)');
        break;
      case 1:
        if (len - i < 2) {
          nd.print('(padn: trunc)');
          return true;
        }
        nd.print('(padn)');
        break;
      case 2:
        if (len - i < 4) {
          nd.print('(refresh: trunc)');
          return true;
        }
        nd.print(`(refresh: ${nd.u16(bp + i + 2) << 2})`);
        break;
      case 3:
        if (len - i < 18) {
          nd.print('(altcoa: trunc)');
          return true;
        }
        nd.print(`(alt-CoA: ${nd.ip6addr(bp + i + 2)})`);
        break;
      case 4:
        if (len - i < 6) {
          nd.print('(ni: trunc)');
          return true;
        }
        nd.print(
          `(ni: ho=0x${nd
            .u16(bp + i + 2)
            .toString(16)
            .padStart(4, '0')} co=0x${nd
            .u16(bp + i + 4)
            .toString(16)
            .padStart(4, '0')})`,
        );
        break;
      case 5:
        if (len - i < 12) {
          nd.print('(auth: trunc)');
          return true;
        }
        nd.print('(auth)');
        break;
      default:
        if (len - i < 2) {
          nd.print(`(sopt_type ${t}: trunc)`);
          return true;
        }
        nd.print(`(type-0x${t.toString(16).padStart(2, '0')}: len=${nd.u8(bp + i + 1)})`);
    }
  }
  return false;
}
