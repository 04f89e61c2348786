// tc/f_u32.c: `u32` selectors. `match u32|u16|u8 VAL MASK [at [nexthdr+]OFF]`,
// `match ip src|dst ADDR[/LEN]`, `match ip protocol|tos|dsfield|ihl|sport|
// dport|icmp_type|icmp_code VAL MASK`, `match ip nofrag|firstfrag|df|mf`,
// `match mark VAL MASK`; classid/flowid, divisor, ht, link, hashkey, offset,
// order, indev, skip_hw/skip_sw and actions. The keys are packed as pack_key()
// does (same offset and offmask merge into one key). Printing is
// u32_print_opt(): "fh 800::800 order 2048 key ht 800 bkt 0 …" and the
// "  match 0a000001/ffffffff at 16" lines (-p decodes IPv4 keys).
import {
  TC_U32_EAT,
  TC_U32_HASH,
  TC_U32_HTID,
  TC_U32_NODE,
  TC_U32_OFFSET,
  TC_U32_TERMINAL,
  TC_U32_VAROFFSET,
  TCA_CLS_FLAGS_IN_HW,
  TCA_CLS_FLAGS_NOT_IN_HW,
  TCA_CLS_FLAGS_SKIP_HW,
  TCA_CLS_FLAGS_SKIP_SW,
  type TcU32Key,
  type TcU32Options,
  type TcU32Sel,
} from '../../../kernel/uapi/pkt_cls.ts';
import type { TcaAct, TcMsg, TcOptions } from '../../../kernel/uapi/rtnetlink_tc.ts';
import type { FilterUtil } from './tc_common.ts';
import { parse_action, tc_print_action } from './m_action.ts';
import { Args, PRINT_ANY, PRINT_FP, type Tc, get_tc_classid, get_u32, matches, sprint_tc_classid } from './tc_util.ts';

function explain(tc: Tc): void {
  tc.err(
    'Usage: ... u32 [ match SELECTOR ... ] [ link HTID ] [ classid CLASSID ]\n' +
      '               [ action ACTION_SPEC ] [ offset OFFSET_SPEC ]\n' +
      '               [ ht HTID ] [ hashkey HASHKEY_SPEC ]\n' +
      '               [ sample SAMPLE ] [skip_hw | skip_sw]\n' +
      'or         u32 divisor DIVISOR\n' +
      '\n' +
      'Where: SELECTOR := SAMPLE SAMPLE ...\n' +
      '       SAMPLE := { ip | ip6 | udp | tcp | icmp | u{32|16|8} | mark }\n' +
      '                 SAMPLE_ARGS [ divisor DIVISOR ]\n' +
      '       FILTERID := X:Y:Z\n' +
      '\nNOTE: CLASSID is parsed at hexadecimal input.\n',
  );
}

/** get_u32_handle(): "X:Y:Z" (hex parts) or 0xNNNN; null when malformed. */
function get_u32_handle(str: string): number | null {
  if (!str.includes(':')) {
    if (str.startsWith('0x')) return get_u32(str, 16);
    return null;
  }
  const parts = str.split(':');
  const hex = (s: string): number | null => (s === '' ? 0 : /^[0-9a-fA-F]+$/.test(s) ? Number.parseInt(s, 16) : null);
  const htid = hex(parts[0] as string);
  if (htid === null || htid >= 0x1000) return null;
  let hash = 0;
  let nodeid = 0;
  if (parts.length > 1) {
    const h = hex(parts[1] as string);
    if (h === null || h >= 0x100) return null;
    hash = h;
    if (parts.length > 2) {
      const n = hex(parts.slice(2).join(':'));
      if (n === null || n >= 0x1000) return null;
      nodeid = n;
    }
  }
  return ((htid << 20) | (hash << 12) | nodeid) >>> 0;
}

