// UDP and TCP over IPv6 as tcpdump 4.99.3's udp_print and tcp_print print
// them (print-udp.c, print-tcp.c): addresses only when the transport header
// follows the IPv6 header directly, the checksum over the IPv6 pseudo-header
// from -v, TCP's relative sequence numbers in tcp_seq_hash6, and its options.
// Application decoders (DNS, DHCPv6, HTTP, ...) are not simulated.
import { TCP_SERVICES, UDP_SERVICES } from './services.ts';
import { cksumShouldbe, hx2, hx4, type Nd, nextproto6Cksum } from './print_nd.ts';

const port = (nd: Nd, p: number, names: Readonly<Record<number, string>>): string => (nd.o.nflag ? String(p) : (names[p] ?? String(p)));

/** udpipaddr_print for IPv6 */
function udpipaddr(nd: Nd, ip6: number, sport: number, dport: number): void {
  if (nd.u8(ip6 + 6) === 17) {
    if (sport === -1) nd.print(`${nd.ip6addr(ip6 + 8)} > ${nd.ip6addr(ip6 + 24)}: `);
    else nd.print(`${nd.ip6addr(ip6 + 8)}.${port(nd, sport, UDP_SERVICES)} > ${nd.ip6addr(ip6 + 24)}.${port(nd, dport, UDP_SERVICES)}: `);
  } else if (sport !== -1) nd.print(`${port(nd, sport, UDP_SERVICES)} > ${port(nd, dport, UDP_SERVICES)}: `);
}

/** udp_print, IPv6 */
export function udp6Print(nd: Nd, bp: number, length: number, ip6: number, fragmented: boolean): void {
  nd.proto = 'udp';
  if (!nd.ttest(bp + 2, 2)) {
    udpipaddr(nd, ip6, -1, -1);
    nd.trunc();
    return;
  }
  const sport = nd.u16(bp);
  const dport = nd.u16(bp + 2);
  if (length < 8) {
    udpipaddr(nd, ip6, sport, dport);
    nd.print(`truncated-udp ${length}`);
    return;
  }
  if (!nd.ttest(bp + 4, 2)) {
    udpipaddr(nd, ip6, sport, dport);
    nd.trunc();
    return;
  }
  let ulen = nd.u16(bp + 4);
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < 8) {
    udpipaddr(nd, ip6, sport, dport);
    nd.print(`truncated-udplength ${ulen}`);
    return;
  }
  ulen -= 8;
  length -= 8;
  if (ulen < length) length = ulen;
  const cp = bp + 8;
  if (cp > nd.end) {
    udpipaddr(nd, ip6, sport, dport);
    nd.trunc();
    return;
  }
  udpipaddr(nd, ip6, sport, dport);
  if (nd.o.vflag && !fragmented && nd.ttest(cp, length)) {
    const sum = nextproto6Cksum(nd, ip6, bp, length + 8, length + 8, 17);
    const udpSum = nd.u16(bp + 6);
    if (sum !== 0) nd.print(`[bad udp cksum 0x${hx4(udpSum)} -> 0x${hx4(cksumShouldbe(udpSum, sum))}!] `);
    else nd.print('[udp sum ok] ');
  }
  if (ulen > length && !fragmented) nd.print(`UDP, bad length ${ulen} > ${length}`);
  else nd.print(`UDP, length ${ulen}`);
}

const TCP_OPTS: Readonly<Record<number, string>> = {
  0: 'eol',
  1: 'nop',
  2: 'mss',
  3: 'wscale',
  4: 'sackOK',
  5: 'sack',
  6: 'echo',
  7: 'echoreply',
  8: 'TS',
  11: 'cc',
  12: 'ccnew',
  13: '',
  19: 'md5',
  20: 'scps',
  28: 'uto',
  29: 'tcp-ao',
  30: 'mptcp',
  34: 'tfo',
  254: 'exp',
};

class BadOpt extends Error {}
class TcpTrunc extends Error {}

