// ss against what iproute2 6.1's ss printed on Linux 6.18 for the same
// sockets: a TCP listener, a UDP socket and one connection (pids masked).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { VETH_PAIR_SETUP } from '../scripts.ts';

const SETUP = `${VETH_PAIR_SETUP}ip netns exec b nc -l 10.0.0.2 8080 > /dev/null &
ip netns exec b nc -lu 10.0.0.2 5353 > /dev/null &
sleep 0.3
(printf 'hi\\n'; sleep 1) | ip netns exec a nc 10.0.0.2 8080 &
sleep 0.3
`;

function ss(cmd: string): string {
  const t = runScenario(`${SETUP}echo "== ${cmd}"\n${cmd}\n`, new MemVfs()).transcript;
  const m = /10\.0\.0\.1:(\d+)/.exec(t);
  return t
    .replace(/pid=\d+/g, 'pid=P')
    .replaceAll(m ? `:${m[1]} ` : '\u0000', ':47638 ')
    .replace(/== .*\n/, '');
}

describe('ss', () => {
  it('-tlnp: the listener and its process', () => {
    expect(ss('ip netns exec b ss -tlnp')).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n' +
        'LISTEN 0      1           10.0.0.2:8080      0.0.0.0:*    users:(("nc",pid=P,fd=3))\n',
    );
  });

  it('-ta: service names for ports, listeners first', () => {
    expect(ss('ip netns exec b ss -ta')).toBe(
      'State  Recv-Q Send-Q Local Address:Port     Peer Address:Port Process\n' +
        'LISTEN 0      1           10.0.0.2:http-alt      0.0.0.0:*           \n' +
        'ESTAB  0      0           10.0.0.2:http-alt     10.0.0.1:47638       \n',
    );
  });

  it('a single state hides the State column', () => {
    expect(ss('ip netns exec b ss -t state listening')).toBe(
      'Recv-Q Send-Q Local Address:Port     Peer Address:PortProcess\n' + '0      1           10.0.0.2:http-alt      0.0.0.0:*          \n',
    );
    expect(ss('ip netns exec b ss -tn state established')).toBe(
      'Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n' + '0      0           10.0.0.2:8080     10.0.0.1:47638       \n',
    );
  });

  it('UDP: unconnected sockets only with -a or -l', () => {
    expect(ss('ip netns exec b ss -uan')).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n' +
        'UNCONN 0      0           10.0.0.2:5353      0.0.0.0:*          \n',
    );
    expect(ss('ip netns exec b ss -u')).toBe('Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n');
  });

  it('two tables add the Netid column', () => {
    expect(ss('ip netns exec b ss -tu')).toBe(
      'Netid State Recv-Q Send-Q Local Address:Port     Peer Address:Port Process\n' +
        'tcp   ESTAB 0      0           10.0.0.2:http-alt     10.0.0.1:47638       \n',
    );
  });

  it('the process column of the last line does not widen its column', () => {
    // the header is padded to the first line's process token (the real one had a 4-digit pid)
    const out = runScenario(`${SETUP}ip netns exec b ss -tulpn\nwait\n`, new MemVfs()).transcript;
    const [head, udp, tcp] = out.split('\n') as [string, string, string];
    const token = udp.slice(udp.indexOf(' users:'));
    expect(head).toBe(`Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess${' '.repeat(token.length - 7)}`);
    expect(udp.replace(/pid=\d+/, 'pid=P')).toBe(
      'udp   UNCONN 0      0           10.0.0.2:5353      0.0.0.0:*    users:(("nc",pid=P,fd=3))',
    );
    expect(tcp.replace(/pid=\d+/, 'pid=P')).toBe(
      'tcp   LISTEN 0      1           10.0.0.2:8080      0.0.0.0:*    users:(("nc",pid=P,fd=3))',
    );
    expect(ss('ip netns exec a ss -tnp')).toBe(
      'State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n' +
        'ESTAB 0      0           10.0.0.1:47638     10.0.0.2:8080 users:(("nc",pid=P,fd=3))\n',
    );
  });
});

describe('ss -s', () => {
  it('counts TCP sockets of every namespace in "TCP:" (sockstat alloc is machine-wide), the rest per namespace', () => {
    const script = `ip netns add a
ip netns add b
ip -n a link set lo up
ip -n b link set lo up
ip netns exec a nc -l 127.0.0.1 7001 &
ip netns exec b nc -l 127.0.0.1 7002 &
sleep 0.1
ip netns exec a ss -s | head -2
kill %1 %2
`;
    // on Linux 6.18 the same (plus the host's own TCP sockets in "TCP:")
    expect(runScenario(script, new MemVfs()).transcript).toBe('Total: 1\nTCP:   2 (estab 0, closed 1, orphaned 0, timewait 0)\n');
  });
});
