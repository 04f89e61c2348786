// The nf_tables netlink interface: include/uapi/linux/netfilter/nf_tables.h
// (Linux 6.18) as plain objects. A message is one nfnetlink message of an
// NFNL_SUBSYS_NFTABLES batch: `type` names its NFT_MSG_*, `family` is the
// nfgenmsg's nfgen_family (NFPROTO_*), `nlFlags` its NLM_F_* flags, and the
// other fields are its NFTA_* attributes in lowerCamelCase (NFTA_CHAIN_HOOK ->
// hook, NFTA_SET_KEY_TYPE -> keyType); an absent attribute is an absent field.
// Expressions are NFTA_EXPR_NAME + NFTA_EXPR_DATA: `{ name: 'payload', ... }`
// with that expression's NFTA_<EXPR>_* attributes.
//
// Data (NFTA_DATA_VALUE, set keys, cmp operands) crosses as Uint8Array, byte
// for byte as the kernel keeps it: packet fields in network byte order,
// host-order values (meta mark, iif, ct mark, ...) little-endian as on x86_64.
// Registers are numbered as in netlink: NFT_REG_VERDICT, NFT_REG_1..4 (16
// bytes each) or NFT_REG32_00..15 (4 bytes each; NFT_REG_1 is NFT_REG32_00
// .. _03). Numbers not given here (NFT_PAYLOAD_*, NFT_META_*, NFT_CT_*) are
// the header's: see the constants below.
//
// A batch (NFNL_MSG_BATCH_BEGIN .. END) is one transaction: every message is
// checked and applied to the transaction as nf_tables_api.c does; a message's
// error does not stop the batch (the kernel reports every failing message, as
// nft shows each one), but the whole batch is then aborted at its end.
//
// iptables-nft's compat messages (NftMsg with RuleSpec, at the end of this
// file) are the same interface seen through nft_compat's xt structures.
import type { Net } from '../net_namespace.ts';
import {
  type NftSubscriber,
  type NftTransaction,
  nf_tables_batch_abort,
  nf_tables_batch_begin,
  nf_tables_batch_end,
  nf_tables_batch_msg,
  nf_tables_getchain,
  nf_tables_getgen,
  nf_tables_getobj,
  nf_tables_getrule,
  nf_tables_getset,
  nf_tables_getsetelem,
  nf_tables_gettable,
  nf_tables_subscribe,
  nf_tables_unsubscribe,
} from '../netfilter/nf_tables_api.ts';
import {
  nf_tables_abort,
  nf_tables_commit,
  nf_tables_dump,
  nf_tables_msg,
  nfnl_batch_begin as begin,
  type NftTrans,
} from '../netfilter/nft_compat.ts';
import type { MatchSpec, RuleSpec, TargetSpec } from './x_tables.ts';

// ---------------------------------------------------------------- constants

export const NFT_NAME_MAXLEN = 256;
export const NFT_TABLE_MAXNAMELEN = NFT_NAME_MAXLEN;
export const NFT_CHAIN_MAXNAMELEN = NFT_NAME_MAXLEN;
export const NFT_SET_MAXNAMELEN = NFT_NAME_MAXLEN;
export const NFT_OBJ_MAXNAMELEN = NFT_NAME_MAXLEN;
export const NFT_USERDATA_MAXLEN = 256;

/** enum nft_registers */
export const NFT_REG_VERDICT = 0;
export const NFT_REG_1 = 1;
export const NFT_REG_2 = 2;
export const NFT_REG_3 = 3;
export const NFT_REG_4 = 4;
export const NFT_REG32_00 = 8;
export const NFT_REG32_15 = 23;
export const NFT_REG_SIZE = 16;
export const NFT_REG32_SIZE = 4;
export const NFT_REG32_COUNT = 16;
/** include/net/netfilter/nf_tables.h: NFT_REG32_NUM, the register file in 32-bit words (verdict included). */
export const NFT_REG32_NUM = 20;
/** include/net/netfilter/nf_tables.h: how deep jumps may nest. */
export const NFT_JUMP_STACK_SIZE = 16;

/** enum nft_verdicts (they share their numbers with NF_* verdicts). */
export const NFT_CONTINUE = -1;
export const NFT_BREAK = -2;
export const NFT_JUMP = -3;
export const NFT_GOTO = -4;
export const NFT_RETURN = -5;

/** NLM_F_* of a request (include/uapi/linux/netlink.h). */
export const NLM_F_ECHO = 0x08;
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
export const NLM_F_NONREC = 0x100;

