// sysctl, ping and nstat against what the real tools printed on this machine.
import { describe, expect, it } from 'vitest';
import { registerNstat } from '../../src/userspace/tools/nstat.ts';
import { registerSysctl } from '../../src/userspace/tools/sysctl.ts';
import { run, twoHosts } from '../kernel/helpers.ts';

function hosts() {
  const h = twoHosts();
  registerSysctl(h.world.commands);
  registerNstat(h.world.commands);
  return h;
}

describe('sysctl (procps-ng)', () => {
  const cases: [string[], string, number][] = [
    [['sysctl', '-w', 'net.ipv4.ip_forward=1'], 'net.ipv4.ip_forward = 1\n', 0],
    [['sysctl', 'net.ipv4.ip_forward'], 'net.ipv4.ip_forward = 0\n', 0],
    [['sysctl', '-n', 'net.ipv4.ip_default_ttl'], '64\n', 0],
    [['sysctl', '-q', '-w', 'net.ipv4.ip_forward=0'], '', 0],
    [['sysctl', '-w', 'net.ipv4.nope=1'], 'sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n', 1],
    [['sysctl', 'net/ipv4/ip_default_ttl'], 'net.ipv4.ip_default_ttl = 64\n', 0],
    [['sysctl', '-w', 'net.ipv4.ip_forward=x'], 'sysctl: setting key "net.ipv4.ip_forward": Invalid argument\n', 1],
    [['sysctl', '-e', 'net.ipv4.nope'], '', 0],
    [['sysctl', 'net.ipv4.nope'], 'sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n', 1],
    [['sysctl', '-w', 'net.ipv4.ip_forward'], 'sysctl: command line(0): invalid syntax, continuing...\n', 1],
    [['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'], '', 0],
    [
      ['sysctl', '-w', 'net.ipv4.conf.all.forwarding=1', 'net.ipv4.conf.lo.forwarding'],
      'net.ipv4.conf.all.forwarding = 1\nsysctl: command line(0): invalid syntax, continuing...\n',
      1,
    ],
  ];
  for (const [argv, out, status] of cases) {
    it(argv.join(' '), () => {
      const { world, a } = hosts();
      const r = run(world, a, argv);
      expect(r.out).toBe(out);
      expect(r.status).toBe(status);
    });
  }

  it('ip_forward sets every device', () => {
    const { world, a } = hosts();
    run(world, a, ['sysctl', '-w', 'net.ipv4.ip_forward=1']);
    expect(a.sysctl.get('net.ipv4.conf.va.forwarding')).toBe('1');
    expect(a.sysctl.get('net.ipv4.conf.all.forwarding')).toBe('1');
  });

  it('no arguments prints the usage on stderr and exits 1', () => {
    const { world, a } = hosts();
    const r = run(world, a, ['sysctl']);
    expect(r.out.startsWith('\nUsage:\n sysctl [options] [variable[=value] ...]\n')).toBe(true);
    expect(r.status).toBe(1);
  });
});

describe('ping (iputils 20221126) errors', () => {
  const cases: [string[], string, number][] = [
    [['ping'], 'ping: usage error: Destination address required\n', 1],
    [['ping', '-c', '1', 'foo.invalid'], 'ping: foo.invalid: Temporary failure in name resolution\n', 2],
    [['ping', '-c', 'x', '1.2.3.4'], "ping: invalid argument: 'x'\n", 1],
    [['ping', '-c', '1', '192.0.2.1'], 'ping: connect: Network is unreachable\n', 2],
  ];
  for (const [argv, out, status] of cases) {
    it(argv.join(' '), () => {
      const { world, a } = hosts();
      const r = run(world, a, argv);
      expect(r.out).toBe(out);
      expect(r.status).toBe(status);
    });
  }

  it('an invalid option prints the usage and exits 2', () => {
    const { world, a } = hosts();
    const r = run(world, a, ['ping', '-Z', '1.2.3.4']);
    expect(r.out.startsWith("ping: invalid option -- 'Z'\n\nUsage\n  ping [options] <destination>\n")).toBe(true);
    expect(r.status).toBe(2);
  });

  it('a flood ping is paced by replies, and by 10 ms without them', () => {
    const { world, a } = hosts();
    const r = run(world, a, ['ping', '-f', '-q', '-c', '50', '10.0.0.2']);
    expect(r.out).toContain('50 packets transmitted, 50 received, 0% packet loss');
    const start = world.sim.now;
    const r2 = run(world, a, ['ping', '-f', '-q', '-c', '5', '-W', '1', '10.0.0.9']);
    expect(r2.out).toContain('5 packets transmitted, 0 received');
    expect(world.sim.now - start).toBeGreaterThanOrEqual(40e6);
  });
});

describe('nstat', () => {
  it('prints absolute counters in nstat -asz format', () => {
    const { world, a } = hosts();
    run(world, a, ['ping', '-c', '1', '10.0.0.2']);
    const r = run(world, a, ['nstat', '-asz']);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('#kernel');
    expect(lines[1]).toBe('IpInReceives                    1                  0.0');
    expect(r.out).toContain(
      '\nIcmpMsgInType0                  1                  0.0\nIcmpMsgOutType8                 1                  0.0\nTcpActiveOpens ',
    );
  });

  it('without -a shows increments since the last run', () => {
    const { world, a } = hosts();
    run(world, a, ['nstat']);
    run(world, a, ['ping', '-c', '1', '10.0.0.2']);
    const r = run(world, a, ['nstat']);
    expect(r.out).toContain('IcmpOutEchos                    1                  0.0');
    const again = run(world, a, ['nstat']);
    expect(again.out).toBe('#kernel\n');
  });
});

describe('nstat reads /proc/net', () => {
  it('lists what /proc/net/snmp, snmp6 and netstat hold, without the MIB-II constants', () => {
    const { world, a } = hosts();
    run(world, a, ['ping', '-c', '1', '10.0.0.2']);
    const r = run(world, a, ['nstat', '-asz']);
    expect(r.out).not.toContain('IpForwarding');
    expect(r.out).not.toContain('TcpMaxConn');
    const snmp = world.vfs.readFile('/proc/net/snmp', a);
    expect(typeof snmp === 'string' && snmp.startsWith('Ip: Forwarding DefaultTTL InReceives')).toBe(true);
    expect(r.out).toMatch(/^IcmpOutEchos +1 /m);
  });
});
