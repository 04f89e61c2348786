// Inputs for the getopt test: option specs and argument vectors, random but
// fixed (seeded), run through util-linux getopt(1) — which is glibc's
// getopt_long — by getopt.record.ts, and through ours by getopt.test.ts.
import fc from 'fast-check';

export interface Spec {
  short: string;
  long: string[];
}

export const SPECS: Spec[] = [
  { short: 'c:i:nvqW:s::x', long: ['count:', 'color::', 'colour', 'verbose', 'version', 'interface:'] },
  { short: '+ab:c', long: ['all', 'bytes:', 'by-name'] },
  { short: ':hf:', long: ['help', 'file:', 'filter:', 'fast'] },
  { short: 'nvXxc:i:w:r:', long: ['number', 'interface:', 'immediate-mode', 'version', 'help'] },
];

const TOKENS = [
  '-c',
  '-c1',
  '-c',
  '5',
  '-nv',
  '-nvq',
  '-W1',
  '-s',
  '-sx',
  '-x',
  '-i',
  'eth0',
  '-ieth0',
  '-q',
  '-z',
  '-',
  '--',
  '--count',
  '--count=3',
  '--coun=2',
  '--co',
  '--col',
  '--color',
  '--color=always',
  '--colour',
  '--colour=x',
  '--verbose',
  '--ver',
  '--v',
  '--version',
  '--interface',
  'host',
  'x',
  '-a',
  '-b',
  '-b7',
  '-ab',
  '-ba',
  '--all',
  '--by',
  '--b',
  '--bytes=1',
  '-h',
  '-f',
  'file',
  '-fF',
  '--help',
  '--f',
  '--fi',
  '--fa',
  '--file=a',
  '--filter',
  '-X',
  '-nnvvXc5',
  '-w',
  'out.pcap',
  '-r-',
  '--number',
  '--num=1',
  '--immediate',
  '-:',
  '-?',
  '---x',
  '--=x',
];

export function argvs(n: number, seed: number): string[][] {
  return fc.sample(fc.array(fc.constantFrom(...TOKENS), { maxLength: 7 }), { numRuns: n, seed });
}

/** What util-linux getopt prints for a parse: ` -c '1' --count '3' -- 'host'`. */
export function quote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}
