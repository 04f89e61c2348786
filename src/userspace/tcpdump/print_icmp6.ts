// ICMPv6 as tcpdump 4.99.3 prints it (print-icmp6.c): errors, echo,
// neighbour discovery with its options (from -v), MLDv1 and MLDv2 queries and
// reports, node information, router renumbering, RPL, and the checksum over
// the IPv6 pseudo-header from -v.
import { ipv6ToString as ip6str } from '../../wire/ipv6.ts';
import { TCP_SERVICES, UDP_SERVICES } from './services.ts';
import { fnPrintChar } from './print_tcp6.ts';
import { bittok2str, cksumShouldbe, hx2, hx4, type Nd, nextproto6Cksum, tok2str } from './print_nd.ts';

const ICMP6_TYPES: Readonly<Record<number, string>> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded in-transit',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'multicast listener query',
  131: 'multicast listener report',
  132: 'multicast listener done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  138: 'router renumbering',
  141: 'inverse neighbor solicitation',
  142: 'inverse neighbor advertisement',
  143: 'multicast listener report v2',
  144: 'ha discovery request',
  145: 'ha discovery reply',
  146: 'mobile router solicitation',
  147: 'mobile router advertisement',
  139: 'who-are-you request',
  140: 'who-are-you reply',
  201: 'mtrace message',
  200: 'mtrace response',
  155: 'RPL',
};

const UNREACH_CODES: Readonly<Record<number, string>> = {
  0: 'unreachable route',
  1: ' unreachable prohibited',
  2: 'beyond scope',
  3: 'unreachable address',
  4: 'unreachable port',
};

const PI_FLAGS: [number, string][] = [
  [0x80, 'onlink'],
  [0x40, 'auto'],
  [0x20, 'router'],
];
const RA_FLAGS: [number, string][] = [
  [0x80, 'managed'],
  [0x40, 'other stateful'],
  [0x20, 'home agent'],
  [0x02, 'ipv6 only'],
];
const NA_FLAGS: [number, string][] = [
  [0x80000000, 'router'],
  [0x40000000, 'solicited'],
  [0x20000000, 'override'],
];

const OPT_NAMES: Readonly<Record<number, string>> = {
  1: 'source link-address',
  2: 'destination link-address',
  3: 'prefix info',
  4: 'redirected header',
  5: 'mtu',
  25: 'rdnss',
  31: 'dnssl',
  7: 'advertisement interval',
  8: 'homeagent information',
  24: 'route info',
};

const MLDV2_REPORT: Readonly<Record<number, string>> = {
  1: 'is_in',
  2: 'is_ex',
  3: 'to_in',
  4: 'to_ex',
  5: 'allow',
  6: 'block',
};

const rtpref = (v: number): string => ['medium', 'high', 'rsv', 'low'][(v & 0x18) >> 3] as string;
const lifetime = (v: number): string => (v === 0xffffffff ? 'infinity' : `${v}s`);

class LocalTrunc extends Error {}

