import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

// iptables-reject waits on TCP: tcp_v4_err must queue the ICMP error of a
// SYN_SENT socket owned by the user (6.18 calls ip_icmp_error unconditionally),
// tcp_poll must report POLLERR for a non-empty error queue, and SO_ERROR must
// fall back to sk_err_soft; until then nc times out instead of "Connection refused".
oracleSuite('netfilter', ['iptables-drop-icmp'], it, expect);