/** sprint_u32_handle() */
function sprint_u32_handle(handle: number, raw: boolean): string {
  if (handle === 0) return 'none';
  const htid = TC_U32_HTID(handle);
  const hash = TC_U32_HASH(handle);
  const nodeid = TC_U32_NODE(handle);
  let b = '';
  if (htid) b += `${(htid >>> 20).toString(16)}:`;
  if (nodeid | hash) {
    if (hash) b += hash.toString(16);
    if (nodeid) b += `:${nodeid.toString(16)}`;
  }
  if (raw) b += `[${handle.toString(16).padStart(8, '0')}]`;
  return b;
}

/** pack_key(): merges into a key of the same off/offmask, or adds one. */
function pack_key(sel: TcU32Sel, keyIn: number, mask: number, off: number, offmask: number): number {
  const key = (keyIn & mask) >>> 0;
  for (const k of sel.keys) {
    if (k.off === off && k.offmask === offmask) {
      const intersect = (mask & k.mask) >>> 0;
      if (((key ^ k.val) & intersect) >>> 0) return -1;
      k.val = (k.val | key) >>> 0;
      k.mask = (k.mask | mask) >>> 0;
      return 0;
    }
  }
  if (sel.keys.length >= 128) return -1;
  if (off % 4) return -1;
  sel.keys.push({ val: key, mask: mask >>> 0, off, offmask });
  sel.nkeys++;
  return 0;
}

function pack_key32(sel: TcU32Sel, key: number, mask: number, off: number, offmask: number): number {
  if (key & ~mask) return -1;
  return pack_key(sel, key, mask, off, offmask);
}

function pack_key16(sel: TcU32Sel, keyIn: number, maskIn: number, off: number, offmask: number): number {
  let key = keyIn;
  let mask = maskIn;
  if (key > 0xffff || mask > 0xffff) return -1;
  if ((off & 3) === 0) {
    key *= 0x10000;
    mask *= 0x10000;
  }
  return pack_key(sel, key >>> 0, mask >>> 0, off & ~3, offmask);
}

function pack_key8(sel: TcU32Sel, keyIn: number, maskIn: number, off: number, offmask: number): number {
  let key = keyIn;
  let mask = maskIn;
  if (key > 0xff || mask > 0xff) return -1;
  if ((off & 3) === 0) {
    key *= 0x1000000;
    mask *= 0x1000000;
  } else if ((off & 3) === 1) {
    key <<= 16;
    mask <<= 16;
  } else if ((off & 3) === 2) {
    key <<= 8;
    mask <<= 8;
  }
  return pack_key(sel, key >>> 0, mask >>> 0, off & ~3, offmask);
}