/** enum nf_tables_msg_types, with 6.18's numbers. */
export const NFT_MSG = {
  NFT_MSG_NEWTABLE: 0,
  NFT_MSG_GETTABLE: 1,
  NFT_MSG_DELTABLE: 2,
  NFT_MSG_NEWCHAIN: 3,
  NFT_MSG_GETCHAIN: 4,
  NFT_MSG_DELCHAIN: 5,
  NFT_MSG_NEWRULE: 6,
  NFT_MSG_GETRULE: 7,
  NFT_MSG_DELRULE: 8,
  NFT_MSG_NEWSET: 9,
  NFT_MSG_GETSET: 10,
  NFT_MSG_DELSET: 11,
  NFT_MSG_NEWSETELEM: 12,
  NFT_MSG_GETSETELEM: 13,
  NFT_MSG_DELSETELEM: 14,
  NFT_MSG_NEWGEN: 15,
  NFT_MSG_GETGEN: 16,
  NFT_MSG_TRACE: 17,
  NFT_MSG_NEWOBJ: 18,
  NFT_MSG_GETOBJ: 19,
  NFT_MSG_DELOBJ: 20,
  NFT_MSG_GETOBJ_RESET: 21,
  NFT_MSG_NEWFLOWTABLE: 22,
  NFT_MSG_GETFLOWTABLE: 23,
  NFT_MSG_DELFLOWTABLE: 24,
  NFT_MSG_GETRULE_RESET: 25,
  NFT_MSG_DESTROYTABLE: 26,
  NFT_MSG_DESTROYCHAIN: 27,
  NFT_MSG_DESTROYRULE: 28,
  NFT_MSG_DESTROYSET: 29,
  NFT_MSG_DESTROYSETELEM: 30,
  NFT_MSG_DESTROYOBJ: 31,
  NFT_MSG_DESTROYFLOWTABLE: 32,
  NFT_MSG_GETSETELEM_RESET: 33,
} as const;
export type NftMsgType = keyof typeof NFT_MSG;

/** enum nft_table_flags */
export const NFT_TABLE_F_DORMANT = 0x1;
export const NFT_TABLE_F_OWNER = 0x2;
export const NFT_TABLE_F_PERSIST = 0x4;

/** enum nft_chain_flags */
export const NFT_CHAIN_BASE = 1 << 0;
export const NFT_CHAIN_HW_OFFLOAD = 1 << 1;
export const NFT_CHAIN_BINDING = 1 << 2;

/** enum nft_set_flags */
export const NFT_SET_ANONYMOUS = 0x1;
export const NFT_SET_CONSTANT = 0x2;
export const NFT_SET_INTERVAL = 0x4;
export const NFT_SET_MAP = 0x8;
export const NFT_SET_TIMEOUT = 0x10;
export const NFT_SET_EVAL = 0x20;
export const NFT_SET_OBJECT = 0x40;
export const NFT_SET_CONCAT = 0x80;
export const NFT_SET_EXPR = 0x100;

/** enum nft_set_policies */
export const NFT_SET_POL_PERFORMANCE = 0;
export const NFT_SET_POL_MEMORY = 1;

/** enum nft_set_elem_flags */
export const NFT_SET_ELEM_INTERVAL_END = 0x1;
export const NFT_SET_ELEM_CATCHALL = 0x2;

/** enum nft_data_types: NFTA_SET_DATA_TYPE of a verdict map. */
export const NFT_DATA_VALUE = 0;
export const NFT_DATA_VERDICT = 0xffffff00;
export const NFT_DATA_VALUE_MAXLEN = 64;

/** enum nft_bitwise_ops */
export const NFT_BITWISE_MASK_XOR = 0;
export const NFT_BITWISE_LSHIFT = 1;
export const NFT_BITWISE_RSHIFT = 2;
export const NFT_BITWISE_AND = 3;
export const NFT_BITWISE_OR = 4;
export const NFT_BITWISE_XOR = 5;

/** enum nft_byteorder_ops */
export const NFT_BYTEORDER_NTOH = 0;
export const NFT_BYTEORDER_HTON = 1;

/** enum nft_cmp_ops */
export const NFT_CMP_EQ = 0;
export const NFT_CMP_NEQ = 1;
export const NFT_CMP_LT = 2;
export const NFT_CMP_LTE = 3;
export const NFT_CMP_GT = 4;
export const NFT_CMP_GTE = 5;

/** enum nft_range_ops */
export const NFT_RANGE_EQ = 0;
export const NFT_RANGE_NEQ = 1;

/** enum nft_lookup_flags */
export const NFT_LOOKUP_F_INV = 1 << 0;

/** enum nft_dynset_ops / nft_dynset_flags */
export const NFT_DYNSET_OP_ADD = 0;
export const NFT_DYNSET_OP_UPDATE = 1;
export const NFT_DYNSET_OP_DELETE = 2;
export const NFT_DYNSET_F_INV = 1 << 0;
export const NFT_DYNSET_F_EXPR = 1 << 1;

/** enum nft_payload_bases */
export const NFT_PAYLOAD_LL_HEADER = 0;
export const NFT_PAYLOAD_NETWORK_HEADER = 1;
export const NFT_PAYLOAD_TRANSPORT_HEADER = 2;
export const NFT_PAYLOAD_INNER_HEADER = 3;
export const NFT_PAYLOAD_TUN_HEADER = 4;
/** enum nft_payload_csum_types / flags */
export const NFT_PAYLOAD_CSUM_NONE = 0;
export const NFT_PAYLOAD_CSUM_INET = 1;
export const NFT_PAYLOAD_CSUM_SCTP = 2;
export const NFT_PAYLOAD_L4CSUM_PSEUDOHDR = 1 << 0;

