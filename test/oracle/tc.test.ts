// Traffic control's oracle scenarios (issue 18): qdiscs, classes, filters,
// actions and the tc command. One name per line; each helper appends its own.
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

// biome-ignore format: one scenario a line, so that each helper appends its own
const SCENARIOS = [
  'tc-fifo-limit',
  'tc-errors',
  'tc-default-qdisc',
];

oracleSuite('tc', SCENARIOS, it, expect);
