// Untrusted bytes never throw: random frames handed to the receive path are
// delivered or dropped with a reason, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { __netif_rx } from '../../src/kernel/core/dev.ts';
import { eth_type_trans } from '../../src/kernel/core/eth.ts';
import { alloc_skb } from '../../src/kernel/skbuff.ts';
import { twoHosts } from './helpers.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

function inject(frame: Uint8Array, seed = 1): { drops: number; world: ReturnType<typeof twoHosts>['world'] } {
  const { world, b } = twoHosts(seed);
  let drops = 0;
  world.kernel.dropObservers.push(() => drops++);
  const vb = b.devByName.get('vb');
  if (!vb) throw new Error('no vb');
  const skb = alloc_skb(frame.length, 64);
  skb.head.set(frame, skb.put(frame.length));
  if (frame.length >= 14) {
    skb.protocol = eth_type_trans(skb, vb);
  } else {
    skb.dev = vb;
  }
  __netif_rx(skb);
  world.sim.cpu.runPendingSoftirqs();
  world.sim.runUntil(() => world.sim.now > 40e9);
  return { drops, world };
}

/** An Ethernet frame to vb's MAC carrying IPv4 with the given header fields. */
function ipv4Frame(payload: Uint8Array, fix: (h: Uint8Array) => void): Uint8Array {
  const f = new Uint8Array(14 + 20 + payload.length);
  f.set([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x08, 0x00]);
  const h = f.subarray(14);
  h.set([0x45, 0, 0, 0, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  const len = 20 + payload.length;
  h[2] = len >> 8;
  h[3] = len & 0xff;
  h.set(payload, 20);
  fix(h);
  let s = 0;
  h[10] = 0;
  h[11] = 0;
  for (let i = 0; i < 20; i += 2) s += ((h[i] as number) << 8) | (h[i + 1] as number);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  s = ~s & 0xffff;
  h[10] = s >> 8;
  h[11] = s & 0xff;
  return f;
}

describe('the receive path never throws on bad bytes', () => {
  it('random frames', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
        expect(() => inject(bytes)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });

  it('random IPv4 headers and payloads to our MAC', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 120 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 0xffff }),
        fc.integer({ min: 0, max: 0xffff }),
        (payload, vihl, proto, totlen, frag) => {
          const f = ipv4Frame(payload, (h) => {
            h[0] = vihl;
            h[9] = proto;
            h[2] = totlen >> 8;
            h[3] = totlen & 0xff;
            h[6] = frag >> 8;
            h[7] = frag & 0xff;
          });
          expect(() => inject(f)).not.toThrow();
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a truncated IPv4 header is IP_INHDR with IpInHdrErrors', () => {
    const f = ipv4Frame(new Uint8Array(0), (h) => {
      h[0] = 0x44;
    });
    const { drops, world } = inject(f);
    expect(drops).toBe(1);
    const b = world.netns.get('b');
    expect(b?.mib.get('IpInHdrErrors')).toBe(1);
  });

  it('a bad IPv4 checksum is IP_CSUM with IpExtInCsumErrors and IpInHdrErrors', () => {
    const f = ipv4Frame(new Uint8Array(8), () => {});
    f[14 + 10] = ((f[14 + 10] as number) ^ 0xff) & 0xff;
    const { world } = inject(f);
    world.kernel.tracer.enabled = false;
    const b = world.netns.get('b');
    expect(b?.mib.get('IpExtInCsumErrors')).toBe(1);
    expect(b?.mib.get('IpInHdrErrors')).toBe(1);
  });

  it('an unknown ethertype is UNHANDLED_PROTO and rx_dropped', () => {
    const f = new Uint8Array(60);
    f.set([2, 0, 0, 0, 0, 0x0b, 2, 0, 0, 0, 0, 0x0a, 0x88, 0xb5]);
    const { drops, world } = inject(f);
    expect(drops).toBe(1);
    expect(world.netns.get('b')?.devByName.get('vb')?.stats.rx_dropped).toBe(1);
  });
});
