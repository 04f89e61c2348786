// ip/iptuntap.c (iproute2 6.1): `ip tuntap add|del|show|list|lst|help`. Adding
// opens /dev/net/tun, TUNSETIFF with IFF_TUN_EXCL, TUNSETOWNER/GROUP and
// TUNSETPERSIST 1, and closes it: the device stays, with no process holding
// it. Deleting attaches (creating the device if there is none) and drops
// IFF_PERSIST: the close takes the device away. `show` dumps links of kind
// "tun" and reads each one's tun_flags, owner and group from sysfs.
import {
  IFF_MULTI_QUEUE,
  IFF_NO_PI,
  IFF_NOFILTER,
  IFF_ONE_QUEUE,
  IFF_PERSIST,
  IFF_TAP,
  IFF_TUN,
  IFF_TUN_EXCL,
  IFF_VNET_HDR,
  open_tun,
  TUN_TYPE_MASK,
  tun_close,
  tun_fds,
  tun_ioctl,
} from '../../../kernel/uapi/if_tun.ts';
import { utf8Decode } from '../../fileio.ts';
import { type Ip, IpExit, matches, rtnlDumpLinks, strerror, validIfname } from './common.ts';

const USAGE = `Usage: ip tuntap { add | del | show | list | lst | help } [ dev PHYS_DEV ]
       [ mode { tun | tap } ] [ user USER ] [ group GROUP ]
       [ one_queue ] [ pi ] [ vnet_hdr ] [ multi_queue ] [ name NAME ]

Where: USER  := { STRING | NUMBER }
       GROUP := { STRING | NUMBER }
`;

/** Debian 12's base-passwd users and groups (getpwnam/getgrnam/getpwuid/getgrgid on a fresh system). */
export const PASSWD: ReadonlyMap<string, number> = new Map([
  ['root', 0],
  ['daemon', 1],
  ['bin', 2],
  ['sys', 3],
  ['sync', 4],
  ['games', 5],
  ['man', 6],
  ['lp', 7],
  ['mail', 8],
  ['news', 9],
  ['uucp', 10],
  ['proxy', 13],
  ['www-data', 33],
  ['backup', 34],
  ['list', 38],
  ['irc', 39],
  ['_apt', 42],
  ['nobody', 65534],
]);
export const GROUPS: ReadonlyMap<string, number> = new Map([
  ['root', 0],
  ['daemon', 1],
  ['bin', 2],
  ['sys', 3],
  ['adm', 4],
  ['tty', 5],
  ['disk', 6],
  ['lp', 7],
  ['mail', 8],
  ['news', 9],
  ['uucp', 10],
  ['man', 12],
  ['proxy', 13],
  ['kmem', 15],
  ['dialout', 20],
  ['fax', 21],
  ['voice', 22],
  ['cdrom', 24],
  ['floppy', 25],
  ['tape', 26],
  ['sudo', 27],
  ['audio', 29],
  ['dip', 30],
  ['www-data', 33],
  ['backup', 34],
  ['operator', 37],
  ['list', 38],
  ['irc', 39],
  ['src', 40],
  ['shadow', 42],
  ['utmp', 43],
  ['video', 44],
  ['sasl', 45],
  ['plugdev', 46],
  ['staff', 50],
  ['games', 60],
  ['users', 100],
  ['nogroup', 65534],
]);

function usage(ip: Ip): never {
  ip.err(USAGE);
  throw new IpExit(255);
}

/** `**argv && (strtol(*argv, &end, 10), !*end)`: a whole decimal number. */
function number(s: string): number | null {
  if (!/^\s*[+-]?\d+$/.test(s)) return null;
  const v = Number.parseInt(s, 10);
  return v >>> 0;
}

interface Req {
  name: string;
  flags: number;
  uid: number;
  gid: number;
}

/** parse_args(): null after "You failed to specify a tunnel mode" (return -1). */
function parseArgs(ip: Ip, argv: readonly string[], add: boolean): Req | null {
  const r: Req = { name: '', flags: IFF_NO_PI, uid: -1, gid: -1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const next = (): string => {
      i++;
      if (i >= argv.length) ip.incomplete();
      return argv[i] as string;
    };
    if (matches(a, 'mode')) {
      const m = next();
      if (matches(m, 'tun')) {
        if (r.flags & IFF_TAP) ip.fail('You managed to ask for more than one tunnel mode.', 255);
        r.flags |= IFF_TUN;
      } else if (matches(m, 'tap')) {
        if (r.flags & IFF_TUN) ip.fail('You managed to ask for more than one tunnel mode.', 255);
        r.flags |= IFF_TAP;
      } else ip.fail(`Unknown tunnel mode "${m}"`, 255);
    } else if (add && matches(a, 'user')) {
      const u = next();
      const n = number(u) ?? PASSWD.get(u);
      if (n === undefined) ip.fail(`invalid user "${u}"`, 255);
      r.uid = n;
    } else if (add && matches(a, 'group')) {
      const g = next();
      const n = number(g) ?? GROUPS.get(g);
      if (n === undefined) ip.fail(`invalid group "${g}"`, 255);
      r.gid = n;
    } else if (matches(a, 'pi')) r.flags &= ~IFF_NO_PI;
    else if (matches(a, 'one_queue')) r.flags |= IFF_ONE_QUEUE;
    else if (matches(a, 'vnet_hdr')) r.flags |= IFF_VNET_HDR;
    else if (matches(a, 'multi_queue')) r.flags |= IFF_MULTI_QUEUE;
    else if (matches(a, 'dev')) {
      const d = next();
      if (!validIfname(d)) ip.invarg('"dev" not a valid ifname', d);
      r.name = d;
    } else {
      let n = a;
      if (matches(a, 'name')) n = next();
      else if (matches(a, 'help')) usage(ip);
      if (r.name) ip.duparg2('name', n);
      if (!validIfname(n)) ip.invarg('"name" not a valid ifname', n);
      r.name = n;
    }
  }
  if (!(r.flags & TUN_TYPE_MASK)) {
    ip.err('You failed to specify a tunnel mode\n');
    return null;
  }
  return r;
}

