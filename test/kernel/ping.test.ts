import { describe, expect, it } from 'vitest';
import { run, twoHosts } from './helpers.ts';

describe('ping over veth through the kernel API', () => {
  it('resolves ARP, gets three replies and counts like Linux', () => {
    const { world, a, b } = twoHosts();
    world.kernel.tracer.enabled = true;
    const r = run(world, a, ['ping', '-c', '3', '-i', '0.2', '10.0.0.2']);
    expect(r.out).toMatch(/^PING 10\.0\.0\.2 \(10\.0\.0\.2\) 56\(84\) bytes of data\.\n64 bytes from 10\.0\.0\.2: icmp_seq=1 ttl=64 time=/);
    expect(r.out).toContain('3 packets transmitted, 3 received, 0% packet loss');
    expect(r.status).toBe(0);
    expect(a.mib.get('IcmpOutEchos')).toBe(3);
    expect(b.mib.get('IcmpInEchos')).toBe(3);
    expect(a.mib.get('IpExtOutOctets')).toBe(252);
    const va = a.devByName.get('va');
    expect(va?.stats.tx_packets).toBe(4);
    expect(va?.stats.tx_bytes).toBe(336);
    const trace = world.kernel.tracer.events.map((e) => `${e.event}: ${e.body}`);
    expect(trace.length).toBeGreaterThan(20);
  });
});
