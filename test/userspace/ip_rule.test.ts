// `ip rule` against what iproute2 6.1.0 printed on Linux 6.18 (root, a fresh
// namespace with lo up and a veth x1): fixtures/ip_rule.json, recorded by
// running each command for real in order. Also: the rules steer lookups once a
// rule is added (fib_rules_lookup), and the default three leave the data path
// as it was.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Net } from '../../src/kernel/net_namespace.ts';
import type { OutStream, ProcCtx } from '../../src/userspace/proc.ts';
import { registerIp } from '../../src/userspace/tools/ip.ts';
import { MemVfs, SimWorld } from '../../src/userspace/world.ts';

interface Fixture {
  setup: string | string[];
  cases: [command: string, stdout: string, stderr: string, status: number][];
}

const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/ip_rule.json', import.meta.url), 'utf8')) as Fixture;

function ctxFor(w: SimWorld, argv: readonly string[], net: Net, sink: OutStream): ProcCtx {
  return {
    world: w,
    argv,
    stdin: { *read() { return null; } },
    stdout: sink,
    stderr: sink,
    net,
    env: new Map(),
    exec: () => null,
  };
}

function sh(w: SimWorld, line: string): { out: string; status: number } {
  let out = '';
  const argv = line.split(/\s+/);
  const sink: OutStream = { write: (s) => void (out += s) };
  const cmd = w.commands.get(argv[0] as string);
  if (!cmd) throw new Error(`no ${argv[0]}`);
  const t = w.sim.sched.spawn(argv[0] as string, cmd(ctxFor(w, argv, w.initNet, sink)));
  w.sim.runTask(t);
  return { out, status: t.exitStatus };
}

function newWorld(): SimWorld {
  const w = new SimWorld(new MemVfs());
  registerIp(w.commands);
  return w;
}

/** "ip OPTS rule ..." run in namespace ns */
const inNs = (ns: string, c: string): string => c.replace(/^ip /, `ip -n ${ns} `);

describe('ip rule (recorded)', () => {
  const w = newWorld();
  sh(w, 'ip netns add r');
  sh(w, 'ip -n r link add x1 type veth peer name x2');
  sh(w, 'ip -n r link set lo up');
  FIXTURE.cases.forEach(([command, stdout, stderr, status], i) => {
    it(`${i}: ${command}`, () => {
      const r = sh(w, inNs('r', command));
      expect(r.out).toBe(stdout + stderr);
      expect(r.status).toBe(status);
    });
  });
});

const ROUTING = JSON.parse(readFileSync(new URL('./fixtures/ip_rule_routing.json', import.meta.url), 'utf8')) as Fixture & { setup: string[] };

describe('ip route get under policy-routing rules (recorded)', () => {
  const w = newWorld();
  sh(w, 'ip netns add p');
  for (const c of ROUTING.setup) expect(sh(w, inNs('p', c)).status).toBe(0);
  ROUTING.cases.forEach(([command, stdout, stderr, status], i) => {
    it(`${i}: ${command}`, () => {
      const r = sh(w, inNs('p', command));
      expect(r.out).toBe(stdout + stderr);
      expect(r.status).toBe(status);
    });
  });
});
