// Classifiers and actions (issue 18): ingress/clsact with u32 and cls_bpf,
// mirred to another device and to ifb, recorded on Linux 6.18 with record.py.
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('tc filters and actions', ['tc-ingress-u32-mirred', 'tc-clsact-bpf-drop', 'tc-bpf-tcpdump', 'tc-ifb-ingress'], it, expect);
