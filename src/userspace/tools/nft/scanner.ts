// nft's scanner (nftables 1.0.6 src/scanner.l) as a hand-written tokenizer:
// the same token classes (addresses, time strings, numbers, quoted and
// asterisk strings, identifiers), the longest match, `#` comments, `\`
// line continuations and the locations (line, first and last column) that
// error messages point at. Keywords are words: the parser decides what a word
// means where it stands, and names the token the way bison's messages do.

export interface Loc {
  /** The input's name as erec prints it: a file name, or '' for the command line. */
  file: string;
  /** The input's lines, to print the offending one. */
  lines: readonly string[];
  line: number;
  /** 1-based first and last column (bytes). */
  first: number;
  last: number;
  /** A location spanning lines ends on this line (printed as the first line only). */
  lastLine?: number;
}

export type TokKind = 'word' | 'num' | 'str' | 'qstr' | 'astr' | 'punct' | 'nl' | 'eof' | 'junk';

export interface Token {
  kind: TokKind;
  text: string;
  loc: Loc;
}

/** Words scanner.l knows in every start condition: they are keywords wherever they stand. */
export const KEYWORDS = new Set(
  (
    'eq ne le lt ge gt lshift rshift xor and or not vmap include define redefine undefine describe hook device devices ' +
    'table chain rule set element map flowtable handle ruleset socket tproxy accept drop continue jump goto return inet ' +
    'netdev add replace update create insert delete get list reset flush rename import export monitor position index ' +
    'comment constant interval dynamic auto-merge timeout gc-interval elements expires policy size flow offload meter ' +
    'counter log queue limit quota hour day reject snat dnat masquerade redirect random th bridge ether type typeof vlan ' +
    '8021ad 8021q arp ip ecn time icmp icmpv6 igmp ip6 priority ah esp comp flags udp udplite tcp dccp sctp rt rt0 rt2 ' +
    'srh hbh frag dst mh meta mark iif iifname iiftype oif oifname oiftype skuid skgid nftrace rtclassid ibriport ibrname ' +
    'obriport obrname pkttype cpu iifgroup oifgroup cgroup ct numgen jhash symhash dup fwd fib osf synproxy notrack all ' +
    'exists missing exthdr ipsec secmark xt'
  ).split(' '),
);

const PUNCT2 = ['==', '!=', '<=', '>=', '<<', '>>'];
const PUNCT1 = '<>,.:;{}()^&|!/-*@$=[]+';

const isDigit = (c: string) => c >= '0' && c <= '9';
const isHex = (c: string) => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/** Length of an IPv4 address at s[i], or 0. */
function ip4Len(s: string, i: number): number {
  let j = i;
  for (let part = 0; part < 4; part++) {
    let n = 0;
    while (n < 3 && isDigit(s[j + n] ?? '')) n++;
    if (n === 0) return 0;
    j += n;
    if (part < 3) {
      if (s[j] !== '.') return 0;
      j++;
    }
  }
  return j - i;
}

/**
 * Length of the longest IPv6 address at s[i] as scanner.l's patterns match
 * one (hex groups of 1-4 digits, at most one `::`, 8 groups in all, an IPv4
 * tail after `::ffff:` or `::`), or 0.
 */
function ip6Len(s: string, i: number): number {
  let best = 0;
  // try every prefix end: walk groups and remember valid stops
  const groups: number[] = [];
  let j = i;
  let dbl = false;
  let count = 0;
  const valid = (end: number, n: number, hasDbl: boolean) => {
    if ((hasDbl && n <= 7) || (!hasDbl && n === 8)) best = Math.max(best, end - i);
  };
  if (s[j] === ':' && s[j + 1] === ':') {
    dbl = true;
    j += 2;
    valid(j, 0, true);
    // ::a.b.c.d (rfc4291)
    const v4 = ip4Len(s, j);
    if (v4) valid(j + v4, 1, true);
  }
  for (;;) {
    let n = 0;
    while (n < 4 && isHex(s[j + n] ?? '')) n++;
    if (n === 0) break;
    if (isHex(s[j + n] ?? '')) break;
    j += n;
    count++;
    groups.push(j);
    if (count > 8) break;
    valid(j, count, dbl);
    if (s[j] === ':' && s[j + 1] === ':' && !dbl) {
      dbl = true;
      j += 2;
      valid(j, count, true);
      continue;
    }
    if (s[j] === ':' && s[j + 1] !== ':') {
      // ::ffff:a.b.c.d
      if (dbl && count === 1 && /^ffff$/i.test(s.slice(j - 4, j)) && s[j - 5] === ':') {
        const v4 = ip4Len(s, j + 1);
        if (v4) valid(j + 1 + v4, 2, true);
      }
      j++;
      continue;
    }
    break;
  }
  return best;
}

/** Length of a MAC address (six 1-2 digit hex groups) at s[i], or 0. */
function macLen(s: string, i: number): number {
  let j = i;
  for (let g = 0; g < 6; g++) {
    let n = 0;
    while (n < 2 && isHex(s[j + n] ?? '')) n++;
    if (n === 0) return 0;
    j += n;
    if (g < 5) {
      if (s[j] !== ':') return 0;
      j++;
    }
  }
  return j - i;
}

/** {timestring}: ([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)? — longest non-empty match. */
function timeLen(s: string, i: number): number {
  let j = i;
  let best = 0;
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    let n = 0;
    while (isDigit(s[j + n] ?? '')) n++;
    if (n === 0) continue;
    if (s.startsWith(unit, j + n)) {
      // "5m" followed by "s" is minutes then nothing: 'ms' is its own unit
      if (unit === 'm' && s[j + n + 1] === 's') continue;
      j += n + unit.length;
      best = j - i;
    }
  }
  return best;
}

