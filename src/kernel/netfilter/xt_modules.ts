// The xtables modules built into this kernel (their module_init registers
// them): adding a match or target is one new file and one line here, as a
// Kconfig entry and a Makefile line are in Linux.
import { ct_tg } from './xt_CT.ts';
import { icmp_mt } from './ip_tables.ts';
import { reject_tg_reg } from './ipt_REJECT.ts';
import type { XtExtension } from './x_tables.ts';
import { addrtype_mt } from './xt_addrtype.ts';
import { comment_mt } from './xt_comment.ts';
import { connmark_mt, connmark_tg } from './xt_connmark.ts';
import { conntrack_mt } from './xt_conntrack.ts';
import { iprange_mt } from './xt_iprange.ts';
import { length_mt } from './xt_length.ts';
import { limit_mt } from './xt_limit.ts';
import { log_tg } from './xt_LOG.ts';
import { mark_mt, mark_tg } from './xt_mark.ts';
import { masquerade_tg } from './xt_MASQUERADE.ts';
import { multiport_mt } from './xt_multiport.ts';
import { physdev_mt } from './xt_physdev.ts';
import { dnat_tg, snat_tg } from './xt_nat.ts';
import { redirect_tg } from './xt_REDIRECT.ts';
import { state_mt } from './xt_state.ts';
import { tcp_mt, udp_mt } from './xt_tcpudp.ts';
import { ttl_mt } from './xt_hl.ts';

export const XT_MODULES: readonly XtExtension[] = [
  tcp_mt,
  udp_mt,
  icmp_mt,
  multiport_mt,
  comment_mt,
  mark_mt,
  length_mt,
  ttl_mt,
  iprange_mt,
  addrtype_mt,
  limit_mt,
  conntrack_mt,
  state_mt,
  connmark_mt,
  physdev_mt,
  reject_tg_reg,
  log_tg,
  mark_tg,
  snat_tg,
  dnat_tg,
  masquerade_tg,
  redirect_tg,
  ct_tg,
  connmark_tg,
] as unknown as readonly XtExtension[];
