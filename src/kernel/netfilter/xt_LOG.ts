// net/netfilter/xt_LOG.c: log_tg() hands the packet to nf_log (nf_log_syslog).
import { NFPROTO_IPV4 } from '../uapi/netfilter.ts';
import { XT_CONTINUE } from '../uapi/x_tables.ts';
import { nf_log_ip_packet } from './nf_log_syslog.ts';
import type { XtTarget } from './x_tables.ts';

export const log_tg: Readonly<XtTarget<'LOG'>> = {
  type: 'target',
  name: 'LOG',
  revision: 0,
  family: NFPROTO_IPV4,
  /** log_tg() → nf_log_packet(): off in a namespace other than init_net unless init_net's nf_log_all_netns is set; the packet goes on. */
  target(p, t) {
    nf_log_ip_packet(p.net, p.skb, p.state.in, p.state.out, t.level, t.flags, t.prefix ?? '');
    return XT_CONTINUE;
  },
};