/** enum nft_exthdr_flags / nft_exthdr_op */
export const NFT_EXTHDR_F_PRESENT = 1 << 0;
export const NFT_EXTHDR_OP_IPV6 = 0;
export const NFT_EXTHDR_OP_TCPOPT = 1;
export const NFT_EXTHDR_OP_IPV4 = 2;
export const NFT_EXTHDR_OP_SCTP = 3;
export const NFT_EXTHDR_OP_DCCP = 4;

/** enum nft_meta_keys */
export const NFT_META_LEN = 0;
export const NFT_META_PROTOCOL = 1;
export const NFT_META_PRIORITY = 2;
export const NFT_META_MARK = 3;
export const NFT_META_IIF = 4;
export const NFT_META_OIF = 5;
export const NFT_META_IIFNAME = 6;
export const NFT_META_OIFNAME = 7;
export const NFT_META_IIFTYPE = 8;
export const NFT_META_OIFTYPE = 9;
export const NFT_META_SKUID = 10;
export const NFT_META_SKGID = 11;
export const NFT_META_NFTRACE = 12;
export const NFT_META_RTCLASSID = 13;
export const NFT_META_SECMARK = 14;
export const NFT_META_NFPROTO = 15;
export const NFT_META_L4PROTO = 16;
export const NFT_META_BRI_IIFNAME = 17;
export const NFT_META_BRI_OIFNAME = 18;
export const NFT_META_PKTTYPE = 19;
export const NFT_META_CPU = 20;
export const NFT_META_IIFGROUP = 21;
export const NFT_META_OIFGROUP = 22;
export const NFT_META_CGROUP = 23;
export const NFT_META_PRANDOM = 24;
export const NFT_META_SECPATH = 25;
export const NFT_META_IIFKIND = 26;
export const NFT_META_OIFKIND = 27;
export const NFT_META_BRI_IIFPVID = 28;
export const NFT_META_BRI_IIFVPROTO = 29;
export const NFT_META_TIME_NS = 30;
export const NFT_META_TIME_DAY = 31;
export const NFT_META_TIME_HOUR = 32;
export const NFT_META_SDIF = 33;
export const NFT_META_SDIFNAME = 34;
export const NFT_META_BRI_BROUTE = 35;

/** enum nft_rt_keys */
export const NFT_RT_CLASSID = 0;
export const NFT_RT_NEXTHOP4 = 1;
export const NFT_RT_NEXTHOP6 = 2;
export const NFT_RT_TCPMSS = 3;
export const NFT_RT_XFRM = 4;

/** enum nft_hash_types */
export const NFT_HASH_JENKINS = 0;
export const NFT_HASH_SYM = 1;

/** enum nft_ct_keys */
export const NFT_CT_STATE = 0;
export const NFT_CT_DIRECTION = 1;
export const NFT_CT_STATUS = 2;
export const NFT_CT_MARK = 3;
export const NFT_CT_SECMARK = 4;
export const NFT_CT_EXPIRATION = 5;
export const NFT_CT_HELPER = 6;
export const NFT_CT_L3PROTOCOL = 7;
export const NFT_CT_SRC = 8;
export const NFT_CT_DST = 9;
export const NFT_CT_PROTOCOL = 10;
export const NFT_CT_PROTO_SRC = 11;
export const NFT_CT_PROTO_DST = 12;
export const NFT_CT_LABELS = 13;
export const NFT_CT_PKTS = 14;
export const NFT_CT_BYTES = 15;
export const NFT_CT_AVGPKT = 16;
export const NFT_CT_ZONE = 17;
export const NFT_CT_EVENTMASK = 18;
export const NFT_CT_SRC_IP = 19;
export const NFT_CT_DST_IP = 20;
export const NFT_CT_SRC_IP6 = 21;
export const NFT_CT_DST_IP6 = 22;
export const NFT_CT_ID = 23;

/** The ct state bits nft compares with (NF_CT_STATE_BIT(ctinfo), NF_CT_STATE_INVALID_BIT, NF_CT_STATE_UNTRACKED_BIT). */
export const NF_CT_STATE_INVALID_BIT = 1 << 0;
export const NF_CT_STATE_ESTABLISHED_BIT = 1 << 1;
export const NF_CT_STATE_RELATED_BIT = 1 << 2;
export const NF_CT_STATE_NEW_BIT = 1 << 3;
export const NF_CT_STATE_UNTRACKED_BIT = 1 << 6;

/** enum nft_limit_type / nft_limit_flags */
export const NFT_LIMIT_PKTS = 0;
export const NFT_LIMIT_PKT_BYTES = 1;
export const NFT_LIMIT_F_INV = 1 << 0;

/** enum nft_connlimit_flags */
export const NFT_CONNLIMIT_F_INV = 1 << 0;

