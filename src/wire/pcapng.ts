// pcapng (draft-ietf-opsawg-pcapng): blocks of u32 type, u32 total length,
// body, u32 total length again, in the byte order the section header's magic
// says. Read as libpcap 1.10 reads it (sf-pcapng.c): one link type and one
// snapshot length for the whole file (the first interface's), each interface
// with its own timestamp resolution and offset; SHB, IDB, EPB, SPB and the
// obsolete PB carry what tcpdump uses, NRB, ISB and unknown blocks are
// skipped. Errors are libpcap's texts.

export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_IDB = 1;
export const PCAPNG_PB = 2;
export const PCAPNG_SPB = 3;
export const PCAPNG_NRB = 4;
export const PCAPNG_ISB = 5;
export const PCAPNG_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** libpcap's INITIAL_MAX_BLOCKSIZE grows to MAX_BLOCKSIZE (16 MiB) for big snaplens. */
const MAX_BLOCKSIZE = 16 * 1024 * 1024;
const MAXIMUM_SNAPLEN = 262144;

/**
 * A file read piece by piece (a file of several GiB is never held whole):
 * get() returns the bytes at [off, off + len), fewer at the end of the file,
 * valid until the next call.
 */
export interface ByteSource {
  readonly length: number;
  get(off: number, len: number): Uint8Array;
}

/** A ByteSource over bytes in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return { length: bytes.length, get: (off, len) => bytes.subarray(off, off + len) };
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** An error reading the file, with libpcap's message. */
export class SavefileError extends Error {}

interface Iface {
  linktype: number;
  snaplen: number;
  /** Units per second of the timestamps, and the offset in seconds. */
  units: bigint;
  offset: bigint;
}

export interface NgPacket {
  /** Nanoseconds since the epoch. */
  tsNs: bigint;
  ifid: number;
  data: Uint8Array;
  origLen: number;
}

export interface NgFile {
  linktype: number;
  snaplen: number;
  /** The packets, each read when asked for; throws SavefileError where libpcap stops. */
  packets(): Generator<NgPacket>;
}

/** True when the file starts with a section header block. */
export function isPcapng(src: ByteSource): boolean {
  return src.length >= 4 && view(src.get(0, 4)).getUint32(0, true) === PCAPNG_SHB;
}

/**
 * pcap_ng_check_header(): the section header and the blocks up to the first
 * interface description. Null when this is not a pcapng file (libpcap then
 * says "unknown file format").
 */
