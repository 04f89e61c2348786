// net/ipv6/ip6_fib.c: the fib6 tables of a namespace (net->ipv6.fib6_*).
// v6route owns this file and fills it (fib6 trees, fib6_table_lookup, the
// tracepoint); v6core only names the per-namespace state it hangs on net.ipv6.
import type { Net } from '../net_namespace.ts';
import type { Fib6Info } from './route_types.ts';

/** The fib6 state of a namespace: its tables (RT6_TABLE_MAIN, RT6_TABLE_LOCAL …) by id. */
export class Fib6Net {
  /** The routes of each table, in insertion order (a first model; v6route replaces it with fib6 trees). */
  readonly tables = new Map<number, Fib6Info[]>();
  /** fib6_sernum: bumped on every change (cached routes recheck). */
  sernum = 1;

  constructor(readonly net: Net) {}
}

/** fib6_net_init(): net.ipv6.fib6, made on first use. */
export function fib6_net(net: Net): Fib6Net {
  let f = net.ipv6.fib6;
  if (!f) net.ipv6.fib6 = f = new Fib6Net(net);
  return f;
}
