// util-linux dmesg: the kernel log ring buffer (shared by every namespace).
import type { Proc } from '../../sim/sched.ts';
import type { Command, ProcCtx } from '../proc.ts';

const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
const TRY = "Try 'dmesg --help' for more information.\n";

/** [%5ld.%06ld] of the time since boot. */
function stamp(ns: number): string {
  const us = Math.floor(ns / 1000);
  return `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}]`;
}

function* dmesg(ctx: ProcCtx): Proc {
  let clearAfter = false;
  let clearOnly = false;
  let noTime = false;
  let raw = false;
  let decode = false;
  let levels: Set<number> | null = null;
  const args = ctx.argv.slice(1);
  const bad = (msg: string): number => {
    ctx.stderr.write(`dmesg: ${msg}\n${TRY}`);
    return 1;
  };
  const parseLevels = (v: string): string | null => {
    levels = new Set();
    for (const name of v.split(',')) {
      const i = LEVELS.indexOf(name);
      if (i < 0) return name;
      levels.add(i);
    }
    return null;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--read-clear') clearAfter = true;
    else if (a === '--clear') clearOnly = true;
    else if (a === '--notime') noTime = true;
    else if (a === '--raw') raw = true;
    else if (a === '--decode') decode = true;
    else if (a === '--kernel') continue;
    else if (a === '--level' || a.startsWith('--level=')) {
      const v = a === '--level' ? args[++i] : a.slice(8);
      if (v === undefined) return bad("option '--level' requires an argument");
      const u = parseLevels(v);
      if (u !== null) {
        ctx.stderr.write(`dmesg: unknown level '${u}'\n`);
        return 1;
      }
    } else if (a.startsWith('--')) return bad(`unrecognized option '${a}'`);
    else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        if (c === 'c') clearAfter = true;
        else if (c === 'C') clearOnly = true;
        else if (c === 't') noTime = true;
        else if (c === 'r') raw = true;
        else if (c === 'x') decode = true;
        else if (c === 'k') continue;
        else if (c === 'l') {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) return bad("option requires an argument -- 'l'");
          const u = parseLevels(v);
          if (u !== null) {
            ctx.stderr.write(`dmesg: unknown level '${u}'\n`);
            return 1;
          }
          break;
        } else return bad(`invalid option -- '${c}'`);
      }
    } else return bad(`bad usage`);
  }
  const kmsg = ctx.net.kernel.kmsg;
  if (clearOnly) {
    kmsg.clear();
    return 0;
  }
  let out = '';
  for (const r of kmsg.read()) {
    if (levels && !(levels as Set<number>).has(r.level)) continue;
    const ts = noTime ? '' : `${stamp(r.ts)} `;
    if (raw) out += `<${r.level}>${ts}${r.text}\n`;
    else if (decode) out += `kern  :${(LEVELS[r.level] as string).padEnd(6)}: ${ts}${r.text}\n`;
    else out += `${ts}${r.text}\n`;
  }
  ctx.stdout.write(out);
  if (clearAfter) kmsg.clear();
  return 0;
}

export function registerDmesg(commands: Map<string, Command>): void {
  commands.set('dmesg', dmesg);
}