/** enum nft_quota_flags */
export const NFT_QUOTA_F_INV = 1 << 0;
export const NFT_QUOTA_F_DEPLETED = 1 << 1;

/** enum nft_log_level */
export const NFT_LOGLEVEL_EMERG = 0;
export const NFT_LOGLEVEL_WARNING = 4;
export const NFT_LOGLEVEL_AUDIT = 8;
/** NF_LOG_* flags of NFTA_LOG_FLAGS (nf_log.h) */
export const NF_LOG_TCPSEQ = 0x01;
export const NF_LOG_TCPOPT = 0x02;
export const NF_LOG_IPOPT = 0x04;
export const NF_LOG_UID = 0x08;
export const NF_LOG_MACDECODE = 0x20;
export const NF_LOG_MASK = 0x2f;

/** NFT_QUEUE_FLAG_* */
export const NFT_QUEUE_FLAG_BYPASS = 0x01;
export const NFT_QUEUE_FLAG_CPU_FANOUT = 0x02;

/** enum nft_reject_types / nft_reject_inet_code */
export const NFT_REJECT_ICMP_UNREACH = 0;
export const NFT_REJECT_TCP_RST = 1;
export const NFT_REJECT_ICMPX_UNREACH = 2;
export const NFT_REJECT_ICMPX_NO_ROUTE = 0;
export const NFT_REJECT_ICMPX_PORT_UNREACH = 1;
export const NFT_REJECT_ICMPX_HOST_UNREACH = 2;
export const NFT_REJECT_ICMPX_ADMIN_PROHIBITED = 3;

/** enum nft_nat_types */
export const NFT_NAT_SNAT = 0;
export const NFT_NAT_DNAT = 1;

/** enum nft_fib_result / nft_fib_flags */
export const NFT_FIB_RESULT_UNSPEC = 0;
export const NFT_FIB_RESULT_OIF = 1;
export const NFT_FIB_RESULT_OIFNAME = 2;
export const NFT_FIB_RESULT_ADDRTYPE = 3;
export const NFTA_FIB_F_SADDR = 1 << 0;
export const NFTA_FIB_F_DADDR = 1 << 1;
export const NFTA_FIB_F_MARK = 1 << 2;
export const NFTA_FIB_F_IIF = 1 << 3;
export const NFTA_FIB_F_OIF = 1 << 4;
export const NFTA_FIB_F_PRESENT = 1 << 5;

/** enum nft_ng_types */
export const NFT_NG_INCREMENTAL = 0;
export const NFT_NG_RANDOM = 1;

/** enum nft_socket_keys */
export const NFT_SOCKET_TRANSPARENT = 0;
export const NFT_SOCKET_MARK = 1;
export const NFT_SOCKET_WILDCARD = 2;
export const NFT_SOCKET_CGROUPV2 = 3;

/** NFT_OBJECT_* */
export const NFT_OBJECT_UNSPEC = 0;
export const NFT_OBJECT_COUNTER = 1;
export const NFT_OBJECT_QUOTA = 2;
export const NFT_OBJECT_CT_HELPER = 3;
export const NFT_OBJECT_LIMIT = 4;
export const NFT_OBJECT_CONNLIMIT = 5;
export const NFT_OBJECT_TUNNEL = 6;
export const NFT_OBJECT_CT_TIMEOUT = 7;
export const NFT_OBJECT_SECMARK = 8;
export const NFT_OBJECT_CT_EXPECT = 9;
export const NFT_OBJECT_SYNPROXY = 10;

/** enum nft_trace_types */
export const NFT_TRACETYPE_UNSPEC = 0;
export const NFT_TRACETYPE_POLICY = 1;
export const NFT_TRACETYPE_RETURN = 2;
export const NFT_TRACETYPE_RULE = 3;

/** nfnetlink groups (include/uapi/linux/netfilter/nfnetlink.h). */
export const NFNLGRP_NFTABLES = 7;
export const NFNLGRP_NFTRACE = 9;

// ----------------------------------------------------------------- data

/** NFTA_DATA_VERDICT: NFTA_VERDICT_CODE (NF_ACCEPT, NF_DROP, NF_QUEUE | num << 16, NFT_*), NFTA_VERDICT_CHAIN. */
export interface NftVerdict {
  code: number;
  chain?: string;
}

/** struct nft_data: a value (NFTA_DATA_VALUE) or a verdict (NFTA_DATA_VERDICT). */
export type NftData = { value: Uint8Array } | { verdict: NftVerdict };

// ----------------------------------------------------------------- expressions

/** NFTA_IMMEDIATE_*: a value into a register, or a verdict into NFT_REG_VERDICT. */
export type NftImmediateExpr = { name: 'immediate'; dreg: number; data: NftData };
/** NFTA_PAYLOAD_*: load (dreg) or store (sreg, with the checksum to fix). */
export type NftPayloadExpr =
  | { name: 'payload'; base: number; offset: number; len: number; dreg: number }
  | {
      name: 'payload';
      base: number;
      offset: number;
      len: number;
      sreg: number;
      csumType?: number;
      csumOffset?: number;
      csumFlags?: number;
    };
