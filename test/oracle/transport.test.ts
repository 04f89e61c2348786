// UDP and TCP sockets, nc and ss (issue 4).
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('transport', ['udp-closed-port', 'udp-exchange', 'tcp-closed-port', 'tcp-exchange', 'ss-states'], it, expect);
