// The nf_tables netlink interface (include/uapi/linux/netfilter/nf_tables.h,
// nfnetlink's batches) as iptables-nft uses it: rules carry xtables matches
// and targets (nft_compat) in the info-struct shapes of ./x_tables.ts.
// A batch is one transaction: messages are applied in order; a message's
// negative errno means the batch is to be aborted, and nothing changes.
import type { Net } from '../net_namespace.ts';
import {
  nf_tables_abort,
  nf_tables_commit,
  nf_tables_dump,
  nf_tables_msg,
  nfnl_batch_begin as begin,
  type NftTrans,
} from '../netfilter/nf_tables_api.ts';
import type { RuleSpec } from './x_tables.ts';

export type NftMsg =
  /** NFT_MSG_NEWTABLE */
  | { type: 'NEWTABLE'; table: string }
  /** The flush iptables-restore does: every rule, the user chains, the policies back to ACCEPT. */
  | { type: 'FLUSHTABLE'; table: string }
  /** NFT_MSG_NEWCHAIN: creates the chain (a base chain when its name is one of the table's hooks); with a policy, sets it and gives the chain counters. */
  | { type: 'NEWCHAIN'; table: string; chain: string; policy?: number; counters?: [number, number] }
  | { type: 'DELCHAIN'; table: string; chain: string }
  /** NFT_MSG_NEWCHAIN with NFTA_CHAIN_HANDLE and a new name. */
  | { type: 'RENAMECHAIN'; table: string; chain: string; name: string }
  /**
   * NFT_MSG_NEWRULE: before `position` (a rule handle) or at the head; with `append`, after it or at the end;
   * with `replace`, in place of that rule (NLM_F_REPLACE).
   */
  | {
      type: 'NEWRULE';
      table: string;
      chain: string;
      spec: RuleSpec;
      append: boolean;
      position?: number;
      replace?: number;
      counters?: [number, number];
    }
  /** NFT_MSG_DELRULE: one rule by handle, or all of a chain (or of the table when no chain is named). */
  | { type: 'DELRULE'; table: string; chain?: string; handle?: number }
  /** NFT_MSG_GETRULE_RESET and the chains' counters. */
  | { type: 'RESETCOUNTERS'; table: string; chain?: string };

export interface NftRuleInfo {
  handle: number;
  spec: RuleSpec;
  pcnt: number;
  bcnt: number;
}

export interface NftChainInfo {
  name: string;
  /** NF_INET_* of a base chain, -1 for a user chain. */
  hook: number;
  policy: number;
  /** The base chain has counters (NFTA_CHAIN_COUNTERS). */
  counters: boolean;
  pcnt: number;
  bcnt: number;
  /** chain->use: rules that jump or go to it. */
  use: number;
  rules: NftRuleInfo[];
}

export interface NftTableInfo {
  name: string;
  /** In creation order. */
  chains: NftChainInfo[];
}

/** An open batch (NFNL_MSG_BATCH_BEGIN); opaque to its user. */
export type NfnlBatch = NftTrans;

export function nfnl_batch_begin(net: Net): NfnlBatch {
  return begin(net);
}

/** One message of the batch: 0 or a negative errno. */
export function nfnl_batch_send(b: NfnlBatch, msg: NftMsg): number {
  return nf_tables_msg(b, msg);
}

/** NFNL_MSG_BATCH_END: commit. */
export function nfnl_batch_end(b: NfnlBatch): void {
  nf_tables_commit(b);
}

export function nfnl_batch_abort(b: NfnlBatch): void {
  nf_tables_abort(b);
}

/** The chains and rules of a table (null when the kernel has no such table), as the batch sees them. */
export function nft_dump_table(net: Net, table: string): NftTableInfo | null {
  return nf_tables_dump(net, table);
}