/** NFTA_META_*: get (dreg) or set (sreg: mark, priority, nftrace, pkttype, secmark). */
export type NftMetaExpr = { name: 'meta'; key: number; dreg: number } | { name: 'meta'; key: number; sreg: number };
/** NFTA_CT_*: get (dreg, with dir for the tuple keys) or set (sreg: mark, zone, ...). */
export type NftCtExpr = { name: 'ct'; key: number; dir?: number; dreg: number } | { name: 'ct'; key: number; dir?: number; sreg: number };
export type NftCmpExpr = { name: 'cmp'; sreg: number; op: number; data: Uint8Array };
/** NFTA_BITWISE_*: op MASK_XOR with mask/xor, LSHIFT/RSHIFT with data (4 bytes, the shift), AND/OR/XOR with sreg2. */
export type NftBitwiseExpr = {
  name: 'bitwise';
  sreg: number;
  dreg: number;
  len: number;
  op?: number;
  mask?: Uint8Array;
  xor?: Uint8Array;
  data?: Uint8Array;
  sreg2?: number;
};
export type NftByteorderExpr = { name: 'byteorder'; sreg: number; dreg: number; op: number; len: number; size: number };
export type NftRangeExpr = { name: 'range'; sreg: number; op: number; fromData: Uint8Array; toData: Uint8Array };
/** NFTA_LOOKUP_*: `set` is NFTA_LOOKUP_SET (a name; an anonymous set of the same batch by the name it was created with). */
export type NftLookupExpr = { name: 'lookup'; set: string; setId?: number; sreg: number; dreg?: number; flags?: number };
export type NftDynsetExpr = {
  name: 'dynset';
  setName: string;
  setId?: number;
  op: number;
  sregKey: number;
  sregData?: number;
  /** milliseconds */
  timeout?: number;
  flags?: number;
  /** NFTA_DYNSET_EXPR(ESSIONS): stateful expressions (counter, limit, quota) each new element gets. */
  exprs?: NftExpr[];
};
export type NftCounterExpr = { name: 'counter'; packets?: number; bytes?: number };
/** NFTA_LIMIT_*: rate per unit seconds; burst; type NFT_LIMIT_PKTS or NFT_LIMIT_PKT_BYTES. */
export type NftLimitExpr = { name: 'limit'; rate: number; unit: number; burst?: number; type?: number; flags?: number };
export type NftQuotaExpr = { name: 'quota'; bytes: number; flags?: number; consumed?: number };
export type NftConnlimitExpr = { name: 'connlimit'; count: number; flags?: number };
export type NftLastExpr = { name: 'last'; set?: number; msecs?: number };
/** NFTA_LOG_*: group set -> nfnetlink_log; otherwise the syslog logger with level and flags. */
export type NftLogExpr = {
  name: 'log';
  prefix?: string;
  group?: number;
  snaplen?: number;
  qthreshold?: number;
  level?: number;
  flags?: number;
};
export type NftRejectExpr = { name: 'reject'; type: number; icmpCode?: number };
/** NFTA_NAT_*: the address and port ranges come from registers. */
export type NftNatExpr = {
  name: 'nat';
  type: number;
  family: number;
  regAddrMin?: number;
  regAddrMax?: number;
  regProtoMin?: number;
  regProtoMax?: number;
  /** NF_NAT_RANGE_* */
  flags?: number;
};
export type NftMasqExpr = { name: 'masq'; flags?: number; regProtoMin?: number; regProtoMax?: number };
export type NftRedirExpr = { name: 'redir'; flags?: number; regProtoMin?: number; regProtoMax?: number };
export type NftNumgenExpr = { name: 'numgen'; dreg: number; modulus: number; type: number; offset?: number };
export type NftHashExpr = {
  name: 'hash';
  type: number;
  dreg: number;
  modulus: number;
  offset?: number;
  /** jhash: over len bytes of sreg, with seed */
  sreg?: number;
  len?: number;
  seed?: number;
};
export type NftFibExpr = { name: 'fib'; dreg: number; result: number; flags: number };
export type NftRtExpr = { name: 'rt'; key: number; dreg: number };
export type NftNotrackExpr = { name: 'notrack' };
export type NftDupExpr = { name: 'dup'; sregAddr?: number; sregDev?: number };
export type NftFwdExpr = { name: 'fwd'; sregDev: number; sregAddr?: number; nfproto?: number };
export type NftQueueExpr = { name: 'queue'; num?: number; total?: number; flags?: number; sregQnum?: number };
/** NFTA_OBJREF_*: a named object (imm) or an object map (set + sreg). */
export type NftObjrefExpr =
  | { name: 'objref'; immType: number; immName: string }
  | { name: 'objref'; setSreg: number; setName: string; setId?: number };
