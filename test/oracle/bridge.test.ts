import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('bridge', ['bridge-hosts'], it, expect);
