// Shell patterns (case, ${x#pat}, [[ = ]]) to JavaScript regular expressions.
// Characters that came from quotes match only themselves.

export interface PatChar {
  readonly c: string;
  /** False when the character was quoted. */
  readonly active: boolean;
}

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
  word: '\\w',
};

const escRe = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** The regular expression source (no anchors) of a pattern. */
export function patternSource(chars: readonly PatChar[]): string {
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const { c, active } = chars[i] as PatChar;
    if (!active) {
      out += escRe(c);
      continue;
    }
    if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else if (c === '\\') {
      const n = chars[i + 1];
      if (n) {
        out += escRe(n.c);
        i++;
      } else out += '\\\\';
    } else if (c === '[') {
      const r = bracket(chars, i);
      if (r) {
        out += r.src;
        i = r.end;
      } else out += '\\[';
    } else out += escRe(c);
  }
  return out;
}

/** A bracket expression starting at chars[start] === '['; null if it does not close. */
function bracket(chars: readonly PatChar[], start: number): { src: string; end: number } | null {
  let i = start + 1;
  let neg = false;
  const at = (k: number): PatChar | undefined => chars[k];
  if (at(i)?.active && (at(i)?.c === '!' || at(i)?.c === '^')) {
    neg = true;
    i++;
  }
  let body = '';
  let first = true;
  for (;;) {
    const p = at(i);
    if (!p) return null;
    if (p.c === ']' && p.active && !first) break;
    first = false;
    if (p.active && p.c === '[' && at(i + 1)?.c === ':') {
      // [:class:]
      let j = i + 2;
      let name = '';
      while (at(j) && at(j)?.c !== ':') name += at(j++)?.c;
      if (at(j)?.c === ':' && at(j + 1)?.c === ']' && CLASSES[name] !== undefined) {
        body += CLASSES[name];
        i = j + 2;
        continue;
      }
    }
    let c = p.c;
    if (p.active && c === '\\' && at(i + 1)) {
      i++;
      c = (at(i) as PatChar).c;
    }
    const dash = at(i + 1);
    const hi = at(i + 2);
    if (dash && dash.c === '-' && hi && !(hi.c === ']' && hi.active)) {
      body += escClass(c) + '-' + escClass(hi.c);
      i += 3;
      continue;
    }
    body += escClass(c);
    i++;
  }
  if (body === '') return null;
  return { src: `[${neg ? '^' : ''}${body}]`, end: i };
}

const escClass = (c: string): string => c.replace(/[\\\]^[-]/g, '\\$&');

/** The pattern as an anchored RegExp; a malformed range matches nothing. */
export function patternRegex(chars: readonly PatChar[], flags = ''): RegExp {
  try {
    return new RegExp(`^(?:${patternSource(chars)})$`, flags);
  } catch {
    return /(?!)/;
  }
}

/** A plain string as pattern characters, all active (an unquoted pattern word). */
export function activeChars(s: string): PatChar[] {
  return [...s].map((c) => ({ c, active: true }));
}