/** tap_add_ioctl() / tap_del_ioctl(): perror() of the call that failed, -1. */
function tapIoctl(ip: Ip, r: Req, add: boolean): number {
  const fd = open_tun(ip.net);
  const fail = (call: string, err: number): number => {
    ip.err(`ioctl(${call}): ${strerror(-err)}\n`);
    tun_close(fd);
    return 1;
  };
  const ifr = { name: r.name, flags: add ? r.flags | IFF_TUN_EXCL : r.flags };
  let err = tun_ioctl(fd, { cmd: 'TUNSETIFF', ifr });
  if (err) return fail('TUNSETIFF', err);
  if (add && r.uid !== -1) {
    err = tun_ioctl(fd, { cmd: 'TUNSETOWNER', arg: r.uid });
    if (err) return fail('TUNSETOWNER', err);
  }
  if (add && r.gid !== -1) {
    err = tun_ioctl(fd, { cmd: 'TUNSETGROUP', arg: r.gid });
    if (err) return fail('TUNSETGROUP', err);
  }
  err = tun_ioctl(fd, { cmd: 'TUNSETPERSIST', arg: add ? 1 : 0 });
  if (err) return fail('TUNSETPERSIST', err);
  tun_close(fd);
  return 0;
}

/** print_flags() */
function printFlags(flags: number): string {
  let s = '';
  if (flags & IFF_TUN) s += ' tun';
  if (flags & IFF_TAP) s += ' tap';
  if (!(flags & IFF_NO_PI)) s += ' pi';
  if (flags & IFF_ONE_QUEUE) s += ' one_queue';
  if (flags & IFF_MULTI_QUEUE) s += ' multi_queue';
  if (flags & IFF_VNET_HDR) s += ' vnet_hdr';
  if (flags & IFF_PERSIST) s += ' persist';
  if (!(flags & IFF_NOFILTER)) s += ' filter';
  const rest = flags & ~(IFF_TUN | IFF_TAP | IFF_NO_PI | IFF_ONE_QUEUE | IFF_MULTI_QUEUE | IFF_VNET_HDR | IFF_PERSIST | IFF_NOFILTER);
  if (rest) s += ` 0x${rest.toString(16)}`;
  return s;
}

/** read_prop(): /sys/class/net/NAME/PROP as a number (strtol base 0); null when it cannot be read. */
function readProp(ip: Ip, name: string, prop: string): number | null {
  const r = ip.ctx.world.vfs.readFile(`/sys/class/net/${name}/${prop}`, ip.net);
  if (typeof r !== 'string') return null;
  const t = utf8Decode(r).trim();
  const v = t.startsWith('0x') ? Number.parseInt(t.slice(2), 16) : Number.parseInt(t, 10);
  return Number.isNaN(v) ? null : v;
}

/** do_show() → print_tuntap() for each link of kind "tun"; -d adds the processes holding it. */
function doShow(ip: Ip): number {
  for (const m of rtnlDumpLinks(ip.net, { kind: 'tun' })) {
    const t = m.ifi.ifi_type;
    if (t !== 0xfffe && t !== 1) continue; // ARPHRD_NONE, ARPHRD_ETHER
    if (m.attrs.IFLA_LINKINFO?.IFLA_INFO_KIND !== 'tun') continue;
    const name = m.attrs.IFLA_IFNAME ?? '';
    const flags = readProp(ip, name, 'tun_flags');
    const owner = readProp(ip, name, 'owner');
    const group = readProp(ip, name, 'group');
    if (flags === null || owner === null || group === null) continue;
    let s = `${name}:${printFlags(flags)}`;
    if (owner !== -1) s += ` user ${owner}`;
    if (group !== -1) s += ` group ${group}`;
    if (ip.opts.details) {
      // show_processes(): every /proc/PID/fd/N that is /dev/net/tun with "iff:\tNAME" in its fdinfo
      s += `${ip.SL}\tAttached to processes:`;
      for (const p of tun_fds(ip.net)) if (p.iff === name) s += `${p.comm}(${p.pid})`;
    }
    ip.out(`${s}\n`);
  }
  return 0;
}

/** do_iptuntap() */
export function doIptuntap(ip: Ip, argv: readonly string[]): number {
  const cmd = argv[0];
  if (cmd === undefined) return doShow(ip);
  const rest = argv.slice(1);
  if (matches(cmd, 'add')) {
    const r = parseArgs(ip, rest, true);
    return r ? tapIoctl(ip, r, true) : 1;
  }
  if (matches(cmd, 'delete')) {
    const r = parseArgs(ip, rest, false);
    return r ? tapIoctl(ip, r, false) : 1;
  }
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return doShow(ip);
  if (matches(cmd, 'help')) usage(ip);
  ip.fail(`Command "${cmd}" is unknown, try "ip tuntap help".`, 255);
}
