// The foundation's oracle scenarios (issue 2).
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite(
  'foundation',
  ['ping-veth', 'ping-loopback', 'ping-no-route', 'ping-unresolved', 'ping-loopback-subnet', 'ping-signals', 'ping-record-route'],
  it,
  expect,
);