/** NFTA_EXTHDR_*: ipv4 options, tcp options (op), load (dreg) or store (sreg). */
export type NftExthdrExpr = {
  name: 'exthdr';
  op: number;
  type: number;
  offset: number;
  len: number;
  flags?: number;
  dreg?: number;
  sreg?: number;
};
export type NftSocketExpr = { name: 'socket'; key: number; dreg: number; level?: number };
/** nft_compat: an xtables match with its info struct (x_tables.ts shapes). */
export type NftMatchExpr = { name: 'match'; matchName: MatchSpec['name']; rev: number; info: MatchSpec };
/** nft_compat: an xtables target. */
export type NftTargetExpr = { name: 'target'; targetName: string; rev: number; info: TargetSpec };

export type NftExpr =
  | NftImmediateExpr
  | NftPayloadExpr
  | NftMetaExpr
  | NftCtExpr
  | NftCmpExpr
  | NftBitwiseExpr
  | NftByteorderExpr
  | NftRangeExpr
  | NftLookupExpr
  | NftDynsetExpr
  | NftCounterExpr
  | NftLimitExpr
  | NftQuotaExpr
  | NftConnlimitExpr
  | NftLastExpr
  | NftLogExpr
  | NftRejectExpr
  | NftNatExpr
  | NftMasqExpr
  | NftRedirExpr
  | NftNumgenExpr
  | NftHashExpr
  | NftFibExpr
  | NftRtExpr
  | NftNotrackExpr
  | NftDupExpr
  | NftFwdExpr
  | NftQueueExpr
  | NftObjrefExpr
  | NftExthdrExpr
  | NftSocketExpr
  | NftMatchExpr
  | NftTargetExpr;

export type NftExprName = NftExpr['name'];

// ----------------------------------------------------------------- objects (attributes)

/** NFTA_HOOK_*: hooknum (NF_INET_*, NF_NETDEV_*, ...), priority, and the device(s) of a netdev chain. */
export interface NftHook {
  hooknum: number;
  priority: number;
  dev?: string;
  devs?: string[];
}

/** NFTA_TABLE_* */
export interface NftTable {
  family: number;
  name: string;
  flags?: number;
  handle?: number;
  use?: number;
  userdata?: Uint8Array;
}

/** NFTA_CHAIN_*: a base chain has hook, type and policy; a regular chain none of them. */
export interface NftChain {
  family: number;
  table: string;
  name: string;
  handle?: number;
  hook?: NftHook;
  policy?: number;
  type?: 'filter' | 'nat' | 'route';
  flags?: number;
  /** NFTA_CHAIN_COUNTERS (the base chain's policy counters) */
  counters?: { packets: number; bytes: number };
  use?: number;
  userdata?: Uint8Array;
}

/** NFTA_RULE_*: nft keeps the comment in userdata (a TLV: NFTNL_UDATA_RULE_COMMENT). */
export interface NftRule {
  family: number;
  table: string;
  chain: string;
  handle?: number;
  /** NFTA_RULE_POSITION: the handle the new rule goes after (append) or before (insert). */
  position?: number;
  expressions: NftExpr[];
  userdata?: Uint8Array;
  /** NFTA_RULE_COMPAT (iptables-nft): the layer 4 protocol and NFT_RULE_COMPAT_F_INV */
  compat?: { proto: number; flags: number };
}

/** NFTA_SET_DESC */
export interface NftSetDesc {
  size?: number;
  /** NFTA_SET_DESC_CONCAT: the length in bytes of each field of a concatenated key. */
  concat?: number[];
}

/** NFTA_SET_*; key/data types are nft's datatype ids (opaque to the kernel, kept for listing). */
export interface NftSet {
  family: number;
  table: string;
  name: string;
  handle?: number;
  /** NFTA_SET_ID: how rules of the same batch may refer to it. */
  id?: number;
  flags?: number;
  keyType?: number;
  keyLen: number;
  dataType?: number;
  dataLen?: number;
  objType?: number;
  policy?: number;
  desc?: NftSetDesc;
  /** milliseconds */
  timeout?: number;
  /** milliseconds */
  gcInterval?: number;
  userdata?: Uint8Array;
  /** NFTA_SET_EXPR(ESSIONS): per-element stateful expressions. */
  exprs?: NftExpr[];
}

/** NFTA_SET_ELEM_* */
export interface NftSetElem {
  key?: Uint8Array;
  keyEnd?: Uint8Array;
  data?: NftData;
  flags?: number;
  /** milliseconds */
  timeout?: number;
  /** milliseconds left (dumps) */
  expiration?: number;
  userdata?: Uint8Array;
  exprs?: NftExpr[];
  /** NFTA_SET_ELEM_OBJREF */
  objref?: string;
}

/** NFTA_OBJ_DATA by type. */
export type NftObjData =
  | { type: typeof NFT_OBJECT_COUNTER; packets: number; bytes: number }
  | { type: typeof NFT_OBJECT_QUOTA; bytes: number; consumed: number; flags: number }
  | { type: typeof NFT_OBJECT_LIMIT; rate: number; unit: number; burst: number; limitType: number; flags: number }
  | { type: typeof NFT_OBJECT_CONNLIMIT; count: number; flags: number }
  | { type: typeof NFT_OBJECT_CT_HELPER; helperName: string; l3proto: number; l4proto: number };

