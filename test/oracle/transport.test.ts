// UDP and TCP sockets, nc and ss (issue 4): the shared goldens and scenarios
// recorded for this issue on Linux 6.18 (test/oracle/scenarios/tcp-*.sh).
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite(
  'transport',
  [
    'udp-closed-port',
    'udp-exchange',
    'tcp-closed-port',
    'tcp-exchange',
    'ss-states',
    'tcp-half-close',
    'tcp-syn-retry',
    'tcp-rst-closed',
    'tcp-rst-unread',
    'tcp-listen-overflow',
    'tcp-bulk',
    'tcp-loopback',
    'udp-reply',
  ],
  it,
  expect,
);
