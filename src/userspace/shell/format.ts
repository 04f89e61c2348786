// The text of bash's builtin echo and printf (builtins/echo.def, printf.def).
// Pure functions: output, error messages (without the `script: line N:` prefix)
// and exit status; the shell and the /usr/bin fallbacks print them.
import { byteChar } from '../fileio.ts';
import { formatFloat, formatInteger, pad, type Spec } from '../libc/printf.ts';

export interface FormatResult {
  out: string;
  errors: string[];
  status: number;
}

/** Backslash escapes of `echo -e` and printf's %b; stop is set at \c. */
function escapes(s: string, mode: 'echo' | 'b' | 'format'): { out: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[i + 1] as string;
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      e: '\x1b',
      E: '\x1b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
    };
    if (mode === 'format') Object.assign(simple, { '"': '"', "'": "'", '?': '?' });
    const m = simple[n];
    if (m !== undefined) {
      out += m;
      i++;
      continue;
    }
    if (n === 'c' && mode !== 'format') return { out, stop: true };
    if (n >= '0' && n <= '7') {
      // echo: only \0nnn; %b: \0nnn and \nnn; format: \nnn (the 0 counts as a digit)
      if (mode === 'echo' && n !== '0') {
        out += c;
        continue;
      }
      let j = i + 1;
      if (n === '0' && mode !== 'format') j++;
      const m2 = /^[0-7]{0,3}/.exec(s.slice(j, j + 3)) as RegExpExecArray;
      out += byteChar(parseInt(m2[0] || '0', 8) & 0xff);
      i = j + m2[0].length - 1;
      continue;
    }
    if (n === 'x') {
      const m2 = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2, i + 4));
      if (m2) {
        out += byteChar(parseInt(m2[0], 16));
        i += 1 + m2[0].length;
        continue;
      }
    }
    if (n === 'u' || n === 'U') {
      const m2 = new RegExp(`^[0-9a-fA-F]{1,${n === 'u' ? 4 : 8}}`).exec(s.slice(i + 2, i + 10));
      if (m2) {
        const cp = parseInt(m2[0], 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        i += 1 + m2[0].length;
        continue;
      }
    }
    out += c;
  }
  return { out, stop: false };
}

/** dash's builtin echo: -n only, escapes always. */
export function dashEcho(args: readonly string[]): string {
  const noNl = args[0] === '-n';
  const r = escapes((noNl ? args.slice(1) : args).join(' '), 'b');
  return r.out + (noNl || r.stop ? '' : '\n');
}

/** bash's builtin echo. */
export function echo(args: readonly string[]): string {
  let i = 0;
  let newline = true;
  let esc = false;
  for (; i < args.length; i++) {
    const a = args[i] as string;
    if (!/^-[neE]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') esc = true;
      else esc = false;
    }
  }
  const text = args.slice(i).join(' ');
  if (!esc) return text + (newline ? '\n' : '');
  const r = escapes(text, 'echo');
  return r.out + (newline && !r.stop ? '\n' : '');
}

const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

/** strtoimax() the way printf reads an integer argument. */
function parseInt64(a: string, errors: string[]): bigint {
  if (a === '') return 0n;
  if ((a[0] === "'" || a[0] === '"') && a.length > 1) return BigInt(a.codePointAt(1) as number);
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(a);
  if (!m) {
    errors.push(`${a}: invalid number`);
    return 0n;
  }
  const digits = m[2] as string;
  let v = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits[0] === '0' ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  if (m[1] === '-') v = -v;
  if (m[0].length !== a.length) {
    const rest = a.slice(m[0].length);
    if (/^[0-9]/.test(rest) && digits[0] === '0' && !/^0[xX]/.test(digits)) errors.push(`${a}: invalid octal number`);
    else errors.push(`${a}: invalid number`);
  } else if (v > I64_MAX || v < I64_MIN) {
    errors.push(`warning: ${a}: Numerical result out of range`);
    v = v > I64_MAX ? I64_MAX : I64_MIN;
  }
  return v;
}

