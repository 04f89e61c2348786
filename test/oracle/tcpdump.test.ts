import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';
oracleSuite('tcpdump', ['tcpdump-live'], it, expect);
