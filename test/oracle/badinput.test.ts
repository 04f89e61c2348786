// Malformed frames replayed onto a veth (issue 11): every drop where Linux drops it.
// malformed-frames is the shared oracle's; the bad-* scenarios were recorded on this
// machine with `record.py --files test/oracle/frames` from frames that
// test/oracle/frames/bad-frames.py writes (case lists in frames/bad-*.txt).
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite(
  'bad input',
  ['malformed-frames', 'bad-ipv4', 'bad-l4', 'bad-link', 'bad-sockets', 'bad-tags', 'bad-frags', 'bad-router'],
  it,
  expect,
);