export function openPcapng(src: ByteSource): NgFile | null {
  const bytes = { length: src.length };
  const dv = view(src.get(0, 16));
  if (bytes.length < 12 || dv.getUint32(0, true) !== PCAPNG_SHB) return null;
  let le: boolean;
  if (dv.getUint32(8, true) === BYTE_ORDER_MAGIC) le = true;
  else if (dv.getUint32(8, false) === BYTE_ORDER_MAGIC) le = false;
  else return null;
  const shbLen = dv.getUint32(4, le);
  if (shbLen < 28) throw new SavefileError(`block in pcapng dump file has a length of ${shbLen} < 28`);
  if (shbLen > MAX_BLOCKSIZE) throw new SavefileError(`pcapng block size ${shbLen} > maximum ${MAX_BLOCKSIZE}`);
  if (bytes.length < 16) throw new SavefileError(`truncated pcapng dump file; tried to read ${shbLen} bytes, only got ${bytes.length}`);
  const major = dv.getUint16(12, le);
  const minor = dv.getUint16(14, le);
  if (!(major === 1 && (minor === 0 || minor === 2))) {
    throw new SavefileError(`unsupported pcapng savefile version ${major}.${minor}`);
  }
  if (shbLen > bytes.length) throw new SavefileError(`truncated pcapng dump file; tried to read ${shbLen} bytes, only got ${bytes.length}`);
  const ifaces: Iface[] = [];
  let off = shbLen;

  /** The next block at `off`: type, body view, and the offset after it; null at the end of the file. */
  const block = (): { type: number; body: DataView; raw: Uint8Array } | null => {
    if (off >= bytes.length) return null;
    const have = bytes.length - off;
    if (have < 8) throw new SavefileError(`truncated pcapng dump file; tried to read 8 bytes, only got ${have}`);
    const h = view(src.get(off, 8));
    const type = h.getUint32(0, le);
    const total = h.getUint32(4, le);
    if (total < 12) throw new SavefileError(`block in pcapng dump file has a length of ${total} < 12`);
    if (total % 4 !== 0) throw new SavefileError(`block in pcapng dump file has a length of ${total} that is not a multiple of 4`);
    if (total > MAX_BLOCKSIZE) throw new SavefileError(`pcapng block size ${total} > maximum ${MAX_BLOCKSIZE}`);
    // the 8-byte block header is read first, then the rest
    if (total > have) throw new SavefileError(`truncated pcapng dump file; tried to read ${total - 8} bytes, only got ${have - 8}`);
    const raw = src.get(off + 8, total - 12);
    off += total;
    return { type, body: view(raw), raw };
  };

  /** An interface description block: link type, snaplen, if_tsresol (9) and if_tsoffset (14). */
  const idb = (b: DataView): Iface => {
    if (b.byteLength < 8) throw new SavefileError(`block in pcapng dump file has a length of ${b.byteLength + 12} < 20`);
    const iface: Iface = { linktype: b.getUint16(0, le), snaplen: b.getUint32(4, le), units: 1_000_000n, offset: 0n };
    for (let o = 8; o + 4 <= b.byteLength; ) {
      const code = b.getUint16(o, le);
      const len = b.getUint16(o + 2, le);
      if (code === 0) break;
      if (o + 4 + len > b.byteLength) throw new SavefileError('option content is too large for the block');
      if (code === 9 && len === 1) {
        const v = b.getUint8(o + 4);
        iface.units = v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
      } else if (code === 14 && len === 8) {
        iface.offset = b.getBigInt64(o + 4, le);
      }
      o += 4 + len + ((4 - (len % 4)) % 4);
    }
    return iface;
  };

  // up to the first interface description: the file's link type and snapshot length
  for (;;) {
    const b = block();
    if (b === null) throw new SavefileError('the capture file has no Interface Description Blocks');
    if (b.type === PCAPNG_IDB) {
      ifaces.push(idb(b.body));
      break;
    }
    if (b.type === PCAPNG_EPB || b.type === PCAPNG_SPB || b.type === PCAPNG_PB) {
      throw new SavefileError('the capture file has a packet block before any Interface Description Blocks');
    }
  }
  const first = ifaces[0] as Iface;
  const file: NgFile = {
    linktype: first.linktype,
    snaplen: first.snaplen,
    *packets(): Generator<NgPacket> {
      for (;;) {
        const b = block();
        if (b === null) return;
        const v = b.body;
        let ifid = 0;
        let ts = 0n;
        let caplen: number;
        let orig: number;
        let dataAt: number;
        switch (b.type) {
          case PCAPNG_EPB:
          case PCAPNG_PB: {
            if (v.byteLength < 20) throw new SavefileError(`block in pcapng dump file has a length of ${v.byteLength + 12} < 32`);
            ifid = b.type === PCAPNG_EPB ? v.getUint32(0, le) : v.getUint16(0, le);
            ts = (BigInt(v.getUint32(4, le)) << 32n) | BigInt(v.getUint32(8, le));
            caplen = v.getUint32(12, le);
            orig = v.getUint32(16, le);
            dataAt = 20;
            break;
          }
          case PCAPNG_SPB: {
            if (v.byteLength < 4) throw new SavefileError(`block in pcapng dump file has a length of ${v.byteLength + 12} < 16`);
            orig = v.getUint32(0, le);
            caplen = Math.min(orig, first.snaplen || orig, v.byteLength - 4);
            dataAt = 4;
            break;
          }
          case PCAPNG_IDB: {
            const i = idb(v);
            if (i.linktype !== first.linktype) {
              throw new SavefileError(`an interface has a type ${i.linktype} different from the type of the first interface`);
            }
            if (i.snaplen !== first.snaplen) {
              throw new SavefileError(
                `an interface has a snapshot length ${i.snaplen} different from the snapshot length of the first interface`,
              );
            }
            ifaces.push(i);
            continue;
          }
          case PCAPNG_SHB:
            // a new section: its interfaces replace the old ones (same link type required)
            if (v.byteLength < 16 || v.getUint32(0, le) !== BYTE_ORDER_MAGIC) {
              throw new SavefileError('the file has a section with a different byte order');
            }
            ifaces.length = 0;
            continue;
          default:
            continue;
        }
        if (ifid >= ifaces.length) {
          throw new SavefileError(`a packet arrived on interface ${ifid}, but there's no Interface Description Block for that interface`);
        }
        if (caplen > MAXIMUM_SNAPLEN) {
          const snap = first.snaplen || MAXIMUM_SNAPLEN;
          throw new SavefileError(
            caplen > snap
              ? `invalid packet capture length ${caplen}, bigger than snaplen of ${snap}`
              : `invalid packet capture length ${caplen}, bigger than maximum of ${MAXIMUM_SNAPLEN}`,
          );
        }
        if (dataAt + caplen > v.byteLength) {
          throw new SavefileError(`corrupt pcapng file: block of ${v.byteLength + 12} bytes holds ${caplen} captured bytes`);
        }
        const iface = ifaces[ifid] as Iface;
        const sec = ts / iface.units + iface.offset;
        const frac = ts % iface.units;
        yield {
          tsNs: sec * 1_000_000_000n + (frac * 1_000_000_000n) / iface.units,
          ifid,
          data: b.raw.subarray(dataAt, dataAt + caplen),
          origLen: orig,
        };
      }
    },
  };
  return file;
}