function stringLen(s: string, i: number): number {
  const c = s[i] ?? '';
  if (!(isLetter(c) || c === '_' || c === '.')) return 0;
  let j = i + 1;
  for (;;) {
    const d = s[j] ?? '';
    if (isLetter(d) || isDigit(d) || d === '/' || d === '-' || d === '_' || d === '.') j++;
    else break;
  }
  return j - i;
}

export function tokenize(text: string, file: string): Token[] {
  const lines = text.split('\n');
  const toks: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const n = text.length;
  const push = (kind: TokKind, start: number, end: number, value?: string) => {
    toks.push({
      kind,
      text: value ?? text.slice(start, end),
      loc: { file, lines, line, first: start - lineStart + 1, last: Math.max(end - lineStart, start - lineStart + 1) },
    });
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === '\n') {
      push('nl', i, i + 1);
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      lineStart = i;
      continue;
    }
    if (c === '#') {
      // a comment line (only blanks before it) eats its newline
      const onlyBlanks = /^[ \t]*$/.test(text.slice(lineStart, i));
      while (i < n && text[i] !== '\n') i++;
      if (onlyBlanks && i < n) {
        i++;
        line++;
        lineStart = i;
      }
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end >= 0) {
        // a quoted string may span lines
        const body = text.slice(i + 1, end);
        push('qstr', i, end + 1, body);
        const nls = body.split('\n').length - 1;
        if (nls) {
          line += nls;
          lineStart = text.lastIndexOf('\n', end) + 1;
        }
        i = end + 1;
        continue;
      }
      push('junk', i, i + 1);
      i++;
      continue;
    }
    // the longest of the token classes starting here
    const cands: [TokKind, number][] = [];
    const a = Math.max(macLen(text, i), ip4Len(text, i), ip6Len(text, i));
    if (a) cands.push(['str', a]);
    if (text[i] === '[') {
      const l6 = ip6Len(text, i + 1);
      if (l6 && text[i + 1 + l6] === ']') cands.push(['str', l6 + 2]);
    }
    const t = timeLen(text, i);
    if (t) cands.push(['str', t]);
    if (isDigit(c)) {
      let j = i;
      if (c === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && isHex(text[i + 2] ?? '')) {
        j = i + 2;
        while (isHex(text[j] ?? '')) j++;
      } else while (isDigit(text[j] ?? '')) j++;
      cands.push(['num', j - i]);
      // {classid}/[ \t\n:\-},]
      const m = /^[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}/.exec(text.slice(i, i + 9));
      if (m && /^[ \t\n:\-},]/.test(text[i + m[0].length] ?? '')) cands.push(['str', m[0].length]);
    } else if (isHex(c)) {
      const m = /^[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}/.exec(text.slice(i, i + 9));
      if (m && /^[ \t\n:\-},]/.test(text[i + m[0].length] ?? '')) cands.push(['str', m[0].length]);
    }
    let sl = stringLen(text, i);
    // "." alone is the DOT rule, which comes before {string}
    if (sl === 1 && c === '.') sl = 0;
    if (sl) {
      // {asteriskstring}: string*
      if (text[i + sl] === '*') cands.push(['astr', sl + 1]);
      else if (text[i + sl] === '\\' && text[i + sl + 1] === '*') {
        const more = stringLen(text, i + sl + 2);
        cands.push(['astr', sl + 2 + more]);
      }
      cands.push(['word', sl]);
    }
    if (c === '\\' && text[i + 1] === '*') cands.push(['astr', 2]);
    if (cands.length) {
      // longest wins; on a tie the earlier rule (addresses, time, number, classid, asterisk, string)
      let best = cands[0] as [TokKind, number];
      for (const k of cands) if (k[1] > best[1]) best = k;
      let [kind, len] = best;
      let value = text.slice(i, i + len);
      if (kind === 'str' && value.startsWith('[')) value = value.slice(1, -1);
      // a word that only the string pattern matched is an identifier (or keyword)
      if (kind === 'word' && sl !== len) kind = 'str';
      push(kind, i, i + len, value);
      i += len;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      push('punct', i, i + 2);
      i += 2;
      continue;
    }
    if (PUNCT1.includes(c)) {
      push('punct', i, i + 1);
      i++;
      continue;
    }
    push('junk', i, i + 1);
    i++;
  }
  // <<EOF>>: one past the end
  toks.push({ kind: 'eof', text: '', loc: { file, lines, line, first: i - lineStart + 1, last: i - lineStart + 1 } });
  return toks;
}

/** How bison names the token in "unexpected X" / "expecting X". */
export function tokenName(t: Token): string {
  switch (t.kind) {
    case 'nl':
      return 'newline';
    case 'eof':
      return 'end of file';
    case 'num':
      return 'number';
    case 'qstr':
      return 'quoted string';
    case 'astr':
      return 'string with a trailing asterisk';
    case 'str':
      return 'string';
    case 'junk':
      return 'junk';
    case 'word':
      return KEYWORDS.has(t.text) ? t.text : 'string';
    case 'punct':
      return PUNCT_NAMES[t.text] ?? `'${t.text}'`;
  }
}

const PUNCT_NAMES: Record<string, string> = {
  ';': 'semicolon',
  ',': 'comma',
  ':': 'colon',
  '.': '.',
  '==': '==',
  '!=': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
  '<<': '<<',
  '>>': '>>',
  '&': '&',
  '^': '^',
  '!': '!',
  '/': '/',
  '*': '*',
  '-': '-',
  '@': '@',
};
