// /proc/net tables, /sys/class/net attributes and /proc/sys files read with
// cat and written with echo (issue 25), against goldens recorded on Linux 6.18
// (test/oracle/scenarios/{proc-net-tables,sysfs-net}.sh). What varies between
// real runs — inode numbers, %pK socket pointers, ephemeral ports, the UDP hash
// slot (net_hash_mix is random per namespace) — is <*> in the goldens.
import { expect, it } from 'vitest';
import { oracleSuite } from './run_oracle.ts';

oracleSuite('procfs', ['proc-net-tables', 'sysfs-net'], it, expect);