/** parse_at(): `[nexthdr+]OFF` at the cursor. */
function parse_at(args: Args, at: { off: number; offmask: number }): number {
  if (!args.more) return -1;
  let p = args.cur;
  if (p.length > 8 && p.startsWith('nexthdr+')) {
    at.offmask = -1;
    p = p.slice(8);
  } else if (matches(p, 'nexthdr+')) {
    p = args.next();
    at.offmask = -1;
  }
  if (!/^[-+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(p)) return -1;
  at.off = /^[-+]?0[xX]/.test(p) ? Number.parseInt(p, 16) : /^[-+]?0\d/.test(p) ? Number.parseInt(p, 8) : Number(p);
  args.skip();
  return 0;
}

type Packer = (sel: TcU32Sel, key: number, mask: number, off: number, offmask: number) => number;

/** parse_u32()/parse_u16()/parse_u8(): VAL MASK [at OFF] */
function parse_uN(args: Args, sel: TcU32Sel, off: number, offmask: number, pack: Packer): number {
  if (args.left < 2) return -1;
  const key = get_u32(args.cur, 0);
  if (key === null) return -1;
  args.skip();
  const mask = get_u32(args.cur, 16);
  if (mask === null) return -1;
  args.skip();
  const at = { off, offmask };
  if (args.more && args.cur === 'at') {
    args.next();
    if (parse_at(args, at)) return -1;
  }
  return pack(sel, key, mask, at.off, at.offmask);
}

/** parse_ip_addr(): ADDR[/LEN] [at OFF] */
function parse_ip_addr(args: Args, sel: TcU32Sel, off: number): number {
  if (!args.more) return -1;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(args.cur);
  let addr: number;
  let bitlen: number;
  if (m) {
    const o = [m[1], m[2], m[3], m[4]].map(Number);
    if (o.some((x) => x > 255)) return -1;
    addr = ((o[0] as number) * 0x1000000 + ((o[1] as number) << 16) + ((o[2] as number) << 8) + (o[3] as number)) >>> 0;
    bitlen = m[5] !== undefined ? Number(m[5]) : 32;
    if (bitlen > 32) return -1;
  } else if (args.cur === 'any' || args.cur === 'default' || args.cur === 'all') {
    addr = 0;
    bitlen = 0;
  } else return -1;
  args.skip();
  const at = { off, offmask: 0 };
  if (args.more && args.cur === 'at') {
    args.next();
    if (parse_at(args, at)) return -1;
  }
  const mask = bitlen ? (0xffffffff * 2 ** (32 - bitlen)) % 2 ** 32 : 0;
  return pack_key(sel, addr, mask >>> 0, at.off, at.offmask);
}

/** parse_ip() */
function parse_ip(args: Args, sel: TcU32Sel): number {
  if (args.left < 2) return -1;
  const w = args.cur;
  const u8 = (off: number) => {
    args.next();
    return parse_uN(args, sel, off, 0, pack_key8);
  };
  const u16 = (off: number) => {
    args.next();
    return parse_uN(args, sel, off, 0, pack_key16);
  };
  if (w === 'src') {
    args.next();
    return parse_ip_addr(args, sel, 12);
  }
  if (w === 'dst') {
    args.next();
    return parse_ip_addr(args, sel, 16);
  }
  if (w === 'tos' || matches(w, 'dsfield') || matches(w, 'precedence')) return u8(1);
  if (w === 'ihl') return u8(0);
  if (w === 'protocol') return u8(9);
  if (w === 'nofrag') {
    args.skip();
    return pack_key16(sel, 0, 0x3fff, 6, 0);
  }
  if (w === 'firstfrag') {
    args.skip();
    return pack_key16(sel, 0x2000, 0x3fff, 6, 0);
  }
  if (w === 'df') {
    args.skip();
    return pack_key16(sel, 0x4000, 0x4000, 6, 0);
  }
  if (w === 'mf') {
    args.skip();
    return pack_key16(sel, 0x2000, 0x2000, 6, 0);
  }
  if (w === 'dport') return u16(22);
  if (w === 'sport') return u16(20);
  if (w === 'icmp_type') return u8(20);
  if (w === 'icmp_code') return u8(21);
  return -1;
}

/** parse_selector() */
function parse_selector(tc: Tc, args: Args, sel: TcU32Sel, opt: TcU32Options): number {
  if (!args.more) return -1;
  const w = args.cur;
  if (matches(w, 'u32')) {
    args.next();
    return parse_uN(args, sel, 0, 0, pack_key32);
  }
  if (matches(w, 'u16')) {
    args.next();
    return parse_uN(args, sel, 0, 0, pack_key16);
  }
  if (matches(w, 'u8')) {
    args.next();
    return parse_uN(args, sel, 0, 0, pack_key8);
  }
  if (matches(w, 'ip')) {
    args.next();
    return parse_ip(args, sel);
  }
  if (matches(w, 'mark')) {
    args.next();
    if (args.left < 2) return -1;
    if (opt.TCA_U32_MARK) {
      tc.err("Can't have multiple marks!\n");
      return -1;
    }
    const val = get_u32(args.cur, 0);
    if (val === null) return -1;
    args.skip();
    const mask = get_u32(args.cur, 0);
    if (mask === null) return -1;
    args.skip();
    if ((val & ~mask) >>> 0) {
      tc.err('Illegal "mark" value\n');
      return -1;
    }
    opt.TCA_U32_MARK = { val, mask, success: 0 };
    return 0;
  }
  if (matches(w, 'ip6') || matches(w, 'udp') || matches(w, 'tcp') || matches(w, 'icmp') || matches(w, 'ether')) {
    tc.err(`skbpath: tc: u32 "match ${w}" is not simulated\n`);
    return -1;
  }
  return -1;
}

/** parse_offset(): `plus N`, `at N mask M shift S`, `eat` */
function parse_offset(args: Args, sel: TcU32Sel): number {
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'plus')) {
      const v = get_u32(args.next(), 0);
      if (v === null || v > 0xffff) return -1;
      sel.off = v;
      sel.flags |= TC_U32_OFFSET;
    } else if (matches(w, 'at')) {
      const v = get_u32(args.next(), 0);
      if (v === null || v % 2) return -1;
      sel.offoff = v;
      sel.flags |= TC_U32_VAROFFSET;
    } else if (matches(w, 'mask')) {
      const v = get_u32(args.next(), 16);
      if (v === null || v > 0xffff) return -1;
      sel.offmask = v;
      sel.flags |= TC_U32_VAROFFSET;
    } else if (matches(w, 'shift')) {
      const v = get_u32(args.next(), 0);
      if (v === null || v > 31) return -1;
      sel.offshift = v;
      sel.flags |= TC_U32_VAROFFSET;
    } else if (matches(w, 'eat')) {
      sel.flags |= TC_U32_EAT;
    } else break;
    args.skip();
  }
  return 0;
}

