// libipt_REJECT: --reject-with TYPE (and its short aliases).
import type { RejectWith } from '../../../kernel/uapi/x_tables.ts';
import { paramProblem } from './xshared.ts';
import type { TargetExt } from './xtables.ts';

const REJECT_TYPES: RejectWith[] = [
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-port-unreachable',
  'icmp-proto-unreachable',
  'icmp-net-prohibited',
  'icmp-host-prohibited',
  'icmp-admin-prohibited',
  'tcp-reset',
];
const REJECT_ALIASES: Record<string, RejectWith> = {
  'net-unreach': 'icmp-net-unreachable',
  'host-unreach': 'icmp-host-unreachable',
  'port-unreach': 'icmp-port-unreachable',
  'proto-unreach': 'icmp-proto-unreachable',
  'net-prohib': 'icmp-net-prohibited',
  'host-prohib': 'icmp-host-prohibited',
  'admin-prohib': 'icmp-admin-prohibited',
  'tcp-rst': 'tcp-reset',
};

export const libxt_REJECT: TargetExt<'REJECT'> = {
  type: 'target',
  name: 'REJECT',
  kind: 'REJECT',
  opts: [{ name: 'reject-with', has_arg: 1 }],
  init: () => ({ kind: 'REJECT', with: 'icmp-port-unreachable' }),
  parse(_opt, t, ctx) {
    const v = ctx.arg;
    const w = (REJECT_TYPES as string[]).includes(v) ? (v as RejectWith) : REJECT_ALIASES[v];
    if (!w) throw paramProblem(`unknown reject type "${v}"`);
    t.with = w;
  },
  print: (t) => ` reject-with ${t.with}`,
  save: (t) => ` -j REJECT --reject-with ${t.with}`,
};