/** NFTA_OBJ_* */
export interface NftObj {
  family: number;
  table: string;
  name: string;
  handle?: number;
  use?: number;
  data: NftObjData;
  userdata?: Uint8Array;
}

// ----------------------------------------------------------------- messages

/** The table a message is about, and the netlink header's flags (NLM_F_*). */
type Sel = { family: number; table: string; nlFlags?: number };

/** One message of a batch. */
export type NfTablesMsg =
  | ({ msg: 'NFT_MSG_NEWTABLE'; nlFlags?: number } & NftTable)
  /** DELTABLE by name or NFTA_TABLE_HANDLE; DESTROY* are DEL* without ENOENT. */
  | { msg: 'NFT_MSG_DELTABLE' | 'NFT_MSG_DESTROYTABLE'; family: number; name?: string; handle?: number; nlFlags?: number }
  | ({ msg: 'NFT_MSG_NEWCHAIN'; nlFlags?: number } & NftChain)
  | (Sel & { msg: 'NFT_MSG_DELCHAIN' | 'NFT_MSG_DESTROYCHAIN'; name?: string; handle?: number })
  /** NEWRULE: NLM_F_APPEND adds at the end (or after `position`); without it, at the head (or before `position`); NLM_F_REPLACE with handle replaces. */
  | ({ msg: 'NFT_MSG_NEWRULE'; nlFlags?: number } & NftRule)
  /** DELRULE: one rule by handle, all of a chain, or (no chain) all of the table (`nft flush table`). */
  | (Sel & { msg: 'NFT_MSG_DELRULE' | 'NFT_MSG_DESTROYRULE'; chain?: string; handle?: number })
  | ({ msg: 'NFT_MSG_NEWSET'; nlFlags?: number } & NftSet)
  | (Sel & { msg: 'NFT_MSG_DELSET' | 'NFT_MSG_DESTROYSET'; name?: string; handle?: number })
  | (Sel & { msg: 'NFT_MSG_NEWSETELEM'; nlFlags?: number; set: string; setId?: number; elements: NftSetElem[] })
  /** DELSETELEM without elements flushes the set (`nft flush set`). */
  | (Sel & { msg: 'NFT_MSG_DELSETELEM' | 'NFT_MSG_DESTROYSETELEM'; set: string; elements?: NftSetElem[] })
  | ({ msg: 'NFT_MSG_NEWOBJ'; nlFlags?: number } & NftObj)
  | (Sel & { msg: 'NFT_MSG_DELOBJ' | 'NFT_MSG_DESTROYOBJ'; name?: string; handle?: number; objType: number });

/** The kernel's answer to one message: 0 or -errno, and the extended ack (NLMSGERR_ATTR_MSG/OFFS) when it gives one. */
export interface NftAck {
  error: number;
  /** The extack message, when the kernel sets one (NL_SET_ERR_MSG). */
  extack?: string;
  /** The attribute the extack points at (NL_SET_BAD_ATTR), by our field name. */
  badAttr?: string;
  /** NLM_F_ECHO: the handle given to a new object. */
  handle?: number;
}

/** NFT_MSG_TRACE (nf_tables_trace.c nft_trace_notify()): NFTA_TRACE_* */
export interface NftTraceEvent {
  family: number;
  table: string;
  chain: string;
  /** NFTA_TRACE_RULE_HANDLE: absent for the policy and for a return at the end of a chain. */
  ruleHandle?: number;
  type: number;
  verdict?: NftVerdict;
  /** NFTA_TRACE_ID: one id per packet and hook (__get_trace_id). */
  id: number;
  llHeader?: Uint8Array;
  networkHeader?: Uint8Array;
  transportHeader?: Uint8Array;
  iif?: number;
  iiftype?: number;
  oif?: number;
  oiftype?: number;
  mark?: number;
  nfproto: number;
  policy?: number;
}

/** NFT_MSG_NEWGEN event after a commit, and the answer to NFT_MSG_GETGEN. */
export interface NftGen {
  id: number;
  /** NFTA_GEN_PROC_PID / NAME of the committer */
  procPid?: number;
  procName?: string;
}

/** What the NFNLGRP_NFTABLES group sees after a commit: each message that changed something, then NEWGEN. */
export type NftRulesetEvent =
  | { msg: 'NFT_MSG_NEWTABLE' | 'NFT_MSG_DELTABLE'; table: NftTable }
  | { msg: 'NFT_MSG_NEWCHAIN' | 'NFT_MSG_DELCHAIN'; chain: NftChain }
  | { msg: 'NFT_MSG_NEWRULE' | 'NFT_MSG_DELRULE'; rule: NftRule }
  | { msg: 'NFT_MSG_NEWSET' | 'NFT_MSG_DELSET'; set: NftSet }
  | { msg: 'NFT_MSG_NEWSETELEM' | 'NFT_MSG_DELSETELEM'; family: number; table: string; set: string; elements: NftSetElem[] }
  | { msg: 'NFT_MSG_NEWOBJ' | 'NFT_MSG_DELOBJ'; obj: NftObj }
  | { msg: 'NFT_MSG_NEWGEN'; gen: NftGen };

