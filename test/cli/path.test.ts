// skbpath trace/drops: the path stream names the same drops as Linux's
// kfree_skb tracepoint, follows one packet across namespaces, and its JSON
// keeps the documented schema (docs/path-events.md).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDrops, formatPath, pathJson, selectPath, tuple } from '../../src/machine/path_report.ts';
import type { PathEvent } from '../../src/kernel/trace/probe.ts';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const ORACLE = new URL('../oracle/', import.meta.url).pathname;
// Scenarios whose golden trace names every drop (blackhole-routes masks some lines as <*>).
// Every scenario of the Linux oracle (../shared/oracle) and our own that drop packets.
const SCENARIOS = [
  'bridge-hosts',
  'conntrack-list',
  'dnat-port-forward',
  'frag-mtu',
  'iptables-drop-icmp',
  'iptables-reject',
  'malformed-frames',
  'nat-masquerade',
  'ping-loopback',
  'ping-no-route',
  'ping-unresolved',
  'ping-veth',
  'pmtu-df',
  'router-forward',
  'router-no-forward',
  'ss-states',
  'tcp-closed-port',
  'tcp-exchange',
  'tcpdump-live',
  'traceroute',
  'udp-closed-port',
  'udp-exchange',
  'reasm-timeout',
  'routing-loop',
  'icmp-redirect',
  'icmp-ratelimit',
];

/** The scenario as the recorder ran it: captures open on every interface that is up. */
function pathOf(name: string) {
  const script = readFileSync(join(ORACLE, 'scenarios', `${name}.sh`), 'utf8');
  // record.py --files frames: the captures a scenario replays sit in its working directory
  const vfs = new MemVfs();
  const frames = join(ORACLE, 'frames');
  for (const f of readdirSync(frames)) vfs.files.set(f, readFileSync(join(frames, f), 'latin1'));
  return runScenario(script, vfs, { path: true, artifacts: true }).world.kernel.path.events;
}

describe('skbpath drops', () => {
  for (const name of SCENARIOS) {
    it(`${name}: the same reasons at the same locations as Linux's kfree_skb`, () => {
      const golden = readFileSync(join(ORACLE, 'golden', name, 'trace.txt'), 'utf8')
        .split('\n')
        .map((l) => /^kfree_skb: .* location=(\S+) reason: (\S+)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => `${m[2]}@${m[1]}`)
        .sort();
      const ours = pathOf(name)
        .filter((e) => e.kind === 'drop' && (e.protocol === 2048 || e.protocol === 2054))
        .map((e) => `${e.reason}@${e.fn}`)
        .sort();
      expect(ours).toEqual(golden);
    });
  }

  it('names the iptables rule behind a NETFILTER_DROP', () => {
    const drop = pathOf('iptables-drop-icmp').find((e) => e.kind === 'drop' && e.reason === 'NETFILTER_DROP');
    expect(drop?.fn).toBe('nft_do_chain');
    expect(drop?.why).toBe('iptables -t filter: rule 1 of chain INPUT (INPUT hook)');
  });

  it('summarises per reason and location', () => {
    const report = formatDrops(pathOf('ping-unresolved'));
    expect(report).toContain('NEIGH_FAILED at neigh_invalidate');
    expect(report).toContain('    why: neighbour 10.0.0.3 dev va FAILED after 3 ARP probes unanswered\n');
    expect(report).toMatch(/\n2 drops\n {5}1 NEIGH_FAILED at neigh_invalidate \(a\)\n {5}1 QUEUE_PURGE at inet_sock_destruct \(a\)\n$/);
  });
});

describe('skbpath trace', () => {
  it('follows one echo request from a through veth into b, to icmp_rcv', () => {
    const ev = selectPath(pathOf('ping-veth'), { filter: 'icmp[icmptype] == icmp-echo' });
    const first = ev[0];
    expect(first).toBeDefined();
    const one = ev.filter((e) => e.origin === first?.origin).map((e) => `${e.netns}:${e.fn}`);
    expect(one.slice(0, 12)).toEqual([
      'a:ip_push_pending_frames',
      'a:ip_send_skb',
      'a:ip_local_out',
      'a:__ip_local_out',
      'a:ip_output',
      'a:ip_finish_output',
      'a:ip_finish_output2',
      'a:neigh_resolve_output',
      'a:__neigh_event_send',
      'a:__dev_queue_xmit',
      'a:dev_hard_start_xmit',
      'a:veth_xmit',
    ]);
    expect(one).toContain('b:__netif_receive_skb_core');
    expect(one).toContain('b:ip_rcv');
    expect(one).toContain('b:icmp_rcv');
  });

  it('follows a forwarded packet through the router to its drop by TTL', () => {
    const ev = selectPath(pathOf('router-forward'), { netns: 'r', func: '^(ip_forward|kfree_skb.*)$' });
    expect(ev.some((e) => e.fn === 'ip_forward')).toBe(true);
    expect(ev.some((e) => e.kind === 'drop' && e.reason === 'IP_INHDR' && e.fn === 'ip_forward')).toBe(true);
  });

  it('JSON keeps the documented schema', () => {
    const ev = pathOf('ping-unresolved');
    const schema: Record<string, string> = {
      seq: 'number',
      time_ns: 'number',
      netns: 'string',
      func: 'string',
      kind: 'string',
      skb: 'number',
      origin: 'number',
      dev: 'string',
      ifindex: 'number',
      mtu: 'number',
      len: 'number',
      protocol: 'number',
      mark: 'number',
      process: 'string',
      cpu: 'number',
      tuple: 'string',
    };
    for (const e of ev) {
      const j: Record<string, unknown> = { ...pathJson(e) };
      for (const [k, t] of Object.entries(schema)) expect(typeof j[k], k).toBe(t);
      expect(['fn', 'drop', 'consume']).toContain(j.kind);
      if (j.kind === 'drop') expect(typeof j.reason).toBe('string');
      else expect(j.reason).toBeUndefined();
      const extra = Object.keys(j).filter((k) => !(k in schema) && k !== 'reason' && k !== 'why' && k !== 'ct' && k !== 'nf');
      expect(extra).toEqual([]);
    }
  });
});