export interface NgInterface {
  linktype: number;
  snaplen?: number;
  name?: string;
  /** Nanosecond timestamps (if_tsresol 9); microseconds otherwise. */
  nanosecond?: boolean;
}

/** A little-endian pcapng file: one section, its interfaces, then the packets as enhanced packet blocks. */
export function writePcapng(
  ifaces: readonly NgInterface[],
  packets: readonly { ifid: number; tsNs: bigint; data: Uint8Array; origLen?: number }[],
  stats?: readonly { ifid: number; tsNs: bigint; received: bigint; dropped: bigint }[],
): Uint8Array {
  const parts: Uint8Array[] = [];
  const push = (type: number, body: Uint8Array): void => {
    const pad = (4 - (body.length % 4)) % 4;
    const total = 12 + body.length + pad;
    const b = new Uint8Array(total);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, type, true);
    dv.setUint32(4, total, true);
    b.set(body, 8);
    dv.setUint32(total - 4, total, true);
    parts.push(b);
  };
  const opt = (code: number, val: Uint8Array): Uint8Array => {
    const pad = (4 - (val.length % 4)) % 4;
    const o = new Uint8Array(4 + val.length + pad);
    const dv = new DataView(o.buffer);
    dv.setUint16(0, code, true);
    dv.setUint16(2, val.length, true);
    o.set(val, 4);
    return o;
  };
  const cat = (xs: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
    let at = 0;
    for (const x of xs) {
      out.set(x, at);
      at += x.length;
    }
    return out;
  };
  const shb = new Uint8Array(16);
  const sdv = new DataView(shb.buffer);
  sdv.setUint32(0, BYTE_ORDER_MAGIC, true);
  sdv.setUint16(4, 1, true);
  sdv.setUint16(6, 0, true);
  sdv.setBigInt64(8, -1n, true);
  push(PCAPNG_SHB, shb);
  for (const i of ifaces) {
    const head = new Uint8Array(8);
    const dv = new DataView(head.buffer);
    dv.setUint16(0, i.linktype, true);
    dv.setUint32(4, i.snaplen ?? MAXIMUM_SNAPLEN, true);
    const opts: Uint8Array[] = [];
    if (i.name !== undefined) opts.push(opt(2, new TextEncoder().encode(i.name)));
    if (i.nanosecond) opts.push(opt(9, new Uint8Array([9])));
    if (opts.length) opts.push(opt(0, new Uint8Array(0)));
    push(PCAPNG_IDB, cat([head, ...opts]));
  }
  for (const p of packets) {
    const iface = ifaces[p.ifid];
    if (!iface) throw new RangeError(`writePcapng: no interface ${p.ifid}`);
    const ts = iface.nanosecond ? p.tsNs : p.tsNs / 1000n;
    const caplen = Math.min(p.data.length, iface.snaplen ?? MAXIMUM_SNAPLEN);
    const head = new Uint8Array(20);
    const dv = new DataView(head.buffer);
    dv.setUint32(0, p.ifid, true);
    dv.setUint32(4, Number(ts >> 32n) >>> 0, true);
    dv.setUint32(8, Number(ts & 0xffffffffn), true);
    dv.setUint32(12, caplen, true);
    dv.setUint32(16, Math.max(p.origLen ?? p.data.length, caplen), true);
    push(PCAPNG_EPB, cat([head, p.data.subarray(0, caplen)]));
  }
  for (const s of stats ?? []) {
    const iface = ifaces[s.ifid];
    if (!iface) throw new RangeError(`writePcapng: no interface ${s.ifid}`);
    const ts = iface.nanosecond ? s.tsNs : s.tsNs / 1000n;
    const head = new Uint8Array(12);
    const dv = new DataView(head.buffer);
    dv.setUint32(0, s.ifid, true);
    dv.setUint32(4, Number(ts >> 32n) >>> 0, true);
    dv.setUint32(8, Number(ts & 0xffffffffn), true);
    const u64 = (v: bigint): Uint8Array => {
      const b = new Uint8Array(8);
      new DataView(b.buffer).setBigUint64(0, v, true);
      return b;
    };
    // isb_ifrecv (4), isb_ifdrop (5)
    push(PCAPNG_ISB, cat([head, opt(4, u64(s.received)), opt(5, u64(s.dropped)), opt(0, new Uint8Array(0))]));
  }
  return cat(parts);
}
