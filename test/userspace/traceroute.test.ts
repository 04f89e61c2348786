// traceroute 2.1.2 against what the real one printed on this machine.
import { describe, expect, it } from 'vitest';
import { registerTraceroute } from '../../src/userspace/tools/traceroute.ts';
import { run, twoHosts } from '../kernel/helpers.ts';

function hosts() {
  const h = twoHosts();
  registerTraceroute(h.world.commands);
  return h;
}

describe('traceroute', () => {
  const errors: [string[], string, number][] = [
    [['traceroute', '-q', 'x', '1.2.3.4'], "Cannot handle `-q' option with arg `x' (argc 2)\n", 2],
    [['traceroute', '-q', '11', '1.2.3.4'], 'no more than 10 probes per hop\n', 2],
    [['traceroute', '-m', '0', '1.2.3.4'], 'first hop out of range\n', 2],
    [['traceroute', '-m', '300', '1.2.3.4'], 'max hops cannot be more than 255\n', 2],
    [['traceroute', '-Y', '1.2.3.4'], "Bad option `-Y' (argc 1)\n", 2],
    [['traceroute', '1.2.3.4', '70000'], 'too big packetlen 70000 specified\n', 2],
    [['traceroute', '-w', 'x', '1.2.3.4'], "Cannot handle `-w' option with arg `x' (argc 2)\n", 2],
    [['traceroute', '-f', '5', '-m', '3', '1.2.3.4'], 'first hop out of range\n', 2],
    [
      ['traceroute', '-n', 'nosuch.invalid'],
      'nosuch.invalid: Temporary failure in name resolution\nCannot handle "host" cmdline arg `nosuch.invalid\' on position 1 (argc 2)\n',
      2,
    ],
    [
      ['traceroute', '-n', '-q', '1', '-m', '3', '-w', '0.2', '10.255.255.1'],
      'traceroute to 10.255.255.1 (10.255.255.1), 3 hops max, 60 byte packets\nconnect: Network is unreachable\n',
      1,
    ],
  ];
  for (const [argv, out, status] of errors) {
    it(argv.join(' '), () => {
      const { world, a } = hosts();
      const r = run(world, a, argv);
      expect(r.out).toBe(out);
      expect(r.status).toBe(status);
    });
  }

  it('no arguments: the usage on stderr, exit 0', () => {
    const { world, a } = hosts();
    const r = run(world, a, ['traceroute']);
    expect(r.out.startsWith('Usage:\n  traceroute [ -46dFITnreAUDV ]')).toBe(true);
    expect(r.status).toBe(0);
  });

  it('reaches a neighbour in one hop, three probes, UDP and ICMP', () => {
    const { world, a } = hosts();
    const r = run(world, a, ['traceroute', '-n', '10.0.0.2']);
    expect(r.out).toMatch(
      /^traceroute to 10\.0\.0\.2 \(10\.0\.0\.2\), 30 hops max, 60 byte packets\n 1  10\.0\.0\.2  \d+\.\d{3} ms  \d+\.\d{3} ms  \d+\.\d{3} ms\n$/,
    );
    const i = run(world, a, ['traceroute', '-n', '-I', '-q', '1', '10.0.0.2']);
    expect(i.out).toMatch(/\n 1  10\.0\.0\.2  \d+\.\d{3} ms\n$/);
    expect(a.mib.get('UdpOutDatagrams')).toBeGreaterThanOrEqual(3);
  });

  it('prints a star for each probe nobody answers, and !H when ARP fails inside the wait', () => {
    const { world, a } = hosts();
    const r = run(world, a, ['traceroute', '-n', '-q', '2', '-w', '1', '-m', '2', '10.0.0.9']);
    expect(r.out).toBe('traceroute to 10.0.0.9 (10.0.0.9), 2 hops max, 60 byte packets\n 1  * *\n 2  * *\n');
    const h = run(world, a, ['traceroute', '-n', '-q', '1', '-N', '1', '-w', '5', '-m', '2', '10.0.0.8']);
    expect(h.out).toMatch(
      /^traceroute to 10\.0\.0\.8 \(10\.0\.0\.8\), 2 hops max, 60 byte packets\n 1  10\.0\.0\.1  30\d\d\.\d{3} ms !H\n$/,
    );
  });
});

describe('traceroute -T', () => {
  it('reaches a host by TCP SYN: the RST from the closed port ends it', () => {
    const { world, a, b } = hosts();
    const r = run(world, a, ['traceroute', '-n', '-T', '-q', '1', '-N', '1', '10.0.0.2']);
    expect(r.out).toMatch(/^traceroute to 10\.0\.0\.2 \(10\.0\.0\.2\), 30 hops max, 60 byte packets\n 1  10\.0\.0\.2  \d+\.\d{3} ms\n$/);
    expect(b.mib.get('TcpOutRsts')).toBe(1);
    const p = run(world, a, ['traceroute', '-n', '-T', '-p', '22', '-q', '2', '10.0.0.2']);
    expect(p.out).toMatch(/\n 1  10\.0\.0\.2  \d+\.\d{3} ms  \d+\.\d{3} ms\n$/);
  });
});
