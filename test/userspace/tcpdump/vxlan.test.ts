// tcpdump's VXLAN printer (print-vxlan.c) against tcpdump 4.99.3 on the
// oracle's vxlan captures: the header line, then the inner frame as
// ether_print prints it, with each set of flags (vxlan.recorded.json).
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { printPcap } from '../../../src/api/tcpdump.ts';

const golden = new URL('../../oracle/golden/', import.meta.url).pathname;
const recorded = JSON.parse(readFileSync(new URL('./vxlan.recorded.json', import.meta.url), 'utf8')) as {
  capture: string;
  flags: string;
  output: string;
}[];

for (const r of recorded) {
  it(`tcpdump ${r.flags} -r ${r.capture}`, () => {
    const pcap = new Uint8Array(readFileSync(golden + r.capture));
    expect(printPcap(pcap, r.flags)).toBe(r.output);
  });
}
