// The rtnetlink route/rule clients against what iproute2 6.1.0 printed on
// Linux 6.18 (root, fresh namespaces), recorded by running each command for
// real in order: `ip rule` (fixtures/ip_rule.json), `ip route get` as rules
// steer lookups (ip_rule_routing.json: the defaults leave the merged main
// table, the first rule unmerges), and tables other than main and local
// (ip_route_tables.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newWorld, sh } from './ip_world.ts';

interface Fixture {
  setup: string | string[];
  cases: [command: string, stdout: string, stderr: string, status: number][];
}

/** "ip OPTS ..." run in namespace ns (other tools through ip netns exec) */
const inNs = (ns: string, c: string): string => (c.startsWith('ip ') ? c.replace(/^ip /, `ip -n ${ns} `) : `ip netns exec ${ns} ${c}`);

/** Replays a recorded fixture in namespace `ns` of a fresh world, after its setup commands. */
function replay(title: string, file: string, setup: readonly string[]): void {
  const fx = JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as Fixture;
  describe(title, () => {
    const w = newWorld();
    sh(w, 'ip netns add r');
    for (const c of setup) expect(sh(w, inNs('r', c)).status).toBe(0);
    fx.cases.forEach(([command, stdout, stderr, status], i) => {
      it(`${i}: ${command}`, () => {
        const r = sh(w, inNs('r', command));
        expect(r.out).toBe(stdout + stderr);
        expect(r.status).toBe(status);
      });
    });
  });
}

const setupOf = (file: string): string[] => {
  const fx = JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as Fixture;
  return Array.isArray(fx.setup) ? fx.setup : [];
};

replay('ip rule (recorded)', 'ip_rule.json', ['ip link add x1 type veth peer name x2', 'ip link set lo up']);
replay('ip route get under policy-routing rules (recorded)', 'ip_rule_routing.json', setupOf('ip_rule_routing.json'));
replay('routing tables other than main and local (recorded)', 'ip_route_tables.json', setupOf('ip_route_tables.json'));
replay('input lookups (ip route get ... iif) under rules (recorded)', 'ip_rule_input.json', setupOf('ip_rule_input.json'));
replay('rules naming devices that come and go (recorded)', 'ip_rule_attach.json', setupOf('ip_rule_attach.json'));
replay('ip rule with DS field values (recorded)', 'ip_rule_tos.json', setupOf('ip_rule_tos.json'));