/** icmp6_print */
export function icmp6Print(nd: Nd, bp: number, length: number, ip6: number, fragmented: boolean): void {
  nd.proto = 'icmp6';
  const oip = bp + 8;
  if (length === 0) {
    nd.print('ICMP6, length 0');
    nd.invalid();
    return;
  }
  if (nd.o.vflag && !fragmented && nd.ttest(bp, length)) {
    const udpSum = nd.u16(bp + 2);
    const sum = nextproto6Cksum(nd, ip6, bp, length, length, 58);
    if (sum !== 0) nd.print(`[bad icmp6 cksum 0x${hx4(udpSum)} -> 0x${hx4(cksumShouldbe(udpSum, sum))}!] `);
    else nd.print('[icmp6 sum ok] ');
  }
  const type = nd.u8(bp);
  nd.print(`ICMP6, ${tok2str(ICMP6_TYPES, 'unknown icmp6 type (%u)', type)}`);
  if (nd.o.vflag && [133, 134, 136, 135, 137, 145, 147].includes(type)) nd.print(`, length ${length}`);
  const code = nd.u8(bp + 1);
  try {
    switch (type) {
      case 1:
        nd.print(`, ${tok2str(UNREACH_CODES, 'unknown unreach code (%u)', code)}`);
        switch (code) {
          case 0:
          case 1:
          case 3:
            nd.print(` ${nd.ip6addr(oip + 24)}`);
            break;
          case 2:
            nd.print(` ${nd.ip6addr(oip + 24)}, source address ${nd.ip6addr(oip + 8)}`);
            break;
          case 4: {
            const ul = getUpperlayer(nd, oip);
            if (ul === null) throw new LocalTrunc();
            const dport = nd.u16(ul.off + 2);
            if (ul.prot === 6) nd.print(`, ${nd.ip6addr(oip + 24)} tcp port ${svc(nd, dport, TCP_SERVICES)}`);
            else if (ul.prot === 17) nd.print(`, ${nd.ip6addr(oip + 24)} udp port ${svc(nd, dport, UDP_SERVICES)}`);
            else nd.print(`, ${nd.ip6addr(oip + 24)} protocol ${ul.prot} port ${dport} unreachable`);
            break;
          }
          default:
            if (nd.o.vflag <= 1) {
              nd.unknownData(bp, '\n\t', length);
              return;
            }
        }
        break;
      case 2:
        nd.print(`, mtu ${nd.u32(bp + 4)}`);
        break;
      case 3:
        if (code === 0) nd.print(` for ${nd.ip6addr(oip + 24)}`);
        else if (code === 1) nd.print(' (reassembly)');
        else nd.print(`, unknown code (${code})`);
        break;
      case 4: {
        if (!nd.ttest(oip + 24, 16)) throw new LocalTrunc();
        const what = ['erroneous', 'next header', 'option', 'incomplete header chain'][code];
        if (what) nd.print(`, ${what} - octet ${nd.u32(bp + 4)}`);
        else nd.print(`, code-#${code}`);
        break;
      }
      case 128:
      case 129:
        nd.print(`, id ${nd.u16(bp + 4)}, seq ${nd.u16(bp + 6)}`);
        break;
      case 130:
        if (length === 24) mld6Print(nd, bp);
        else if (length >= 28) {
          nd.print(' v2');
          mldv2QueryPrint(nd, bp, length);
        } else nd.print(` unknown-version (len ${length}) `);
        break;
      case 131:
      case 132:
        mld6Print(nd, bp);
        break;
      case 133:
        if (nd.o.vflag && optPrint(nd, bp + 8, length - 8) === -1) throw new LocalTrunc();
        break;
      case 134:
        if (nd.o.vflag) {
          const fl = nd.u8(bp + 5);
          nd.print(
            `\n\thop limit ${nd.u8(bp + 4)}, Flags [${bittok2str(RA_FLAGS, 'none', fl)}], pref ${rtpref(fl)}, router lifetime ${nd.u16(bp + 6)}s, reachable time ${nd.u32(bp + 8)}ms, retrans timer ${nd.u32(bp + 12)}ms`,
          );
          if (optPrint(nd, bp + 16, length - 16) === -1) throw new LocalTrunc();
        }
        break;
      case 135:
        nd.print(`, who has ${nd.ip6addr(bp + 8)}`);
        if (nd.o.vflag && optPrint(nd, bp + 24, length - 24) === -1) throw new LocalTrunc();
        break;
      case 136:
        nd.print(`, tgt is ${nd.ip6addr(bp + 8)}`);
        if (nd.o.vflag) {
          nd.print(`, Flags [${bittok2str(NA_FLAGS, 'none', nd.u32(bp + 4))}]`);
          if (optPrint(nd, bp + 24, length - 24) === -1) throw new LocalTrunc();
        }
        break;
      case 137:
        nd.print(`, ${nd.ip6addr(bp + 24)}`);
        nd.print(` to ${nd.ip6addr(bp + 8)}`);
        if (nd.o.vflag && optPrint(nd, bp + 40, length - 40) === -1) throw new LocalTrunc();
        break;
      case 141:
      case 142:
        break;
      case 143:
        mldv2ReportPrint(nd, bp, length);
        break;
      case 146:
      case 144:
        nd.print(`, id 0x${hx4(nd.u16(bp + 4))}`);
        break;
      case 145:
        if (nd.o.vflag) {
          nd.print(`, id 0x${hx4(nd.u16(bp + 4))}`);
          for (let p = bp + 8; p < bp + length; p += 16) nd.print(`, ${nd.ip6addr(p)}`);
        }
        break;
      case 147:
        if (nd.o.vflag) {
          nd.print(`, id 0x${hx4(nd.u16(bp + 4))}`);
          const flags = nd.u16(bp + 6);
          if (flags & 0xc000) nd.print(' ');
          if (flags & 0x8000) nd.print('M');
          if (flags & 0x4000) nd.print('O');
          if (optPrint(nd, bp + 8, length - 8) === -1) throw new LocalTrunc();
        }
        break;
      case 138:
        rrenumPrint(nd, bp);
        break;
      case 139:
      case 140:
        nodeinfoPrint(nd, length, bp);
        break;
      case 155:
        rplPrint(nd, code, bp + 4, length - 4);
        break;
      default:
        nd.print(`, length ${length}`);
        if (nd.o.vflag <= 1) nd.unknownData(bp, '\n\t', length);
        return;
    }
  } catch (e) {
    if (!(e instanceof LocalTrunc)) throw e;
    nd.trunc();
    return;
  }
  if (!nd.o.vflag) nd.print(`, length ${length}`);
}

