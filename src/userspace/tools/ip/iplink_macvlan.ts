// ip/iplink_macvlan.c (iproute2 6.1): the options of `ip link add … type
// macvlan` (macvlan_parse_opt) and what `ip -d link` prints of one
// (macvlan_print_opt).
import type { IflaInfoData, LinkMsg } from '../../../kernel/uapi/rtnetlink.ts';
import {
  MACVLAN_FLAG_NODST,
  MACVLAN_FLAG_NOPROMISC,
  MACVLAN_MACADDR_ADD,
  MACVLAN_MACADDR_DEL,
  MACVLAN_MACADDR_FLUSH,
  MACVLAN_MACADDR_SET,
  MACVLAN_MODE_BRIDGE,
  MACVLAN_MODE_PASSTHRU,
  MACVLAN_MODE_PRIVATE,
  MACVLAN_MODE_SOURCE,
  MACVLAN_MODE_VEPA,
} from '../../../kernel/uapi/if_macvlan.ts';
import { getUnsigned, type Ip, IpExit, llAddrA2n, matches } from './common.ts';

/** print_explain() */
function explainText(id: string): string {
  return (
    `Usage: ... ${id} mode MODE [flag MODE_FLAG] MODE_OPTS [bcqueuelen BC_QUEUE_LEN]\n` +
    '\n' +
    'MODE: private | vepa | bridge | passthru | source\n' +
    'MODE_FLAG: null | nopromisc | nodst\n' +
    'MODE_OPTS: for mode "source":\n' +
    '\tmacaddr { { add | del } <macaddr> | set [ <macaddr> [ <macaddr>  ... ] ] | flush }\n' +
    'BC_QUEUE_LEN: Length of the rx queue for broadcast/multicast: [0-4294967295]\n'
  );
}

/** A parse_opt() that returned -1: `ip` exits 1. */
function fail(ip: Ip, msg: string): never {
  ip.err(msg);
  throw new IpExit(1);
}

/** macvlan_parse_opt(): the IFLA_MACVLAN_* attributes of the request. */
export function macvlanParseOpt(ip: Ip, argv: readonly string[], id = 'macvlan'): IflaInfoData {
  const d: IflaInfoData = {};
  let mode = 0;
  let flags = 0;
  let hasFlags = false;
  const explain = (): never => fail(ip, explainText(id));
  let i = 0;
  const next = (): string => {
    i++;
    if (i >= argv.length) ip.incomplete();
    return argv[i] as string;
  };
  const mac = (arg: string): Uint8Array | null => {
    const m = llAddrA2n(ip, arg, 6);
    return m && m.length === 6 ? new Uint8Array(m) : null;
  };
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (matches(a, 'mode')) {
      const v = next();
      if (v === 'private') mode = MACVLAN_MODE_PRIVATE;
      else if (v === 'vepa') mode = MACVLAN_MODE_VEPA;
      else if (v === 'bridge') mode = MACVLAN_MODE_BRIDGE;
      else if (v === 'passthru') mode = MACVLAN_MODE_PASSTHRU;
      else if (v === 'source') mode = MACVLAN_MODE_SOURCE;
      else fail(ip, `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"\n`);
    } else if (matches(a, 'flag')) {
      const v = next();
      if (v === 'nopromisc') flags |= MACVLAN_FLAG_NOPROMISC;
      else if (v === 'nodst') flags |= MACVLAN_FLAG_NODST;
      else if (v !== 'null') fail(ip, `Error: argument of "flag" must be "nopromisc", "nodst" or "null", not "${v}"\n`);
      hasFlags = true;
    } else if (matches(a, 'macaddr')) {
      const v = next();
      let macMode: number;
      if (v === 'add') macMode = MACVLAN_MACADDR_ADD;
      else if (v === 'del') macMode = MACVLAN_MACADDR_DEL;
      else if (v === 'set') macMode = MACVLAN_MACADDR_SET;
      else if (v === 'flush') macMode = MACVLAN_MACADDR_FLUSH;
      else return explain();
      d.IFLA_MACVLAN_MACADDR_MODE = macMode;
      if (macMode === MACVLAN_MACADDR_ADD || macMode === MACVLAN_MACADDR_DEL) {
        const m = mac(next());
        if (!m) throw new IpExit(1);
        d.IFLA_MACVLAN_MACADDR = m;
      }
      if (macMode === MACVLAN_MACADDR_SET) {
        const list: Uint8Array[] = [];
        while (i + 1 < argv.length) {
          const m = mac(argv[i + 1] as string);
          if (!m) break;
          i++;
          list.push(m);
        }
        d.IFLA_MACVLAN_MACADDR_DATA = list;
      }
    } else if (matches(a, 'nopromisc')) {
      flags |= MACVLAN_FLAG_NOPROMISC;
      hasFlags = true;
    } else if (matches(a, 'nodst')) {
      flags |= MACVLAN_FLAG_NODST;
      hasFlags = true;
    } else if (matches(a, 'bcqueuelen')) {
      const v = next();
      const n = getUnsigned(v);
      if (n === null) fail(ip, `Error: argument of "bcqueuelen" must be a positive integer [0-4294967295], not "${v}"\n`);
      d.IFLA_MACVLAN_BC_QUEUE_LEN = n;
    } else if (matches(a, 'help')) {
      explain();
    } else {
      fail(ip, `${id}: unknown option "${a}"?\n${explainText(id)}`);
    }
  }
  if (mode) d.IFLA_MACVLAN_MODE = mode;
  if (hasFlags) {
    if (flags & MACVLAN_FLAG_NOPROMISC && mode !== MACVLAN_MODE_PASSTHRU)
      fail(ip, `${id}: nopromisc flag only valid in passthru mode\n${explainText(id)}`);
    d.IFLA_MACVLAN_FLAGS = flags;
  }
  return d;
}