/** parse_hashkey(): `mask M at OFF` */
function parse_hashkey(args: Args, sel: TcU32Sel): number {
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'mask')) {
      const v = get_u32(args.next(), 16);
      if (v === null) return -1;
      sel.hmask = v;
    } else if (matches(w, 'at')) {
      const v = get_u32(args.next(), 0);
      if (v === null || v % 4) return -1;
      sel.hoff = v;
    } else break;
    args.skip();
  }
  return 0;
}

/** u32_parse_opt() */
function u32_parse_opt(_fu: FilterUtil, tc: Tc, handle: string | null, argv: readonly string[], req: TcMsg): number {
  const sel: TcU32Sel = { flags: 0, offshift: 0, nkeys: 0, offmask: 0, off: 0, offoff: 0, hoff: 0, hmask: 0, keys: [] };
  const opt: TcU32Options = {};
  let sel_ok = 0;
  let terminal_ok = 0;
  let htid = 0;
  let order = 0;
  let flags = 0;
  if (handle !== null) {
    const h = get_u32_handle(handle);
    if (h === null) {
      tc.err('Illegal filter ID\n');
      return -1;
    }
    req.tcm.tcm_handle = h;
  }
  if (!argv.length) return 0;
  const args = new Args(tc, argv);
  while (args.more) {
    const w = args.cur;
    if (matches(w, 'match')) {
      args.next();
      if (parse_selector(tc, args, sel, opt)) {
        tc.err('Illegal "match"\n');
        return -1;
      }
      sel_ok++;
      continue;
    } else if (matches(w, 'offset')) {
      args.next();
      if (parse_offset(args, sel)) {
        tc.err('Illegal "offset"\n');
        return -1;
      }
      continue;
    } else if (matches(w, 'hashkey')) {
      args.next();
      if (parse_hashkey(args, sel)) {
        tc.err('Illegal "hashkey"\n');
        return -1;
      }
      continue;
    } else if (matches(w, 'classid') || w === 'flowid') {
      const c = get_tc_classid(args.next());
      if (c === null) {
        tc.err('Illegal "classid"\n');
        return -1;
      }
      opt.TCA_U32_CLASSID = c;
      sel.flags |= TC_U32_TERMINAL;
    } else if (matches(w, 'divisor')) {
      const d = get_u32(args.next(), 0);
      if (d === null || d === 0 || d > 0x100 || (d - 1) & d) {
        tc.err('Illegal "divisor"\n');
        return -1;
      }
      opt.TCA_U32_DIVISOR = d;
    } else if (matches(w, 'order')) {
      const o = get_u32(args.next(), 0);
      if (o === null) {
        tc.err('Illegal "order"\n');
        return -1;
      }
      order = o;
    } else if (w === 'link') {
      const l = get_u32_handle(args.next());
      if (l === null) {
        tc.err('Illegal "link"\n');
        return -1;
      }
      if (l && TC_U32_NODE(l)) {
        tc.err('"link" must be a hash table.\n');
        return -1;
      }
      opt.TCA_U32_LINK = l;
    } else if (w === 'ht') {
      const h = get_u32_handle(args.next());
      if (h === null) {
        tc.err('Illegal "ht"\n');
        return -1;
      }
      if (handle !== null && TC_U32_NODE(h)) {
        tc.err('"ht" must be a hash table.\n');
        return -1;
      }
      htid = (h & 0xfffff000) >>> 0;
    } else if (w === 'sample') {
      tc.err('skbpath: tc: u32 "sample" is not simulated\n');
      return -1;
    } else if (w === 'indev') {
      args.skip();
      if (!args.more) {
        tc.err('Illegal indev\n');
        return -1;
      }
      opt.TCA_U32_INDEV = args.cur.slice(0, 16);
    } else if (matches(w, 'action')) {
      args.next();
      const list: TcaAct[] = [];
      if (parse_action(tc, args, list)) {
        tc.err('Illegal "action"\n');
        return -1;
      }
      opt.TCA_U32_ACT = list as TcU32Options['TCA_U32_ACT'];
      terminal_ok++;
      continue;
    } else if (matches(w, 'police')) {
      tc.err('skbpath: tc: u32 "police" (the old form) is not simulated; use "action police"\n');
      return -1;
    } else if (w === 'skip_hw') flags |= TCA_CLS_FLAGS_SKIP_HW;
    else if (w === 'skip_sw') flags |= TCA_CLS_FLAGS_SKIP_SW;
    else if (w === 'help') {
      explain(tc);
      return -1;
    } else {
      tc.err(`What is "${w}"?\n`);
      explain(tc);
      return -1;
    }
    args.skip();
  }
  if (terminal_ok) sel.flags |= TC_U32_TERMINAL;
  if (order) {
    if (TC_U32_NODE(req.tcm.tcm_handle) && order !== TC_U32_NODE(req.tcm.tcm_handle)) {
      tc.err('"order" contradicts "handle"\n');
      return -1;
    }
    req.tcm.tcm_handle = (req.tcm.tcm_handle | order) >>> 0;
  }
  if (htid) opt.TCA_U32_HASH = htid;
  if (sel_ok) opt.TCA_U32_SEL = sel;
  if (flags) {
    if (!(flags ^ (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW))) {
      tc.err('skip_hw and skip_sw are mutually exclusive\n');
      return -1;
    }
    opt.TCA_U32_FLAGS = flags;
  }
  req.attrs.TCA_OPTIONS = opt as TcOptions;
  return 0;
}