const svc = (nd: Nd, p: number, names: Readonly<Record<number, string>>): string => (nd.o.nflag ? String(p) : (names[p] ?? String(p)));

/** get_upperlayer: the transport header inside a quoted packet. */
function getUpperlayer(nd: Nd, bp: number): { off: number; prot: number } | null {
  if (!nd.ttest(bp + 6, 1)) return null;
  let nh = nd.u8(bp + 6);
  let hlen = 40;
  while (bp < nd.end) {
    bp += hlen;
    switch (nh) {
      case 17:
      case 6:
        return nd.ttest(bp + 2, 2) ? { off: bp, prot: nh } : null;
      case 0:
      case 60:
      case 43:
        if (!nd.ttest(bp + 1, 1)) return null;
        nh = nd.u8(bp);
        hlen = (nd.u8(bp + 1) + 1) << 3;
        break;
      case 44:
        if (!nd.ttest(bp + 2, 2)) return null;
        if ((nd.u16(bp + 2) & 0xfff8) !== 0) return null;
        nh = nd.u8(bp);
        hlen = 8;
        break;
      case 51:
        if (!nd.ttest(bp + 1, 1)) return null;
        nh = nd.u8(bp);
        hlen = (nd.u8(bp + 1) + 2) << 2;
        break;
      default:
        return null;
    }
  }
  return null;
}

