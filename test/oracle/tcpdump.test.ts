import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';
oracleSuite('tcpdump', ['tcpdump-live', 'tcpdump-kill'], it, expect);