/** tcp_print, IPv6 */
export function tcp6Print(nd: Nd, bp: number, length: number, ip6: number, fragmented: boolean): void {
  nd.proto = 'tcp';
  if (!nd.ttest(bp + 2, 2)) {
    nd.print(`${nd.ip6addr(ip6 + 8)} > ${nd.ip6addr(ip6 + 24)}:`);
    nd.trunc();
    return;
  }
  const sport = nd.u16(bp);
  const dport = nd.u16(bp + 2);
  if (nd.u8(ip6 + 6) === 6) {
    nd.print(`${nd.ip6addr(ip6 + 8)}.${port(nd, sport, TCP_SERVICES)} > ${nd.ip6addr(ip6 + 24)}.${port(nd, dport, TCP_SERVICES)}: `);
  } else nd.print(`${port(nd, sport, TCP_SERVICES)} > ${port(nd, dport, TCP_SERVICES)}: `);
  if (!nd.ttest(bp, 20)) {
    nd.trunc();
    return;
  }
  let hlen = (nd.u8(bp + 12) >> 4) * 4;
  if (hlen < 20) {
    nd.print(` tcp ${(length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`);
    return;
  }
  let seq = nd.u32(bp + 4);
  let ack = nd.u32(bp + 8);
  const win = nd.u16(bp + 14);
  const urp = nd.u16(bp + 18);
  if (nd.o.qflag) {
    nd.print(`tcp ${(length - hlen) >>> 0}`);
    if (hlen > length) nd.print(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  const flags = nd.u8(bp + 13);
  let f = '';
  const fl = 'FSRP.UEW';
  for (let i = 0; i < 8; i++) if (flags & (1 << i)) f += fl[i];
  nd.print(`Flags [${f || 'none'}]`);
  let rev = false;
  let thseq = 0;
  let thack = 0;
  if (!nd.o.Sflag && flags & 0x10) {
    const src = nd.bytes(ip6 + 8, 16);
    const dst = nd.bytes(ip6 + 24, 16);
    if (sport > dport) rev = true;
    else if (sport === dport) {
      for (let i = 0; i < 16; i++)
        if (src[i] !== dst[i]) {
          rev = (src[i] as number) > (dst[i] as number);
          break;
        }
    }
    const hex = (a: Uint8Array): string => Array.from(a, hx2).join('');
    const key = rev ? `${hex(dst)}|${hex(src)}|${dport}|${sport}` : `${hex(src)}|${hex(dst)}|${sport}|${dport}`;
    let th = nd.tcpSeq6.get(key);
    if (!th || flags & 0x02) {
      th = rev ? { ack: seq, seq: (ack - 1) >>> 0 } : { seq, ack: (ack - 1) >>> 0 };
      nd.tcpSeq6.set(key, th);
    } else if (rev) {
      seq = (seq - th.ack) >>> 0;
      ack = (ack - th.seq) >>> 0;
    } else {
      seq = (seq - th.seq) >>> 0;
      ack = (ack - th.ack) >>> 0;
    }
    thseq = th.seq;
    thack = th.ack;
  }
  if (hlen > length) {
    nd.print(` [bad hdr length ${hlen} - too long, > ${length}]`);
    return;
  }
  if (nd.o.vflag && !fragmented && nd.ttest(bp, length)) {
    const sum = nextproto6Cksum(nd, ip6, bp, length, length, 6);
    const tcpSum = nd.u16(bp + 16);
    nd.print(`, cksum 0x${hx4(tcpSum)}`);
    nd.print(sum !== 0 ? ` (incorrect -> 0x${hx4(cksumShouldbe(tcpSum, sum))})` : ' (correct)');
  }
  length -= hlen;
  if (nd.o.vflag > 1 || length > 0 || flags & 0x07) {
    nd.print(`, seq ${seq}`);
    if (length > 0) nd.print(`:${(seq + length) >>> 0}`);
  }
  if (flags & 0x10) nd.print(`, ack ${ack}`);
  nd.print(`, win ${win}`);
  if (flags & 0x20) nd.print(`, urg ${urp}`);
  if (hlen > 20) {
    hlen -= 20;
    let cp = bp + 20;
    let ch = '';
    nd.print(', options [');
    try {
      while (hlen > 0) {
        nd.print(ch);
        const opt = nd.u8(cp);
        cp++;
        let len: number;
        if (opt === 0 || opt === 1) len = 1;
        else {
          len = nd.u8(cp);
          cp++;
          if (len < 2 || len > hlen) throw new BadOpt();
          --hlen;
        }
        --hlen;
        let datalen = 0;
        const lencheck = (l: number): void => {
          if (l > hlen) throw new BadOpt();
          if (!nd.ttest(cp, l)) throw new TcpTrunc();
        };
        nd.print(TCP_OPTS[opt] ?? `unknown-${opt}`);
        switch (opt) {
          case 2:
            datalen = 2;
            lencheck(datalen);
            nd.print(` ${nd.u16(cp)}`);
            break;
          case 3:
            datalen = 1;
            lencheck(datalen);
            nd.print(` ${nd.u8(cp)}`);
            break;
          case 5:
            datalen = len - 2;
            if (datalen % 8 !== 0) nd.print(' invalid sack');
            else {
              nd.print(` ${datalen / 8} `);
              for (let i = 0; i < datalen; i += 8) {
                lencheck(i + 4);
                let s = nd.u32(cp + i);
                lencheck(i + 8);
                let e = nd.u32(cp + i + 4);
                if (rev) {
                  s = (s - thseq) >>> 0;
                  e = (e - thseq) >>> 0;
                } else {
                  s = (s - thack) >>> 0;
                  e = (e - thack) >>> 0;
                }
                nd.print(`{${s}:${e}}`);
              }
            }
            break;
          case 11:
          case 12:
          case 13:
          case 6:
          case 7:
            datalen = 4;
            lencheck(datalen);
            nd.print(` ${nd.u32(cp)}`);
            break;
          case 8:
            datalen = 8;
            lencheck(datalen);
            nd.print(` val ${nd.u32(cp)} ecr ${nd.u32(cp + 4)}`);
            break;
          case 19:
            datalen = 16;
            lencheck(datalen);
            nd.print(' ');
            // tcp_verify_signature without a -M secret
            nd.print(bp + (nd.u8(bp + 12) >> 4) * 4 + length > nd.end ? 'snaplen too short, ' : 'shared secret not supplied with -M, ');
            nd.print("can't check - ");
            for (let i = 0; i < 16; i++) nd.print(hx2(nd.u8(cp + i)));
            break;
          case 20:
            datalen = 2;
            lencheck(datalen);
            nd.print(` cap ${hx2(nd.u8(cp))} id ${nd.u8(cp + 1)}`);
            break;
          case 0:
          case 1:
          case 4:
            break;
          case 34:
            datalen = len - 2;
            lencheck(datalen);
            nd.print(' ');
            tfoOption(nd, cp, datalen, false);
            break;
          case 254: {
            datalen = len - 2;
            lencheck(datalen);
            if (datalen < 2) throw new BadOpt();
            const magic = nd.u16(cp);
            nd.print('-');
            if (magic === 0xf989) tfoOption(nd, cp + 2, datalen - 2, true);
            else nd.print(hx4(magic));
            break;
          }
          case 28: {
            datalen = 2;
            lencheck(datalen);
            let uto = nd.u16(cp);
            nd.print(` 0x${uto.toString(16)}`);
            uto = uto & 1 ? (uto >> 1) * 60 : uto >> 1;
            nd.print(` ${uto}`);
            break;
          }
          default:
            datalen = len - 2;
            if (datalen) nd.print(' 0x');
            for (let i = 0; i < datalen; ++i) {
              lencheck(i + 1);
              nd.print(hx2(nd.u8(cp + i)));
            }
        }
        cp += datalen;
        hlen -= datalen;
        ++datalen;
        if (opt !== 0 && opt !== 1) ++datalen;
        if (datalen !== len) nd.print(`[len ${len}]`);
        ch = ',';
        if (opt === 0) break;
      }
    } catch (e) {
      if (e instanceof TcpTrunc) {
        nd.trunc();
        if (ch) nd.print('>');
        return;
      }
      if (!(e instanceof BadOpt)) throw e;
      nd.print('[bad opt]');
      if (ch) nd.print(']');
      return;
    }
    nd.print(']');
  }
  nd.print(`, length ${length}`);
  if (length === 0) return;
  const headerLen = (nd.u8(bp + 12) >> 4) * 4;
  if (!nd.ttest(bp, headerLen)) {
    nd.print(` [remaining caplen(${nd.avail(bp)}) < header length(${headerLen})]`);
    nd.bytes(bp, headerLen);
  }
  const data = bp + headerLen;
  if (flags & 0x04 && nd.o.vflag) {
    rstData(nd, data, length);
    return;
  }
  if (sport === 80 || dport === 80 || sport === 8080 || dport === 8080) {
    nd.print(': ');
    nd.proto = 'http';
    txtproto(nd, data, length, HTTP_CMDS, true);
  }
}

/** print_tcp_fastopen_option */
function tfoOption(nd: Nd, cp: number, datalen: number, exp: boolean): void {
  if (exp) nd.print('tfo');
  if (datalen === 0) nd.print(' cookiereq');
  else if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) nd.invalid();
  else {
    nd.print(' cookie ');
    for (let i = 0; i < datalen; ++i) nd.print(hx2(nd.u8(cp + i)));
  }
}

/** fn_print_char */
export function fnPrintChar(c: number): string {
  let s = '';
  if (c > 0x7f) {
    c &= 0x7f;
    s += 'M-';
  }
  if (!(c >= 0x20 && c < 0x7f)) {
    c ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(c);
}

/** print_tcp_rst_data */
function rstData(nd: Nd, sp: number, length: number): void {
  nd.print(nd.ttest(sp, length) ? ' [RST' : ' [!RST');
  if (length > 30) {
    length = 30;
    nd.print('+');
  }
  nd.print(' ');
  while (length && sp < nd.end) {
    nd.print(fnPrintChar(nd.u8(sp)));
    sp++;
    length--;
  }
  nd.print(']');
}

const HTTP_CMDS = [
  'GET',
  'PUT',
  'COPY',
  'HEAD',
  'LOCK',
  'MOVE',
  'POLL',
  'POST',
  'BCOPY',
  'BMOVE',
  'MKCOL',
  'TRACE',
  'LABEL',
  'MERGE',
  'DELETE',
  'SEARCH',
  'UNLOCK',
  'REPORT',
  'UPDATE',
  'NOTIFY',
  'BDELETE',
  'CONNECT',
  'OPTIONS',
  'CHECKIN',
  'PROPFIND',
  'CHECKOUT',
  'CCM_POST',
  'SUBSCRIBE',
  'PROPPATCH',
  'BPROPFIND',
  'BPROPPATCH',
  'UNCHECKOUT',
  'MKACTIVITY',
  'MKWORKSPACE',
  'UNSUBSCRIBE',
  'RPC_CONNECT',
  'VERSION-CONTROL',
  'BASELINE-CONTROL',
];

const isprint = (c: number): boolean => c >= 0x20 && c < 0x7f;

/** fetch_token: the index after the token and its blanks, 0 for none. */
function fetchToken(nd: Nd, p: number, idx: number, len: number, tok: { s: string }): number {
  let t = '';
  for (; idx < len; idx++) {
    if (!nd.ttest(p + idx, 1)) return 0;
    const c = nd.u8(p + idx);
    if (c > 0x7f) return 0;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (!isprint(c)) return 0;
    if (t.length + 2 > 129) return 0;
    t += String.fromCharCode(c);
  }
  if (t.length === 0) return 0;
  tok.s = t;
  for (; idx < len; idx++) {
    if (!nd.ttest(p + idx, 1)) break;
    const c = nd.u8(p + idx);
    if (c === 0x0d || c === 0x0a) break;
    if (!isprint(c)) break;
    if (c !== 0x20 && c !== 0x09) break;
  }
  return idx;
}

/** print_txt_line: the index after the line, 0 when it is not a text line. */
function txtLine(nd: Nd, prefix: string, p: number, idx: number, len: number): number {
  const start = idx;
  const text = (n: number): string => Array.from(nd.b.subarray(p + start, p + start + n), (c) => String.fromCharCode(c)).join('');
  while (idx < len) {
    const c = nd.u8(p + idx);
    if (c === 0x0a) {
      nd.print(prefix + text(idx - start));
      return idx + 1;
    }
    if (c === 0x0d) {
      if (idx + 1 >= len) return 0;
      if (nd.u8(p + idx + 1) === 0x0a) {
        nd.print(prefix + text(idx - start));
        return idx + 2;
      }
      return 0;
    }
    if (!isprint(c) && c !== 0x09) return 0;
    idx++;
  }
  nd.print(prefix + text(idx - start));
  nd.trunc();
  return 0;
}

/** txtproto_print */
function txtproto(nd: Nd, p: number, len: number, cmds: readonly string[], respSecond: boolean): void {
  let printThis = false;
  const tok = { s: '' };
  let idx = fetchToken(nd, p, 0, len, tok);
  if (idx !== 0) {
    if (cmds.some((c) => c.toLowerCase() === tok.s.toLowerCase())) printThis = true;
    if (respSecond) idx = fetchToken(nd, p, idx, len, tok);
    if (idx !== 0 && /^[0-9]{3}$/.test(tok.s)) printThis = true;
  }
  nd.print(nd.proto.toUpperCase());
  if (!printThis) return;
  if (nd.o.vflag) {
    nd.print(`, length: ${len}`);
    for (let i = 0; i < len; ) {
      const eol = txtLine(nd, '\n\t', p, i, len);
      if (eol === 0) break;
      i = eol;
    }
  } else txtLine(nd, ': ', p, 0, len);
}