const MODE_NAMES: Record<number, string> = {
  [MACVLAN_MODE_PRIVATE]: 'private',
  [MACVLAN_MODE_VEPA]: 'vepa',
  [MACVLAN_MODE_BRIDGE]: 'bridge',
  [MACVLAN_MODE_PASSTHRU]: 'passthru',
  [MACVLAN_MODE_SOURCE]: 'source',
};

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/** macvlan_print_opt(): what `ip -d link` prints after "macvlan ". */
export function macvlanDetails(m: LinkMsg): string {
  const li = m.attrs.IFLA_LINKINFO;
  if (li?.IFLA_INFO_KIND !== 'macvlan' && li?.IFLA_INFO_KIND !== 'macvtap') return '';
  const d = li.IFLA_INFO_DATA;
  if (!d || d.IFLA_MACVLAN_MODE === undefined) return '';
  const mode = d.IFLA_MACVLAN_MODE;
  let s = `mode ${MODE_NAMES[mode] ?? 'unknown'} `;
  const flags = d.IFLA_MACVLAN_FLAGS ?? 0;
  if (flags & MACVLAN_FLAG_NOPROMISC) s += 'nopromisc ';
  if (flags & MACVLAN_FLAG_NODST) s += 'nodst ';
  if (d.IFLA_MACVLAN_BC_QUEUE_LEN !== undefined) s += `bcqueuelen ${d.IFLA_MACVLAN_BC_QUEUE_LEN} `;
  if (d.IFLA_MACVLAN_BC_QUEUE_LEN_USED !== undefined) s += `usedbcqueuelen ${d.IFLA_MACVLAN_BC_QUEUE_LEN_USED} `;
  if (mode !== MACVLAN_MODE_SOURCE || d.IFLA_MACVLAN_MACADDR_COUNT === undefined) return s;
  s += `remotes (${d.IFLA_MACVLAN_MACADDR_COUNT}) `;
  for (const a of d.IFLA_MACVLAN_MACADDR_DATA ?? []) s += `${[...a].map(hex2).join(':')} `;
  return s;
}
