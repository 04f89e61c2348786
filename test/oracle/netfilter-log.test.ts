// The LOG target's lines in the kernel log (dmesg), recorded on this machine
// with init_net's net.netfilter.nf_log_all_netns set so namespaces may log.
// nf-log-errors' trace misses two kfree_skb lines Linux writes at
// skb_release_data when a reassembled skb whose tail fragment could not be
// coalesced into the head (skb_try_coalesce: no tailroom) is consumed.
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('netfilter LOG', ['nf-log', 'nf-log-errors'], it, expect);
