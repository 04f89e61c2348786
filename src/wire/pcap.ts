// Classic libpcap savefile (pcap-savefile(5)):
//
// global header, 24 bytes:        record header, 16 bytes, then incl_len bytes:
//   u32 magic 0xa1b2c3d4 (usec)     u32 ts_sec
//         or 0xa1b23c4d (nsec)      u32 ts_usec (ts_nsec for the nsec magic)
//   u16 version_major 2             u32 incl_len   bytes saved
//   u16 version_minor 4             u32 orig_len   bytes on the wire
//   i32 thiszone 0
//   u32 sigfigs 0
//   u32 snaplen
//   u32 linktype (1 = EN10MB)
//
// The writer emits microsecond little-endian files, as tcpdump does on x86.
// The reader takes either byte order and either resolution.

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
export const PCAP_VERSION_MAJOR = 2;
export const PCAP_VERSION_MINOR = 4;
export const PCAP_SNAPLEN = 262144;
export const LINKTYPE_ETHERNET = 1;
export const PCAP_GLOBAL_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

const G = {
  MAGIC: 0,
  VERSION_MAJOR: 4,
  VERSION_MINOR: 6,
  THISZONE: 8,
  SIGFIGS: 12,
  SNAPLEN: 16,
  LINKTYPE: 20,
} as const;

const R = {
  TS_SEC: 0,
  TS_FRAC: 4,
  INCL_LEN: 8,
  ORIG_LEN: 12,
} as const;

export interface PcapHeader {
  littleEndian: boolean;
  /** True for the nanosecond magic. */
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  thiszone: number;
  sigfigs: number;
  snaplen: number;
  linktype: number;
}

export interface PcapRecord {
  tsSec: number;
  /** Microseconds, or nanoseconds in a nanosecond file. */
  tsFrac: number;
  /** The timestamp in nanoseconds. */
  tsNs: bigint;
  inclLen: number;
  origLen: number;
  /** The saved bytes, a view into the file. */
  data: Uint8Array;
}

export type PcapErrorCode = 'truncated-header' | 'bad-magic' | 'truncated-record' | 'bad-record-length';

export interface PcapError {
  code: PcapErrorCode;
  /** Byte offset in the file where reading stopped. */
  offset: number;
  message: string;
}

export interface PcapReadResult {
  header: PcapHeader | null;
  /** Every record read before an error, if any. */
  records: PcapRecord[];
  error: PcapError | null;
}

/**
 * Reads a whole savefile. Never throws: on bad input it returns what it
 * read so far and an error.
 */
export function readPcap(bytes: Uint8Array): PcapReadResult {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: PcapRecord[] = [];
  if (bytes.length < PCAP_GLOBAL_HEADER_LEN) {
    return {
      header: null,
      records,
      error: { code: 'truncated-header', offset: 0, message: `file has ${bytes.length} bytes, less than a 24-byte header` },
    };
  }
  const magicLe = dv.getUint32(G.MAGIC, true);
  const magicBe = dv.getUint32(G.MAGIC, false);
  let le: boolean;
  let nanosecond: boolean;
  if (magicLe === PCAP_MAGIC_USEC || magicLe === PCAP_MAGIC_NSEC) {
    le = true;
    nanosecond = magicLe === PCAP_MAGIC_NSEC;
  } else if (magicBe === PCAP_MAGIC_USEC || magicBe === PCAP_MAGIC_NSEC) {
    le = false;
    nanosecond = magicBe === PCAP_MAGIC_NSEC;
  } else {
    const hex = magicBe.toString(16).padStart(8, '0');
    return { header: null, records, error: { code: 'bad-magic', offset: 0, message: `bad magic 0x${hex}` } };
  }
  const header: PcapHeader = {
    littleEndian: le,
    nanosecond,
    versionMajor: dv.getUint16(G.VERSION_MAJOR, le),
    versionMinor: dv.getUint16(G.VERSION_MINOR, le),
    thiszone: dv.getInt32(G.THISZONE, le),
    sigfigs: dv.getUint32(G.SIGFIGS, le),
    snaplen: dv.getUint32(G.SNAPLEN, le),
    linktype: dv.getUint32(G.LINKTYPE, le),
  };
  // libpcap refuses a record larger than this as a corrupt file.
  const maxLen = Math.max(header.snaplen, PCAP_SNAPLEN);
  const fracNs = nanosecond ? 1n : 1000n;
  let off = PCAP_GLOBAL_HEADER_LEN;
  while (off < bytes.length) {
    if (off + PCAP_RECORD_HEADER_LEN > bytes.length) {
      const have = bytes.length - off;
      return { header, records, error: { code: 'truncated-record', offset: off, message: `truncated record header: ${have} of 16 bytes` } };
    }
    const tsSec = dv.getUint32(off + R.TS_SEC, le);
    const tsFrac = dv.getUint32(off + R.TS_FRAC, le);
    const inclLen = dv.getUint32(off + R.INCL_LEN, le);
    const origLen = dv.getUint32(off + R.ORIG_LEN, le);
    if (inclLen > maxLen) {
      return {
        header,
        records,
        error: { code: 'bad-record-length', offset: off, message: `record length ${inclLen} larger than ${maxLen}` },
      };
    }
    const start = off + PCAP_RECORD_HEADER_LEN;
    if (start + inclLen > bytes.length) {
      const have = bytes.length - start;
      return {
        header,
        records,
        error: { code: 'truncated-record', offset: off, message: `truncated record: ${have} of ${inclLen} bytes` },
      };
    }
    records.push({
      tsSec,
      tsFrac,
      tsNs: BigInt(tsSec) * 1_000_000_000n + BigInt(tsFrac) * fracNs,
      inclLen,
      origLen,
      data: bytes.subarray(start, start + inclLen),
    });
    off = start + inclLen;
  }
  return { header, records, error: null };
}

