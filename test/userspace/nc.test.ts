// nc against what the real netcat-openbsd 1.219-1 printed on Linux 6.18 for
// the same commands (two namespaces on a veth pair, as the oracle's).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { VETH_PAIR_SETUP } from '../scripts.ts';

const SETUP = `${VETH_PAIR_SETUP}`;

const USAGE =
  'usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n' +
  '\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n' +
  '\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n' +
  '\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n' +
  '\t  [destination] [port]\n';

function sh(script: string): string {
  return runScenario(SETUP + script, new MemVfs()).transcript.replace(/on 10\.0\.0\.1 \d+\n/g, 'on 10.0.0.1 PORT\n');
}

describe('nc: arguments', () => {
  it('option errors print the usage and exit 1', () => {
    expect(sh('nc -Y; echo rc=$?\n')).toBe(`nc: invalid option -- 'Y'\n${USAGE}rc=1\n`);
    expect(sh('nc -w; echo rc=$?\n')).toBe(`nc: option requires an argument -- 'w'\n${USAGE}rc=1\n`);
    expect(sh('nc; echo rc=$?\n')).toBe(`${USAGE}rc=1\n`);
    expect(sh('nc -l 10.0.0.2 8080 -p 5; echo rc=$?\n')).toBe(`${USAGE}rc=1\n`);
  });

  it('port and timeout errors', () => {
    expect(sh('nc -l; echo rc=$?\n')).toBe('nc: missing port number\nrc=1\n');
    expect(sh('nc 1.2.3.4; echo rc=$?\n')).toBe('nc: missing port number\nrc=1\n');
    expect(sh('nc -w x 1.2.3.4 80; echo rc=$?\n')).toBe('nc: timeout invalid: x\nrc=1\n');
    expect(sh('nc 1.2.3.4 99999; echo rc=$?\n')).toBe('nc: port number too large: 99999\nrc=1\n');
    expect(sh('nc 1.2.3.4 0; echo rc=$?\n')).toBe('nc: port number too small: 0\nrc=1\n');
    expect(sh('nc 1.2.3.4 foo; echo rc=$?\n')).toBe('nc: port number invalid: foo\nrc=1\n');
    expect(sh('nc -lz 1; echo rc=$?\n')).toBe('nc: cannot use -z and -l\nrc=1\n');
  });
});

describe('nc: connections', () => {
  it('-v reports each refused port of a range; without -v nothing', () => {
    expect(sh('ip netns exec a nc -zv 10.0.0.2 79-81; echo rc=$?\n')).toBe(
      'nc: connect to 10.0.0.2 port 79 (tcp) failed: Connection refused\n' +
        'nc: connect to 10.0.0.2 port 80 (tcp) failed: Connection refused\n' +
        'nc: connect to 10.0.0.2 port 81 (tcp) failed: Connection refused\nrc=1\n',
    );
    expect(sh('ip netns exec a nc -z 10.0.0.2 80; echo rc=$?\n')).toBe('rc=1\n');
  });

  it('a source address that is not ours cannot be bound', () => {
    expect(sh('ip netns exec a nc -v -s 10.0.0.5 10.0.0.2 80; echo rc=$?\n')).toBe(
      'nc: bind failed: Cannot assign requested address\nrc=1\n',
    );
  });

  it('an address nobody answers times out after -w', () => {
    expect(sh('ip netns exec a nc -v -w 1 10.0.0.9 80; echo rc=$?\n')).toBe(
      'nc: connect to 10.0.0.9 port 80 (tcp) timed out: Operation now in progress\nrc=1\n',
    );
  });

  it('-lnv and -v report both ends; the service name comes from /etc/services unless -n', () => {
    const out = sh(`ip netns exec b nc -lnv 10.0.0.2 8080 > o1 2>&1 &
sleep 0.3
printf 'x\\n' | ip netns exec a nc -v -N 10.0.0.2 8080
wait
cat o1
printf 'x\\n' | ip netns exec a nc -nv -N 10.0.0.2 8080
`);
    expect(out).toBe(
      'Connection to 10.0.0.2 8080 port [tcp/http-alt] succeeded!\n' +
        'Listening on 10.0.0.2 8080\nConnection received on 10.0.0.1 PORT\nx\n' +
        'nc: connect to 10.0.0.2 port 8080 (tcp) failed: Connection refused\n',
    );
  });

  it('UDP with -v writes its X probes, then reports', () => {
    const out = sh(`ip netns exec b timeout 3 nc -lunv 10.0.0.2 5353 > o2 2>&1 &
sleep 0.3
printf 'y\\n' | ip netns exec a nc -uv -w 1 10.0.0.2 5353; echo rc=$?
wait
cat o2
`);
    expect(out).toBe(
      'Connection to 10.0.0.2 5353 port [udp/mdns] succeeded!\nrc=0\nBound on 10.0.0.2 5353\nConnection received on 10.0.0.1 PORT\nXXXy\n',
    );
  });

  it('a listener without -n cannot name the peer: getnameinfo fails, the data still flows', () => {
    const out = sh(`ip netns exec b nc -lv 10.0.0.2 8080 > o1 2>&1 &
sleep 0.3
printf 'z\\n' | ip netns exec a nc -N 10.0.0.2 8080
wait
cat o1
`);
    expect(out).toBe('nc: getnameinfo: Temporary failure in name resolution\nnc: getnameinfo: Temporary failure in name resolution\nz\n');
  });
});