function parseFloatArg(a: string, errors: string[]): number {
  if (a === '') return 0;
  if ((a[0] === "'" || a[0] === '"') && a.length > 1) return a.codePointAt(1) as number;
  const m = /^\s*[+-]?(inf(inity)?|nan|0[xX][0-9a-fA-F]+|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/i.exec(a);
  if (!m) {
    errors.push(`${a}: invalid number`);
    return 0;
  }
  if (m[0].length !== a.length) errors.push(`${a}: invalid number`);
  const t = m[0].trim().toLowerCase();
  if (t.includes('inf')) return t.startsWith('-') ? -Infinity : Infinity;
  if (t.includes('nan')) return NaN;
  if (/^[+-]?0x/.test(t)) return (t.startsWith('-') ? -1 : 1) * parseInt(t.replace(/^[+-]?0x/, ''), 16);
  return Number(t);
}

/** %a/%A: the one conversion only the shell's printf takes (awk has none). */
function fmtHexFloat(x: number, spec: Spec): string {
  const neg = x < 0 || Object.is(x, -0);
  if (!Number.isFinite(x)) return formatFloat(x, { ...spec, conv: spec.conv === 'A' ? 'E' : 'e' });
  const sign = neg ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  const body = Math.abs(x).toString(16);
  return pad(sign + (spec.conv === 'A' ? body.toUpperCase() : body), spec, true);
}

/** %q: the argument quoted so the shell reads it back as one word. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/[\x00-\x1f\x7f]/.test(s)) {
    const esc: Record<string, string> = {
      '\n': '\\n',
      '\t': '\\t',
      '\r': '\\r',
      '\x07': '\\a',
      '\b': '\\b',
      '\f': '\\f',
      '\v': '\\v',
      '\x1b': '\\E',
      "'": "\\'",
      '\\': '\\\\',
    };
    let out = "$'";
    for (const c of s) {
      const code = c.charCodeAt(0);
      out += esc[c] ?? (code < 0x20 || code === 0x7f ? '\\' + code.toString(8).padStart(3, '0') : c);
    }
    return out + "'";
  }
  return s.replace(/[^A-Za-z0-9_@%+=:,./-]/g, (c) => '\\' + c);
}

/** bash's builtin printf FORMAT [ARGS...] (after -v and -- are taken off). */
export function printf(format: string, args: readonly string[]): FormatResult {
  const errors: string[] = [];
  let out = '';
  let ai = 0;
  const next = (): string | undefined => (ai < args.length ? args[ai++] : undefined);
  for (;;) {
    const startAi = ai;
    let i = 0;
    while (i < format.length) {
      const c = format[i] as string;
      if (c === '\\') {
        // one escape of the format
        let j = i + 1;
        const n = format[j] ?? '';
        if (n >= '0' && n <= '7') {
          const m = /^[0-7]{1,3}/.exec(format.slice(j, j + 3)) as RegExpExecArray;
          j += m[0].length;
        } else if (n === 'x') {
          const m = /^[0-9a-fA-F]{1,2}/.exec(format.slice(j + 1, j + 3));
          j += 1 + (m ? m[0].length : 0);
        } else if (n === 'u' || n === 'U') {
          const m = new RegExp(`^[0-9a-fA-F]{1,${n === 'u' ? 4 : 8}}`).exec(format.slice(j + 1, j + 9));
          j += 1 + (m ? m[0].length : 0);
        } else j += 1;
        out += escapes(format.slice(i, j), 'format').out;
        i = j;
        continue;
      }
      if (c !== '%') {
        out += c;
        i++;
        continue;
      }
      if (format[i + 1] === '%') {
        out += '%';
        i += 2;
        continue;
      }
      // %[flags][width][.prec][length]conv
      let j = i + 1;
      let flags = '';
      while (j < format.length && "-+ #0'".includes(format[j] as string)) flags += format[j++];
      let width: number | null = null;
      if (format[j] === '*') {
        j++;
        width = Number(parseInt64(next() ?? '', errors));
        if (width < 0) {
          flags += '-';
          width = -width;
        }
      } else {
        const m = /^\d+/.exec(format.slice(j));
        if (m) {
          width = Number(m[0]);
          j += m[0].length;
        }
      }
      let prec: number | null = null;
      if (format[j] === '.') {
        j++;
        if (format[j] === '*') {
          j++;
          prec = Number(parseInt64(next() ?? '', errors));
          if (prec < 0) prec = null;
        } else {
          const m = /^\d*/.exec(format.slice(j)) as RegExpExecArray;
          prec = Number(m[0] || '0');
          j += m[0].length;
        }
      }
      while (j < format.length && 'hjlLtz'.includes(format[j] as string)) j++;
      const conv = format[j] ?? '';
      const spec: Spec = { flags, width, prec, conv };
      i = j + 1;
      switch (conv) {
        case 's': {
          let a = next() ?? '';
          if (prec !== null) a = a.slice(0, prec);
          out += pad(a, spec, false);
          break;
        }
        case 'b': {
          const r = escapes(next() ?? '', 'b');
          let a = r.out;
          if (prec !== null) a = a.slice(0, prec);
          out += pad(a, spec, false);
          if (r.stop) return { out, errors, status: errors.some((e) => !e.startsWith('warning')) ? 1 : 0 };
          break;
        }
        case 'q': {
          out += pad(shellQuote(next() ?? ''), spec, false);
          break;
        }
        case 'c': {
          const a = next() ?? '';
          out += pad(a ? ([...a][0] as string) : '', spec, false);
          break;
        }
        case 'd':
        case 'i':
        case 'o':
        case 'u':
        case 'x':
        case 'X':
          out += formatInteger(parseInt64(next() ?? '', errors), spec);
          break;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
        case 'a':
        case 'A':
          {
            const x = parseFloatArg(next() ?? '', errors);
            out += /[aA]/.test(spec.conv) ? fmtHexFloat(x, spec) : formatFloat(x, spec);
          }
          break;
        default:
          errors.push(conv === '' ? "`%': missing format character" : `\`${conv}': invalid format character`);
          return { out, errors, status: 1 };
      }
    }
    if (ai >= args.length || ai === startAi) break;
  }
  return { out, errors, status: errors.some((e) => !e.startsWith('warning')) ? 1 : 0 };
}