export interface PcapWriterOptions {
  snaplen?: number;
  linktype?: number;
}

/** Accumulates a microsecond little-endian savefile in memory; one writer per capture. */
export class PcapWriter {
  readonly snaplen: number;
  readonly linktype: number;
  private buf: Uint8Array;
  private len = 0;
  private count = 0;

  constructor(opts: PcapWriterOptions = {}) {
    this.snaplen = opts.snaplen ?? PCAP_SNAPLEN;
    this.linktype = opts.linktype ?? LINKTYPE_ETHERNET;
    this.buf = new Uint8Array(4096);
    const dv = this.reserve(PCAP_GLOBAL_HEADER_LEN);
    dv.setUint32(G.MAGIC, PCAP_MAGIC_USEC, true);
    dv.setUint16(G.VERSION_MAJOR, PCAP_VERSION_MAJOR, true);
    dv.setUint16(G.VERSION_MINOR, PCAP_VERSION_MINOR, true);
    dv.setInt32(G.THISZONE, 0, true);
    dv.setUint32(G.SIGFIGS, 0, true);
    dv.setUint32(G.SNAPLEN, this.snaplen, true);
    dv.setUint32(G.LINKTYPE, this.linktype, true);
  }

  /** Records in the file so far. */
  get recordCount(): number {
    return this.count;
  }

  /**
   * Appends a frame seen at `tsNs` nanoseconds (truncated to microseconds),
   * cut to the snaplen; `origLen` defaults to the frame's length.
   */
  write(tsNs: number | bigint, frame: Uint8Array, origLen = frame.length): void {
    const ns = typeof tsNs === 'bigint' ? (tsNs < 0n ? 0n : tsNs) : BigInt(Math.max(0, Math.floor(tsNs)));
    const incl = Math.min(frame.length, this.snaplen);
    const at = this.len;
    const dv = this.reserve(PCAP_RECORD_HEADER_LEN + incl);
    dv.setUint32(R.TS_SEC, Number((ns / 1_000_000_000n) & 0xffffffffn), true);
    dv.setUint32(R.TS_FRAC, Number((ns % 1_000_000_000n) / 1000n), true);
    dv.setUint32(R.INCL_LEN, incl, true);
    dv.setUint32(R.ORIG_LEN, Math.max(origLen, incl) >>> 0, true);
    this.buf.set(frame.subarray(0, incl), at + PCAP_RECORD_HEADER_LEN);
    this.count++;
  }

  /** The file so far, a view; later writes do not change the bytes it covers. */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  /** Claims `n` bytes at the end, growing the buffer, and returns a view of them. */
  private reserve(n: number): DataView {
    if (this.len + n > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.len + n) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + this.len, n);
    this.len += n;
    return dv;
  }
}