/** icmp6_opt_print: -1 for its `trunc`. */
function optPrint(nd: Nd, bp: number, resid: number): number {
  let cp = bp;
  while (cp < nd.end) {
    if (!nd.ttest(cp + 1, 1)) return -1;
    if (resid <= 0) return 0;
    const optType = nd.u8(cp);
    const optLen = nd.u8(cp + 1);
    if (optLen === 0) return -1;
    if (cp + (optLen << 3) > nd.end) return -1;
    nd.print(`\n\t  ${tok2str(OPT_NAMES, 'unknown', optType)} option (${optType}), length ${optLen << 3} (${optLen}): `);
    switch (optType) {
      case 1:
      case 2: {
        const l = (optLen << 3) - 2;
        const parts: string[] = [];
        for (let q = cp + 2; q < cp + 2 + l; q++) parts.push(hx2(nd.u8(q)));
        nd.print(parts.join(':'));
        break;
      }
      case 3:
        nd.print(
          `${nd.ip6addr(cp + 16)}/${nd.u8(cp + 2)}${optLen !== 4 ? 'badlen' : ''}, Flags [${bittok2str(PI_FLAGS, 'none', nd.u8(cp + 3))}], valid time ${lifetime(nd.u32(cp + 4))}`,
        );
        nd.print(`, pref. time ${lifetime(nd.u32(cp + 8))}`);
        break;
      case 4:
        nd.unknownData(bp, '\n\t    ', optLen << 3);
        break;
      case 5:
        nd.print(` ${nd.u32(cp + 4)}${optLen !== 1 ? 'bad option length' : ''}`);
        break;
      case 25: {
        const l = (optLen - 1) >> 1;
        nd.print(` lifetime ${nd.u32(cp + 4)}s,`);
        for (let i = 0; i < l; i++) nd.print(` addr: ${nd.ip6addr(cp + 8 + i * 16)}`);
        break;
      }
      case 31: {
        nd.print(` lifetime ${nd.u32(cp + 4)}s, domain(s):`);
        let domp = cp + 8;
        while (domp < cp + (optLen << 3) && nd.u8(domp) !== 0) {
          nd.print(' ');
          const r = fqdnPrint(nd, domp);
          if (r === null) return -1;
          domp = r;
        }
        break;
      }
      case 7:
        nd.print(` ${nd.u32(cp + 4)}ms`);
        break;
      case 8:
        nd.print(` preference ${nd.u16(cp + 4)}, lifetime ${nd.u16(cp + 6)}`);
        break;
      case 24: {
        if (!nd.ttest(cp + 4, 4)) return -1;
        const in6 = new Uint8Array(16);
        if (optLen === 2) in6.set(nd.bytes(cp + 8, 8));
        else if (optLen === 3) in6.set(nd.bytes(cp + 8, 16));
        else if (optLen !== 1) return -1;
        nd.print(` ${ip6str(in6)}/${nd.u8(cp + 2)}`);
        nd.print(`, pref=${rtpref(nd.u8(cp + 3))}`);
        nd.print(`, lifetime=${lifetime(nd.u32(cp + 4))}`);
        break;
      }
      default:
        if (nd.o.vflag <= 1) {
          nd.unknownData(cp + 2, '\n\t  ', (optLen << 3) - 2);
          return 0;
        }
    }
    if (nd.o.vflag > 1) nd.unknownData(cp + 2, '\n\t    ', (optLen << 3) - 2);
    cp += optLen << 3;
    resid -= optLen << 3;
  }
  return 0;
}

/**
 * fqdn_print (print-domain.c) for the DNSSL option, plain labels: each
 * printed with fn_print_char and followed by a dot; null where tcpdump's
 * returns NULL (compression and extended label types included).
 */
function fqdnPrint(nd: Nd, cp: number): number | null {
  let i = nd.u8(cp);
  let p = cp + 1;
  if (i === 0) {
    nd.print('.');
    return p;
  }
  let chars = 0;
  while (i !== 0 && p < nd.end) {
    if ((i & 0xc0) !== 0) return null;
    for (let k = 0; k < i; k++) {
      if (p + k >= nd.end) return null;
      if (chars + k < 255) nd.print(fnPrintChar(nd.u8(p + k)));
    }
    chars += i;
    p += i;
    if (chars <= 255) nd.print('.');
    chars++;
    if (!nd.ttest(p, 1)) return null;
    i = nd.u8(p);
    p++;
  }
  if (chars > 255) nd.print('<DOMAIN NAME TOO LONG>');
  return p;
}

/** mld6_print */
function mld6Print(nd: Nd, bp: number): void {
  if (bp + 24 > nd.end) return;
  nd.print(`max resp delay: ${nd.u16(bp + 4)} `);
  nd.print(`addr: ${nd.ip6addr(bp + 8)}`);
}