/** A netlink socket bound to NFNLGRP_NFTABLES and/or NFNLGRP_NFTRACE. */
export type NftSubscription = { readonly __nftnl: unique symbol };

/** The dump requests: NFT_MSG_GET* with NLM_F_DUMP and the attributes that filter it. */
export type NftGetMsg =
  | { msg: 'NFT_MSG_GETTABLE'; family?: number; name?: string }
  | { msg: 'NFT_MSG_GETCHAIN'; family?: number; table?: string; name?: string }
  | { msg: 'NFT_MSG_GETRULE' | 'NFT_MSG_GETRULE_RESET'; family?: number; table?: string; chain?: string; handle?: number }
  | { msg: 'NFT_MSG_GETSET'; family?: number; table?: string; name?: string }
  | { msg: 'NFT_MSG_GETSETELEM' | 'NFT_MSG_GETSETELEM_RESET'; family: number; table: string; set: string }
  | { msg: 'NFT_MSG_GETOBJ' | 'NFT_MSG_GETOBJ_RESET'; family?: number; table?: string; name?: string; objType?: number }
  | { msg: 'NFT_MSG_GETGEN' };

/** An open batch (NFNL_MSG_BATCH_BEGIN for NFNL_SUBSYS_NFTABLES); opaque to its user. */
export type NftBatch = NftTransaction;

/** NFNL_MSG_BATCH_BEGIN; `portid`/`pid`/`comm` name the sender (NFTA_GEN_PROC_*, trace and echo). */
export function nft_batch_begin(net: Net, who?: { portid?: number; pid?: number; comm?: string }): NftBatch {
  return nf_tables_batch_begin(net, who);
}

/** One message of the batch. */
export function nft_batch_msg(b: NftBatch, msg: NfTablesMsg): NftAck {
  return nf_tables_batch_msg(b, msg);
}

/**
 * NFNL_MSG_BATCH_END: commits when every message succeeded (the answer is then
 * 0, or the commit's own error), otherwise aborts and answers the first error.
 */
export function nft_batch_end(b: NftBatch): NftAck {
  return nf_tables_batch_end(b);
}

/** Aborts (nft -c checks a ruleset this way: the batch is validated, then dropped). */
export function nft_batch_abort(b: NftBatch): void {
  nf_tables_batch_abort(b);
}

/** NFT_MSG_GETTABLE dump: all tables (of a family), or one by name (-ENOENT). */
export function nft_gettable(net: Net, req: { family?: number; name?: string } = {}): NftTable[] | number {
  return nf_tables_gettable(net, req);
}

/** NFT_MSG_GETCHAIN dump. */
export function nft_getchain(net: Net, req: { family?: number; table?: string; name?: string } = {}): NftChain[] | number {
  return nf_tables_getchain(net, req);
}

/** NFT_MSG_GETRULE dump (reset: NFT_MSG_GETRULE_RESET, the counters are zeroed after being read). */
export function nft_getrule(
  net: Net,
  req: { family?: number; table?: string; chain?: string; handle?: number; reset?: boolean } = {},
): NftRule[] | number {
  return nf_tables_getrule(net, req);
}

/** NFT_MSG_GETSET dump. */
export function nft_getset(net: Net, req: { family?: number; table?: string; name?: string } = {}): NftSet[] | number {
  return nf_tables_getset(net, req);
}

/** NFT_MSG_GETSETELEM dump of one set, in the set backend's order. */
export function nft_getsetelem(net: Net, req: { family: number; table: string; set: string; reset?: boolean }): NftSetElem[] | number {
  return nf_tables_getsetelem(net, req);
}

/** NFT_MSG_GETOBJ dump (reset: NFT_MSG_GETOBJ_RESET). */
export function nft_getobj(
  net: Net,
  req: { family?: number; table?: string; name?: string; objType?: number; reset?: boolean } = {},
): NftObj[] | number {
  return nf_tables_getobj(net, req);
}

/** NFT_MSG_GETGEN */
export function nft_getgen(net: Net): NftGen {
  return nf_tables_getgen(net);
}

/** Joins NFNLGRP_NFTABLES (ruleset events) and/or NFNLGRP_NFTRACE (trace events). */
export function nft_subscribe(
  net: Net,
  cb: { ruleset?: (ev: NftRulesetEvent) => void; trace?: (ev: NftTraceEvent) => void },
): NftSubscription {
  return nf_tables_subscribe(net, cb) as unknown as NftSubscription;
}

export function nft_unsubscribe(sub: NftSubscription): void {
  nf_tables_unsubscribe(sub as unknown as NftSubscriber);
}

// ----------------------------------------------------------------- iptables-nft (nft_compat)

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
