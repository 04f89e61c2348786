// Shaping with tc (issue 18): tbf and htb as Linux 6.18 and iproute2 6.1 ran
// them (test/oracle/scenarios/tc-tbf-*.sh, tc-htb-*.sh): a ping flood through
// a token bucket with drops, two UDP flows split into htb classes by u32, and
// htb's default class borrowing from its parent.
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('tc shaping', ['tc-tbf-ping-flood', 'tc-htb-u32-ports', 'tc-htb-default-borrow'], it, expect);
