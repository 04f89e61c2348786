// Untrusted bytes never throw: random frames handed to the receive path are
// delivered or dropped with a reason, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inject, ipv4Frame } from './helpers.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

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
