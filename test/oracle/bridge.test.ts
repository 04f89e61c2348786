import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite(
  'bridge',
  [
    'bridge-hosts',
    'bridge-flood-unknown',
    'bridge-fdb-ageing',
    'bridge-port-down',
    'bridge-ip-router',
    'bridge-chain',
    'bridge-port-flags',
    'bridge-linklocal',
  ],
  it,
  expect,
);