/** print_raw() */
function print_raw(tc: Tc, key: TcU32Key): void {
  tc.open_json_object('match');
  tc.print_nl();
  tc.print_hex(PRINT_ANY, 'value', '  match %08x', key.val);
  tc.print_hex(PRINT_ANY, 'mask', '/%08x ', key.mask);
  tc.print_string(PRINT_ANY, 'offmask', 'at %s', key.offmask ? 'nexthdr+' : '');
  tc.print_int(PRINT_ANY, 'off', '%d', key.off);
  tc.close_json_object();
}

/** mask2bits(): the prefix length of a contiguous netmask, or -1. */
function mask2bits(mask: number): number {
  const host = ~mask >>> 0;
  if ((host & (host + 1)) >>> 0 !== 0) return -1;
  let bits = 0;
  for (let m = mask >>> 0; m; m = (m << 1) >>> 0) bits++;
  return bits;
}

/**
 * print_ipv4(): -p decodes the IPv4 header keys it knows by exact mask (ihl,
 * dsfield, protocol, src/dst prefixes, sport/dport) and prints nothing for any
 * other key (6.1 falls out of the switch without print_raw). 6.1 also leaves
 * the "match" object open on every decoded key, so `tc -j -p` aborts there
 * (json_writer's depth assertion); ours closes it.
 */
