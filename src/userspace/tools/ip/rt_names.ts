// lib/rt_names.c (iproute2 6.1) for routing tables: rtnl_rttable_initialize()
// reads CONFDIR/rt_tables, then every CONFDIR/rt_tables.d/*.conf, into a
// 256-bucket hash (id & 255) where a later entry goes in front; 6.1 knows
// only CONFDIR (/etc/iproute2), no /usr/share fallback. rtnl_rttable_n2a()
// and rtnl_rttable_a2n() look names and numbers up there.
import { utf8Decode } from '../../fileio.ts';
import type { Iproute2Run } from './common.ts';

const CONFDIR = '/etc/iproute2';
const RT_TABLE_MAX = 0xffffffff;

interface Entry {
  id: number;
  name: string;
}

/** rtnl_rttable_hash[256]: each bucket newest first. */
export type RtTables = Entry[][];

/** fread_id_name(): the next "ID NAME" line (0x hex or decimal), null at the end, or the corrupt line. */
function* idNames(text: string): Generator<Entry | { corrupt: string }> {
  for (const raw of text.split(/(?<=\n)/)) {
    const p = raw.replace(/^[ \t]+/, '');
    if (p === '' || p.startsWith('#') || p.startsWith('\n')) continue;
    // sscanf "0x%x %s" / "%d %s": a number, blanks or none, then a word
    const m = /^0x([0-9a-fA-F]+)\s*(\S+)/.exec(p) ?? /^([+-]?\d+)\s*(\S+)/.exec(p);
    if (!m) {
      yield { corrupt: p };
      return;
    }
    const hex = p.startsWith('0x') && /^0x[0-9a-fA-F]/.test(p);
    const id = hex ? Number.parseInt(m[1] as string, 16) | 0 : Number.parseInt(m[1] as string, 10) | 0;
    yield { id, name: m[2] as string };
  }
}

/** rtnl_hash_initialize(): a file's entries in front of their buckets; "Database … is corrupted" stops it. */
function hashInitialize(run: Iproute2Run, file: string, hash: RtTables): void {
  const r = run.ctx.world.vfs.readFile(file, run.net);
  if (typeof r !== 'string') return;
  for (const e of idNames(utf8Decode(r))) {
    if ('corrupt' in e) {
      // namebuf is the line as fgets() read it, its newline included
      run.err(`Database ${file} is corrupted at ${e.corrupt}\n`);
      return;
    }
    if (e.id < 0) continue;
    (hash[e.id & 255] as Entry[]).unshift({ id: e.id, name: e.name });
  }
}

/** rtnl_rttable_initialize() */
function rttableInitialize(run: Iproute2Run): RtTables {
  const hash: RtTables = Array.from({ length: 256 }, () => []);
  hash[253]?.push({ id: 253, name: 'default' });
  hash[254]?.push({ id: 254, name: 'main' });
  hash[255]?.push({ id: 255, name: 'local' });
  hashInitialize(run, `${CONFDIR}/rt_tables`, hash);
  const vfs = run.ctx.world.vfs;
  const names = vfs.readDir?.(`${CONFDIR}/rt_tables.d`, run.net);
  if (!names || !Array.isArray(names)) return hash;
  for (const n of names) {
    if (n.startsWith('.') || n.length <= 5 || !n.endsWith('.conf')) continue;
    hashInitialize(run, `${CONFDIR}/rt_tables.d/${n}`, hash);
  }
  return hash;
}

function tables(run: Iproute2Run): RtTables {
  const r = run as Iproute2Run & { rtTables?: RtTables };
  r.rtTables ??= rttableInitialize(run);
  return r.rtTables;
}

/** rtnl_rttable_n2a() */
export function rttableN2a(run: Iproute2Run, id: number, numeric: boolean): string {
  const e = tables(run)[id & 255]?.find((x) => x.id === id);
  return !numeric && e ? e.name : String(id >>> 0);
}

/** rtnl_rttable_a2n(): a name of the hash, else strtoul(arg, 0) up to RT_TABLE_MAX; null when neither. */
export function rttableA2n(run: Iproute2Run, arg: string): number | null {
  for (const bucket of tables(run)) {
    const e = bucket.find((x) => x.name === arg);
    if (e) return e.id >>> 0;
  }
  const m = /^\s*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(arg);
  if (!m) return null;
  const neg = arg.trim().startsWith('-');
  const s = m[1] as string;
  let v = /^0[xX]/.test(s)
    ? Number.parseInt(s.slice(2), 16)
    : s.length > 1 && s.startsWith('0')
      ? Number.parseInt(s, 8)
      : Number.parseInt(s, 10);
  if (neg) v = v === 0 ? 0 : 2 ** 64 - v;
  if (v > RT_TABLE_MAX) return null;
  return v;
}
