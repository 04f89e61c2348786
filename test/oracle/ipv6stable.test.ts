// IPv6 stable-privacy link-local addresses (issue 16): RFC 7217 with
// sha1_transform as ipv6_generate_stable_address(), the stable_secret sysctl
// (EIO before it is set, EIO on `all`, the `default` secret making later
// devices stable-privacy), addr_gen_mode none and eui64 next to it.
// nstat/v6sb.txt is not exact: Linux counts a run-dependent Ip6InNoRoutes
// (golden `<*>`; MLD reports that reach v6sb1 before linkwatch has added its
// multicast route, as in ipv6route.test.ts); its other 17 counters match.
// `/proc/net/if_inet6` lists its lines in a per-namespace random hash order on
// Linux, so the script sorts them.
import { expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { runOracle } from './run_oracle.ts';

it('stable-privacy link-local addresses: ipv6-stable-privacy (every artifact but nstat/v6sb exact)', () => {
  const { result } = runOracle('ipv6-stable-privacy');
  const failures = result.artifacts.filter((a) => !a.exact);
  if (failures.length > 1) console.log(result.report);
  expect(failures.map((f) => f.name)).toEqual(['nstat/v6sb.txt']);
  expect(result.artifacts.length).toBe(10);
});

it('stable-privacy DAD conflict and idgen retry: ipv6-stable-dad-retry (every artifact exact)', () => {
  const { result } = runOracle('ipv6-stable-dad-retry');
  const failures = result.artifacts.filter((a) => !a.exact);
  if (failures.length) console.log(result.report);
  expect(failures.map((f) => f.name)).toEqual([]);
});

it('/proc/net/if_inet6 prints if6_seq_show lines (the format recorded on Linux 6.18)', () => {
  const r = runScenario(
    'ip netns add v6st\nip netns exec v6st cat /proc/net/if_inet6\nip -n v6st link set lo up\nip netns exec v6st cat /proc/net/if_inet6\n',
    new MemVfs(),
  );
  // `ip link set lo up; cat /proc/net/if_inet6` in a new namespace on this host
  expect(r.transcript).toBe('00000000000000000000000000000001 01 80 10 80       lo\n');
});