function print_ipv4(tc: Tc, key: TcU32Key): void {
  const mask = key.mask >>> 0;
  const val = key.val >>> 0;
  tc.open_json_object('match');
  switch (key.off) {
    case 0:
      if (mask === 0x0f000000) {
        tc.print_nl();
        tc.print_uint(PRINT_ANY, 'ip_ihl', '  match IP ihl %u', val >>> 24);
      } else if (mask === 0x00ff0000) {
        tc.print_nl();
        tc.print_0xhex(PRINT_ANY, 'ip_dsfield', '  match IP dsfield %#x', val >>> 16);
      }
      break;
    case 8:
      if (mask === 0x00ff0000) {
        tc.print_nl();
        tc.print_int(PRINT_ANY, 'ip_protocol', '  match IP protocol %d', val >>> 16);
      }
      break;
    case 12:
    case 16: {
      const bits = mask2bits(mask);
      if (bits >= 0) {
        tc.print_nl();
        tc.print_string(PRINT_FP, null, key.off === 12 ? '  match IP src ' : '  match IP dst ', null);
        tc.open_json_object(key.off === 12 ? 'src' : 'dst');
        tc.print_string(PRINT_ANY, 'address', '%s', `${val >>> 24}.${(val >>> 16) & 255}.${(val >>> 8) & 255}.${val & 255}`);
        tc.print_int(PRINT_ANY, 'prefixlen', '/%d', bits);
        tc.close_json_object();
      }
      break;
    }
    case 20:
      if (mask === 0x0000ffff) tc.print_uint(PRINT_ANY, 'dport', 'match dport %u', val & 0xffff);
      else if (mask === 0xffff0000) {
        tc.print_nl();
        tc.print_uint(PRINT_ANY, 'sport', '  match sport %u', val >>> 16);
      } else if (mask === 0xffffffff) {
        tc.print_nl();
        tc.print_uint(PRINT_ANY, 'dport', '  match dport %u, ', val & 0xffff);
        tc.print_uint(PRINT_ANY, 'sport', 'match sport %u', val >>> 16);
      }
      break;
  }
  tc.close_json_object();
}

/** show_keys() */
function show_keys(tc: Tc, key: TcU32Key): void {
  if (tc.opts.pretty && tc.fProto === 0x0800) print_ipv4(tc, key);
  else print_raw(tc, key);
}

