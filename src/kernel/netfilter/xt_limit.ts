// net/netfilter/xt_limit.c: the token bucket, refilled per jiffy.
import type { Net } from '../net_namespace.ts';
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { type MatchSpec, XT_LIMIT_SCALE } from '../uapi/x_tables.ts';
import type { XtMatch } from './x_tables.ts';

/** CREDITS_PER_JIFFY for the kernel's HZ. */
function creditsPerJiffy(net: Net): number {
  const maxCpj = Math.floor(0xffffffff / (net.kernel.HZ * 60 * 60 * 24));
  let cpj = 1;
  while (cpj * 2 <= maxCpj) cpj *= 2;
  return cpj;
}

/** user2credits() */
function user2credits(net: Net, user: number): number {
  const HZ = net.kernel.HZ;
  const cpj = creditsPerJiffy(net);
  if (user > Math.floor(0xffffffff / (HZ * cpj))) return Math.floor(user / XT_LIMIT_SCALE) * HZ * cpj;
  return Math.floor((user * HZ * cpj) / XT_LIMIT_SCALE);
}

/** limit_mt_check(): the bucket starts full (kept in the kernel's copy of the info, as r->master). */
function limit_init(net: Net, m: MatchSpec & { name: 'limit' }): void {
  const credit = user2credits(net, m.avg * m.burst);
  m.state = { credit, creditCap: credit, cost: user2credits(net, m.avg), prev: net.kernel.jiffies() };
}

export const limit_mt: Readonly<XtMatch<'limit'>> = {
  type: 'match',
  name: 'limit',
  revision: 0,
  family: NFPROTO_IPV4,
  checkentry(par, m) {
    limit_init(par.net, m);
    return 0;
  },
  /** limit_mt() */
  match(p, m) {
    if (!m.state) limit_init(p.net, m);
    const st = m.state as NonNullable<typeof m.state>;
    const now = p.net.kernel.jiffies();
    st.credit += ((now - st.prev) >>> 0) * creditsPerJiffy(p.net);
    st.prev = now;
    if (st.credit > st.creditCap) st.credit = st.creditCap;
    if (st.credit >= st.cost) {
      st.credit -= st.cost;
      return true;
    }
    return false;
  },
};
