// Malformed frames replayed onto a veth (issue 11): every drop where Linux drops it.
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('bad input', ['malformed-frames'], it, expect);
