// Files hold bytes. The Vfs keeps a file's bytes as a byte string (one char per
// byte, 0-255, as latin1 reads them: V8 stores such a string in one byte per
// char); programs work with text. Text goes into a file UTF-8 encoded and comes
// out decoded; a byte that is not part of valid UTF-8 comes out as a lone
// surrogate U+DC80-U+DCFF and goes back in as the same byte, so binary data
// survives cat, redirections and tee unchanged.
import type { Net } from '../kernel/net_namespace.ts';
import type { OpenErrno, Vfs } from './proc.ts';

const ASCII = /^[\x00-\x7f]*$/;

/** Text to the bytes of its UTF-8 encoding (a byte string). */
export function utf8Encode(s: string): string {
  if (ASCII.test(s)) return s;
  const out: string[] = [];
  let run = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      run += s[i];
      continue;
    }
    if (c < 0x800) run += String.fromCharCode(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c >= 0xdc80 && c <= 0xdcff) run += String.fromCharCode(c - 0xdc00);
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      run += String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      // a lone surrogate has no UTF-8 form: U+FFFD, as an encoder writes it
      const v = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
      run += String.fromCharCode(0xe0 | (v >> 12), 0x80 | ((v >> 6) & 0x3f), 0x80 | (v & 0x3f));
    }
    if (run.length > 8192) {
      out.push(run);
      run = '';
    }
  }
  out.push(run);
  return out.join('');
}

/** A byte string's UTF-8 text; invalid bytes become U+DC80-U+DCFF. A string that is not bytes is returned as is. */
export function utf8Decode(b: string): string {
  if (ASCII.test(b)) return b;
  if (/[^\x00-\xff]/.test(b)) return b;
  const out: string[] = [];
  let run = '';
  const n = b.length;
  const cont = (k: number): number => {
    const x = k < n ? b.charCodeAt(k) : 0;
    return (x & 0xc0) === 0x80 ? x & 0x3f : -1;
  };
  for (let i = 0; i < n; ) {
    const c = b.charCodeAt(i);
    let cp = -1;
    let len = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c <= 0xdf) {
      const c1 = cont(i + 1);
      if (c1 >= 0) {
        cp = ((c & 0x1f) << 6) | c1;
        len = 2;
      }
    } else if (c >= 0xe0 && c <= 0xef) {
      const c1 = cont(i + 1);
      const c2 = cont(i + 2);
      const v = ((c & 0x0f) << 12) | (c1 << 6) | c2;
      if (c1 >= 0 && c2 >= 0 && v >= 0x800 && (v < 0xd800 || v > 0xdfff)) {
        cp = v;
        len = 3;
      }
    } else if (c >= 0xf0 && c <= 0xf4) {
      const c1 = cont(i + 1);
      const c2 = cont(i + 2);
      const c3 = cont(i + 3);
      const v = ((c & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (c1 >= 0 && c2 >= 0 && c3 >= 0 && v >= 0x10000 && v <= 0x10ffff) {
        cp = v;
        len = 4;
      }
    }
    if (cp < 0) run += String.fromCharCode(0xdc00 + c);
    else run += String.fromCodePoint(cp);
    i += len;
    if (run.length > 8192) {
      out.push(run);
      run = '';
    }
  }
  out.push(run);
  return out.join('');
}

/** The length of text's UTF-8 encoding, in bytes (what it takes in a file). */
export function utf8Length(s: string): number {
  let n = s.length;
  if (ASCII.test(s)) return n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xdc80 && c <= 0xdcff) n += 0;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** Linux's NAME_MAX and PATH_MAX. */
export const NAME_MAX = 255;
export const PATH_MAX = 4096;

/**
 * What the kernel makes of a path before it looks at any file: a C string ends
 * at its first NUL, and a component over NAME_MAX bytes or a path of PATH_MAX
 * bytes or more is ENAMETOOLONG.
 */
export function cPath(path: string): { path: string } | { errno: OpenErrno } {
  const nul = path.indexOf('\0');
  const p = nul >= 0 ? path.slice(0, nul) : path;
  if (p === '') return { errno: 'ENOENT' };
  if (utf8Length(p) >= PATH_MAX) return { errno: 'ENAMETOOLONG' };
  for (const part of p.split('/')) if (utf8Length(part) > NAME_MAX) return { errno: 'ENAMETOOLONG' };
  return { path: p };
}

/** strerror(3) of the errnos a file operation reports. */
export const FILE_ERRNO_TEXT = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENAMETOOLONG: 'File name too long',
  ENXIO: 'No such device or address',
  EFBIG: 'File too large',
  ELOOP: 'Too many levels of symbolic links',
  EINVAL: 'Invalid argument',
  EOVERFLOW: 'Value too large for defined data type',
  ENOMEM: 'Cannot allocate memory',
  ERANGE: 'Numerical result out of range',
  EIO: 'Input/output error',
  ENOSPC: 'No space left on device',
  EOPNOTSUPP: 'Operation not supported',
} as const;

/** A relative path without '.', '..' and repeated slashes, or null when it would leave its directory. */
export function normalizeRelative(path: string): string | null {
  if (path.startsWith('/')) return null;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return null;
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join('/');
}

/** Decodes UTF-8 that arrives in pieces: a character split between two pieces comes out whole. */
export class Utf8Stream {
  private rest = '';

  push(bytes: string): string {
    const b = this.rest + bytes;
    let cut = b.length;
    // an incomplete sequence at the end (at most 3 bytes) waits for the next piece
    for (let k = 1; k <= 3 && k <= b.length; k++) {
      const c = b.charCodeAt(b.length - k);
      if (c < 0x80) break;
      if (c >= 0xc0) {
        const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        if (need > k) cut = b.length - k;
        break;
      }
    }
    this.rest = b.slice(cut);
    return utf8Decode(b.slice(0, cut));
  }

  end(): string {
    const r = this.rest;
    this.rest = '';
    return utf8Decode(r);
  }
}

/** A file's bytes piece by piece (Vfs.readChunks where the Vfs streams), or why it cannot be read. */
export function fileChunks(vfs: Vfs, path: string, net?: Net): Iterable<string> | { errno: OpenErrno; size?: number } {
  if (vfs.readChunks) return vfs.readChunks(path, net);
  const r = vfs.readFile(path, net);
  return typeof r === 'string' ? [r] : r;
}

/** One byte as text: itself when ASCII, else the char that stands for that byte (printf '\\xff', $'\\351'). */
export const byteChar = (b: number): string => String.fromCharCode(b < 0x80 ? b : 0xdc00 + b);