/** mldv2_report_print */
function mldv2ReportPrint(nd: Nd, bp: number, len: number): void {
  if (len < 8) {
    nd.print(` [invalid len ${len}]`);
    return;
  }
  const ngroups = nd.u16(bp + 6);
  nd.print(`, ${ngroups} group record(s)`);
  if (nd.o.vflag > 0) {
    let group = 8;
    for (let i = 0; i < ngroups; i++) {
      if (len < group + 20) {
        nd.print(' [invalid number of groups]');
        return;
      }
      nd.print(` [gaddr ${nd.ip6addr(bp + group + 4)}`);
      const t = nd.u8(bp + group);
      nd.print(` ${MLDV2_REPORT[t] ?? ` [v2-report-#${t}]`}`);
      const nsrcs = nd.u16(bp + group + 2);
      if (len < group + 20 + nsrcs * 16) {
        nd.print(` [invalid number of sources ${nsrcs}]`);
        return;
      }
      if (nd.o.vflag === 1) nd.print(`, ${nsrcs} source(s)`);
      else {
        nd.print(' {');
        for (let j = 0; j < nsrcs; j++) nd.print(` ${nd.ip6addr(bp + group + 20 + j * 16)}`);
        nd.print(' }');
      }
      group += 20 + nsrcs * 16;
      nd.print(']');
    }
  }
}

/** mldv2_query_print */
function mldv2QueryPrint(nd: Nd, bp: number, len: number): void {
  if (len < 28) {
    nd.print(` [invalid len ${len}]`);
    return;
  }
  const mrc = nd.u16(bp + 4);
  const mrt = mrc < 32768 ? mrc : ((mrc & 0x0fff) | 0x1000) * 2 ** (((mrc & 0x7000) >> 12) + 3);
  if (nd.o.vflag) nd.print(` [max resp delay=${mrt >>> 0}]`);
  nd.print(` [gaddr ${nd.ip6addr(bp + 8)}`);
  if (nd.o.vflag) {
    const b24 = nd.u8(bp + 24);
    if (b24 & 0x08) nd.print(' sflag');
    if (b24 & 0x07) nd.print(` robustness=${b24 & 0x07}`);
    const b25 = nd.u8(bp + 25);
    const qqi = b25 < 128 ? b25 : ((b25 & 0x0f) | 0x10) << (((b25 & 0x70) >> 4) + 3);
    nd.print(` qqi=${qqi}`);
  }
  const nsrcs = nd.u16(bp + 26);
  if (nsrcs > 0) {
    if (len < 28 + nsrcs * 16) nd.print(' [invalid number of sources]');
    else if (nd.o.vflag > 1) {
      nd.print(' {');
      for (let i = 0; i < nsrcs; i++) nd.print(` ${nd.ip6addr(bp + 28 + i * 16)}`);
      nd.print(' }');
    } else nd.print(`, ${nsrcs} source(s)`);
  }
  nd.print(']');
}

/** dnsname_print */
function dnsnamePrint(nd: Nd, cp: number, ep: number): void {
  nd.print(', "');
  while (cp < ep) {
    let i = nd.u8(cp);
    cp++;
    if (i) {
      if (i > ep - cp) {
        nd.print('???');
        break;
      }
      while (i-- && cp < ep) {
        nd.print(fnPrintChar(nd.u8(cp)));
        cp++;
      }
      if (cp + 1 < ep && nd.u8(cp)) nd.print('.');
    } else {
      if (cp === ep) nd.print('.');
      else if (cp + 1 === ep && nd.u8(cp) === 0) {
        // truncated
      } else nd.print('???');
      break;
    }
  }
  nd.print('"');
}

/** The pascal-string name of icmp-name-lookup-03, or a DNS name. */
function niName(nd: Nd, cp: number, ep: number): void {
  if (nd.u8(cp) === ep - cp - 1) {
    if (nd.o.vflag) nd.print(', 03 draft');
    cp++;
    nd.print(', "');
    while (cp < ep) {
      nd.print(fnPrintChar(nd.u8(cp)));
      cp++;
    }
    nd.print('"');
  } else dnsnamePrint(nd, cp, ep);
}

const niAddrFlags = (i: number, t: boolean): string =>
  `${i & 0x40 ? 'a' : ''}${i & 0x20 ? 'G' : ''}${i & 0x10 ? 'S' : ''}${i & 0x08 ? 'L' : ''}${i & 0x04 ? 'C' : ''}${i & 0x02 ? 'A' : ''}${t && i & 0x01 ? 'T' : ''}`;

/** icmp6_nodeinfo_print */
function nodeinfoPrint(nd: Nd, icmp6len: number, bp: number): void {
  const ep = nd.end;
  if (ep < bp) return;
  const siz = ep - bp;
  if (nd.u8(bp) === 139) {
    if (siz === 8 + 4) {
      nd.print(' who-are-you request');
      return;
    }
    nd.print(' node information query');
    if (!nd.ttest(bp, 16)) {
      nd.trunc();
      return;
    }
    nd.print(' (');
    const qtype = nd.u16(bp + 4);
    switch (qtype) {
      case 0:
        nd.print('noop');
        break;
      case 1: {
        nd.print('supported qtypes');
        const i = nd.u16(bp + 6);
        if (i) nd.print(` [${i & 1 ? 'C' : ''}]`);
        break;
      }
      case 2:
        nd.print('DNS name');
        break;
      case 3: {
        nd.print('node addresses');
        const i = nd.u16(bp + 6);
        if (i) nd.print(` [${niAddrFlags(i, false)}]`);
        break;
      }
      default:
        nd.print('unknown');
    }
    if (qtype === 0 || qtype === 1) {
      if (siz !== 16 && nd.o.vflag) nd.print(', invalid len');
      nd.print(')');
      return;
    }
    if (siz === 16) {
      nd.print(', 03 draft)');
      return;
    }
    const cp = bp + 16;
    switch (nd.u8(bp + 1)) {
      case 0:
        if (!nd.ttest(bp, 32)) break;
        if (siz !== 32) {
          if (nd.o.vflag) nd.print(', invalid subject len');
          break;
        }
        nd.print(`, subject=${nd.ip6addr(cp)}`);
        break;
      case 1:
        nd.print(', subject=DNS name');
        niName(nd, cp, ep);
        break;
      case 2:
        if (!nd.ttest(bp, 20)) break;
        if (siz !== 20) {
          if (nd.o.vflag) nd.print(', invalid subject len');
          break;
        }
        nd.print(`, subject=${Array.from(nd.bytes(cp, 4)).join('.')}`);
        break;
      default:
        nd.print(', unknown subject');
    }
    nd.print(')');
    return;
  }
  if (nd.u8(bp) !== 140) return;
  if (icmp6len > siz) {
    nd.trunc();
    return;
  }
  let needcomma = false;
  if (!nd.ttest(bp, 16)) {
    nd.trunc();
    return;
  }
  nd.print(' node information reply (');
  const code = nd.u8(bp + 1);
  switch (code) {
    case 0:
      if (nd.o.vflag) {
        nd.print('success');
        needcomma = true;
      }
      break;
    case 1:
    case 2:
      nd.print(code === 1 ? 'refused' : 'unknown');
      needcomma = true;
      if (siz !== 16 && nd.o.vflag) nd.print(', invalid length');
      break;
  }
  if (code !== 0) {
    nd.print(')');
    return;
  }
  const comma = (): void => {
    if (needcomma) nd.print(', ');
  };
  switch (nd.u16(bp + 4)) {
    case 0:
      comma();
      nd.print('noop');
      if (siz !== 16 && nd.o.vflag) nd.print(', invalid length');
      break;
    case 1: {
      comma();
      nd.print('supported qtypes');
      const i = nd.u16(bp + 6);
      if (i) nd.print(` [${i & 1 ? 'C' : ''}]`);
      break;
    }
    case 2:
      comma();
      nd.print('DNS name');
      niName(nd, bp + 16 + 4, ep);
      if ((nd.u16(bp + 6) & 1) !== 0) nd.print(` [TTL=${nd.u32(bp + 16)}]`);
      break;
    case 3: {
      comma();
      nd.print('node addresses');
      let i = 16;
      while (i < siz) {
        if (i + 4 + 16 > siz) break;
        nd.print(` ${nd.ip6addr(bp + i + 4)}(${nd.u32(bp + i)})`);
        i += 20;
      }
      const f = nd.u16(bp + 6);
      if (f) nd.print(` [${niAddrFlags(f, true)}]`);
      break;
    }
    default:
      comma();
      nd.print('unknown');
  }
  nd.print(')');
}

/** icmp6_rrenum_print */
function rrenumPrint(nd: Nd, bp: number): void {
  if (nd.end < bp) return;
  if (!nd.ttest(bp + 12, 4)) {
    nd.trunc();
    return;
  }
  const code = nd.u8(bp + 1);
  nd.print(code === 0 ? ', command' : code === 1 ? ', result' : code === 255 ? ', sequence number reset' : `, code-#${code}`);
  nd.print(`, seq=${nd.u32(bp + 4)}`);
  if (nd.o.vflag) {
    const f = nd.u8(bp + 9);
    nd.print('[');
    if (f) nd.print(`${f & 0x80 ? 'T' : ''}${f & 0x40 ? 'R' : ''}${f & 0x20 ? 'A' : ''}${f & 0x10 ? 'S' : ''}${f & 0x08 ? 'P' : ''},`);
    nd.print(`seg=${nd.u8(bp + 8)},`);
    nd.print(`maxdelay=${nd.u16(bp + 10)}`);
    const rsvd = nd.u32(bp + 12);
    if (rsvd) nd.print(`rsvd=0x${rsvd.toString(16)}`);
    nd.print(']');
  }
  if (code !== 0) return;
  const match = bp + 16;
  let cp = match + 24;
  if (!nd.ttest(match + 8, 16)) {
    nd.trunc();
    return;
  }
  nd.print(nd.o.vflag > 1 ? '\n\t' : ' ');
  nd.print('match(');
  const mcode = nd.u8(match);
  nd.print(mcode === 1 ? 'add' : mcode === 2 ? 'change' : mcode === 3 ? 'setglobal' : `#${mcode}`);
  if (nd.o.vflag) {
    nd.print(`,ord=${nd.u8(match + 2)}`);
    nd.print(`,min=${nd.u8(match + 4)}`);
    nd.print(`,max=${nd.u8(match + 5)}`);
  }
  nd.print(`,${nd.ip6addr(match + 8)}/${nd.u8(match + 3)}`);
  nd.print(')');
  let n = nd.u8(match + 1) - 3;
  if (n % 4) {
    nd.trunc();
    return;
  }
  n /= 4;
  while (n-- > 0) {
    const use = cp;
    cp += 32;
    if (!nd.ttest(use + 16, 16)) {
      nd.trunc();
      return;
    }
    nd.print(nd.o.vflag > 1 ? '\n\t' : ' ');
    nd.print('use(');
    const uf = nd.u8(use + 12);
    if (uf) nd.print(`${uf & 0x80 ? 'V' : ''}${uf & 0x40 ? 'P' : ''},`);
    if (nd.o.vflag) {
      nd.print(`mask=0x${nd.u8(use + 2).toString(16)},`);
      nd.print(`raflags=0x${nd.u8(use + 3).toString(16)},`);
      const vl = nd.u32(use + 4);
      nd.print(vl === 0xffffffff ? 'vltime=infty,' : `vltime=${vl},`);
      const pl = nd.u32(use + 8);
      nd.print(pl === 0xffffffff ? 'pltime=infty,' : `pltime=${pl},`);
    }
    nd.print(`${nd.ip6addr(use + 16)}/${nd.u8(use)}/${nd.u8(use + 1)}`);
    nd.print(')');
  }
}

const RPL_MOP: Readonly<Record<number, string>> = { 0: 'nonstoring', 1: 'storing', 2: 'nonstoring-multicast', 3: 'storing-multicast' };
const RPL_SUBOPT: Readonly<Record<number, string>> = {
  0: 'pad1',
  1: 'padN',
  2: 'metrics',
  3: 'routinginfo',
  4: 'config',
  5: 'rpltarget',
  6: 'transitinfo',
  8: 'destprefix',
  9: 'rpltargetdesc',
};

/** rpl_printopts */
function rplOpts(nd: Nd, opts: number, length: number): void {
  while (length !== 0) {
    const t = nd.u8(opts);
    let optlen: number;
    if (t === 0) {
      optlen = 1;
      nd.print(' opt:pad1');
    } else {
      if (length < 2) {
        nd.trunc();
        return;
      }
      optlen = nd.u8(opts + 1) + 2;
      nd.print(` opt:${tok2str(RPL_SUBOPT, 'subopt:%u', t)} len:${optlen} `);
      if (!nd.ttest(opts, optlen) || length < optlen) {
        nd.trunc();
        return;
      }
      if (nd.o.vflag > 2) nd.hex(' ', opts + 2, optlen - 2);
    }
    opts += optlen;
    length -= optlen;
  }
}

/** rpl_print: DODAG information solicitation/object, DAO and DAO-ACK. */
function rplPrint(nd: Nd, code: number, bp: number, length: number): void {
  if (code & 0x80) {
    nd.print(', (SEC) [worktodo]');
    return;
  }
  nd.print(', (CLR)');
  switch (code & 0x7f) {
    case 0:
      nd.print('DODAG Information Solicitation');
      break;
    case 1:
      nd.print('DODAG Information Object');
      if (nd.o.vflag) {
        if (length < 24) {
          nd.print(` [length ${length} < 24]`);
          nd.invalid();
          break;
        }
        const mopprf = nd.u8(bp + 4);
        nd.print(
          ` [dagid:${nd.ip6addr(bp + 8)},seq:${nd.u8(bp + 5)},instance:${nd.u8(bp)},rank:${nd.u16(bp + 2)},${mopprf & 0x80 ? 'grounded,' : ''}mop:${tok2str(RPL_MOP, 'mop%u', (mopprf & 0x38) >> 3)},prf:${mopprf & 7}]`,
        );
        if (nd.o.vflag > 1) rplOpts(nd, bp + 24, length - 24);
      }
      break;
    case 2:
      nd.print('Destination Advertisement Object');
      if (nd.o.vflag) {
        if (!nd.ttest(bp, 20)) {
          nd.trunc();
          break;
        }
        if (length < 4) {
          nd.print(' [|length too short]');
          break;
        }
        let p = bp + 4;
        let len = length - 4;
        const flags = nd.u8(bp + 1);
        let dagid = '<elided>';
        if (flags & 0x40) {
          if (len < 16) {
            nd.print(' [|length too short]');
            break;
          }
          dagid = nd.ip6addr(bp + 4);
          p += 16;
          len -= 16;
        }
        nd.print(
          ` [dagid:${dagid},seq:${nd.u8(bp + 3)},instance:${nd.u8(bp)}${flags & 0x80 ? ',acK' : ''}${flags & 0x40 ? ',Dagid' : ''},${hx2(flags)}]`,
        );
        if (nd.o.vflag > 1) rplOpts(nd, p, len);
      }
      break;
    case 3:
      nd.print('Destination Advertisement Object Ack');
      if (nd.o.vflag) {
        if (!nd.ttest(bp, 4)) {
          nd.trunc();
          break;
        }
        if (length < 4) {
          nd.print(' [|dao-length too short]');
          break;
        }
        let p = bp + 4;
        let len = length - 4;
        let dagid = '<elided>';
        if (nd.u8(bp + 1) & 0x80) {
          if (!nd.ttest(bp + 4, 16)) {
            nd.trunc();
            break;
          }
          if (len < 16) {
            nd.print(' [|dao-length too short]');
            break;
          }
          dagid = nd.ip6addr(bp + 4);
          p += 16;
          len -= 16;
        }
        nd.print(` [dagid:${dagid},seq:${nd.u8(bp + 2)},instance:${nd.u8(bp)},status:${nd.u8(bp + 3)}]`);
        if (nd.o.vflag > 1) rplOpts(nd, p, len);
      }
      break;
    default:
      nd.print(`RPL message, unknown code ${code}`);
  }
}