describe('skbpath trace across a bridge', () => {
  it('follows one echo request from h1 through br0 in s to h2', () => {
    const ev = selectPath(pathOf('bridge-hosts'), { filter: 'icmp[icmptype] == icmp-echo and dst host 10.0.0.2' });
    const first = ev[0];
    expect(first).toBeDefined();
    const one = ev.filter((e) => e.origin === first?.origin).map((e) => `${e.netns}:${e.fn}`);
    const at = (x: string): number => one.indexOf(x);
    for (const step of [
      'h1:veth_xmit',
      's:br_handle_frame',
      's:br_handle_frame_finish',
      's:__br_forward',
      's:br_dev_queue_push_xmit',
      'h2:ip_rcv',
      'h2:icmp_rcv',
    ]) {
      expect(at(step), step).toBeGreaterThanOrEqual(0);
    }
    expect(at('h1:veth_xmit')).toBeLessThan(at('s:br_handle_frame'));
    expect(at('s:br_dev_queue_push_xmit')).toBeLessThan(at('h2:ip_rcv'));
  });
});

describe('skbpath trace through NAT', () => {
  it('follows one echo request from a through the masquerading router r to b, with the rule it met and its conntrack state', () => {
    const ev = selectPath(pathOf('nat-masquerade'), { filter: 'icmp[icmptype] == icmp-echo' });
    const first = ev[0];
    expect(first).toBeDefined();
    const one = ev.filter((e) => e.origin === first?.origin);
    const steps = one.map((e) => `${e.netns}:${e.fn}`);
    const at = (x: string): number => steps.indexOf(x);
    for (const step of [
      'a:veth_xmit',
      'r:ip_rcv',
      'r:nf_conntrack_in',
      'r:ip_forward',
      'r:nf_nat_ipv4_out',
      'r:nft_do_chain',
      'r:masquerade_tg',
      'r:nf_nat_ipv4_manip_pkt',
      'r:nf_confirm',
      'b:ip_rcv',
      'b:icmp_rcv',
    ]) {
      expect(at(step), step).toBeGreaterThanOrEqual(0);
    }
    expect(at('r:nf_conntrack_in')).toBeLessThan(at('r:ip_forward'));
    expect(at('r:nf_nat_ipv4_manip_pkt')).toBeLessThan(at('r:nf_confirm'));
    // the rule that decided, on the nat chain's nft_do_chain
    const chain = one.find((e) => e.netns === 'r' && e.fn === 'nft_do_chain');
    expect(chain?.nf).toEqual({
      table: 'nat',
      chain: 'POSTROUTING',
      rule: 1,
      target: 'MASQUERADE',
      verdict: 'ACCEPT',
      hook: 'POSTROUTING',
    });
    expect(pathJson(chain as PathEvent).nf).toEqual(chain?.nf);
    // conntrack state: none before r's conntrack, NEW inside r, reset by veth (nf_reset_ct) on the way to b
    expect(one.find((e) => e.netns === 'a')?.ct).toBeUndefined();
    expect(one.filter((e) => e.netns === 'r' && e.fn === 'ip_forward').map((e) => e.ct)).toEqual(['NEW']);
    expect(one.filter((e) => e.netns === 'b' && e.fn !== '__dev_forward_skb').every((e) => e.ct === undefined)).toBe(true);
    // the source is rewritten between the two namespaces
    expect(tuple(one.find((e) => e.netns === 'r' && e.fn === 'ip_forward') as PathEvent)).toBe('10.0.1.10:0->10.0.2.10:0(icmp)');
    expect(tuple(one.find((e) => e.netns === 'b' && e.fn === 'icmp_rcv') as PathEvent)).toBe('10.0.2.1:0->10.0.2.10:0(icmp)');
    // the echo reply of the same flow is ESTABLISHED_REPLY in r, and the second request ESTABLISHED
    const all = pathOf('nat-masquerade');
    const rForward = all
      .filter((e) => e.netns === 'r' && e.fn === 'ip_forward' && e.protocol === 0x800 && e.bytes[e.l3 + 9] === 1)
      .map((e) => e.ct);
    expect(rForward).toEqual(['NEW', 'ESTABLISHED_REPLY', 'ESTABLISHED', 'ESTABLISHED_REPLY']);
  });

  it('prints the rule and the state after the function in the text form', () => {
    const text = formatPath(selectPath(pathOf('nat-masquerade'), { netns: 'r', func: '^nft_do_chain$' }));
    expect(text).toContain('nft_do_chain nat/POSTROUTING:1 MASQUERADE => ACCEPT ct=NEW\n');
  });
});