/** u32_print_opt() */
function u32_print_opt(_fu: FilterUtil, tc: Tc, optIn: TcOptions | undefined, handle: number): number {
  if (optIn === undefined) return 0;
  const o = optIn as TcU32Options;
  if (handle) tc.print_string(PRINT_ANY, 'fh', 'fh %s ', sprint_u32_handle(handle, tc.opts.raw > 0));
  if (TC_U32_NODE(handle)) tc.print_int(PRINT_ANY, 'order', 'order %d ', TC_U32_NODE(handle));
  const sel = o.TCA_U32_SEL;
  if (o.TCA_U32_DIVISOR !== undefined) tc.print_int(PRINT_ANY, 'ht_divisor', 'ht divisor %d ', o.TCA_U32_DIVISOR);
  else if (o.TCA_U32_HASH !== undefined) {
    tc.print_string(PRINT_ANY, 'key_ht', 'key ht %s ', (TC_U32_HTID(o.TCA_U32_HASH) >>> 20).toString(16));
    tc.print_string(PRINT_ANY, 'bkt', 'bkt %s ', TC_U32_HASH(o.TCA_U32_HASH).toString(16));
  } else tc.err('divisor and hash missing ');
  if (o.TCA_U32_CLASSID !== undefined) {
    if (sel && sel.flags & TC_U32_TERMINAL) tc.print_string(PRINT_FP, null, '*', null);
    tc.print_string(PRINT_ANY, 'flowid', 'flowid %s ', sprint_tc_classid(o.TCA_U32_CLASSID));
  } else if (sel && sel.flags & TC_U32_TERMINAL) tc.print_string(PRINT_FP, null, 'terminal flowid ', null);
  if (o.TCA_U32_LINK !== undefined) tc.print_string(PRINT_ANY, 'link', 'link %s ', sprint_u32_handle(o.TCA_U32_LINK, tc.opts.raw > 0));
  if (o.TCA_U32_FLAGS !== undefined) {
    const f = o.TCA_U32_FLAGS;
    if (f & TCA_CLS_FLAGS_SKIP_HW) tc.print_bool(PRINT_ANY, 'skip_hw', 'skip_hw ', true);
    if (f & TCA_CLS_FLAGS_SKIP_SW) tc.print_bool(PRINT_ANY, 'skip_sw', 'skip_sw ', true);
    if (f & TCA_CLS_FLAGS_IN_HW) tc.print_bool(PRINT_ANY, 'in_hw', 'in_hw ', true);
    else if (f & TCA_CLS_FLAGS_NOT_IN_HW) tc.print_bool(PRINT_ANY, 'not_in_hw', 'not_in_hw ', true);
  }
  if (o.TCA_U32_MARK) {
    const m = o.TCA_U32_MARK;
    tc.print_nl();
    tc.print_0xhex(PRINT_ANY, 'fwmark_value', '  mark 0x%04x ', m.val >>> 0);
    tc.print_0xhex(PRINT_ANY, 'fwmark_mask', '0x%04x ', m.mask >>> 0);
    tc.print_int(PRINT_ANY, 'fwmark_success', '(success %d)', m.success);
  }
  if (sel) {
    for (const k of sel.keys.slice(0, sel.nkeys)) show_keys(tc, k);
    if (sel.flags & (TC_U32_VAROFFSET | TC_U32_OFFSET)) {
      tc.print_nl();
      tc.print_string(PRINT_ANY, null, '%s', '    offset ');
      if (sel.flags & TC_U32_VAROFFSET) {
        tc.print_hex(PRINT_ANY, 'offset_mask', '%04x', sel.offmask);
        tc.print_int(PRINT_ANY, 'offset_shift', '>>%d ', sel.offshift);
        tc.print_int(PRINT_ANY, 'offset_off', 'at %d ', sel.offoff);
      }
      if (sel.off) tc.print_int(PRINT_ANY, 'plus', 'plus %d ', sel.off);
    }
    if (sel.flags & TC_U32_EAT) tc.print_string(PRINT_ANY, null, '%s', ' eat ');
    if (sel.hmask) {
      tc.print_nl();
      tc.print_hex(PRINT_ANY, 'hash_mask', '    hash mask %08x ', sel.hmask);
      tc.print_int(PRINT_ANY, 'hash_off', 'at %d ', sel.hoff);
    }
  }
  if (o.TCA_U32_INDEV !== undefined) {
    tc.print_nl();
    tc.print_string(PRINT_ANY, 'input_dev', '  input dev %s', o.TCA_U32_INDEV);
    tc.print_nl();
  }
  if (o.TCA_U32_ACT) tc_print_action(tc, o.TCA_U32_ACT as unknown as TcaAct[]);
  return 0;
}

export const u32_filter_util: FilterUtil = { id: 'u32', parse_fopt: u32_parse_opt, print_fopt: u32_print_opt };
