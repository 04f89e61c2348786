// drivers/net/tun.c through /dev/net/tun (src/kernel/uapi/if_tun.ts): what the
// source computes where the recorded scenarios (tap-socat, tap-noreader) do not
// reach: the tun_pi header, TUNSETIFF's refusals, a full tx_ring, `ip -d tuntap`.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/machine/run.ts';
import { MemVfs } from '../../../src/machine/world.ts';
import {
  IFF_NO_PI,
  IFF_TAP,
  IFF_TUN,
  IFF_TUN_EXCL,
  open_tun,
  tun_close,
  tun_ioctl,
  tun_read,
  tun_write,
} from '../../../src/kernel/uapi/if_tun.ts';
import { EBADFD, EBUSY, EINVAL, EAGAIN } from '../../../src/kernel/uapi/errno.ts';

function world(script: string) {
  return runScenario(script, new MemVfs(), {});
}

describe('/dev/net/tun', () => {
  it('refuses what tun_set_iff refuses and attaches one file to a single-queue device', () => {
    const r = world('ip netns add a\nip -n a tuntap add dev tap0 mode tap\n');
    const net = r.world.netns.get('a');
    if (!net) throw new Error('no a');
    const f = open_tun(net);
    expect(tun_read(f, 2048)).toBe(-EBADFD);
    expect(tun_ioctl(f, { cmd: 'TUNSETIFF', ifr: { name: 'tap0', flags: IFF_TAP | IFF_TUN_EXCL } })).toBe(-EBUSY);
    expect(tun_ioctl(f, { cmd: 'TUNSETIFF', ifr: { name: 'tap0', flags: IFF_TUN } })).toBe(-EINVAL);
    expect(tun_ioctl(f, { cmd: 'TUNSETIFF', ifr: { name: 'tap0', flags: IFF_TAP | IFF_NO_PI } })).toBe(0);
    const g = open_tun(net);
    expect(tun_ioctl(g, { cmd: 'TUNSETIFF', ifr: { name: 'tap0', flags: IFF_TAP | IFF_NO_PI } })).toBe(-EBUSY);
    expect(net.devByName.get('tap0')?.carrier).toBe(true);
    tun_close(f);
    tun_close(g);
    expect(net.devByName.get('tap0')?.carrier).toBe(false);
    expect(net.devByName.has('tap0')).toBe(true);
  });

  it('a TUN without IFF_NO_PI reads and writes struct tun_pi before the IP packet', () => {
    const r = world(`ip netns add a
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n a tuntap add dev tun0 mode tun pi
ip -n a addr add 10.5.0.1/24 dev tun0
ip -n a link set tun0 up
`);
    const net = r.world.netns.get('a');
    if (!net) throw new Error('no a');
    const f = open_tun(net);
    expect(tun_ioctl(f, { cmd: 'TUNSETIFF', ifr: { name: 'tun0', flags: IFF_TUN } })).toBe(0);
    expect(tun_read(f, 2048)).toBe(-EAGAIN);
    // an ICMP echo request from 10.5.0.2 to 10.5.0.1, written with tun_pi { 0, ETH_P_IP }
    const ip = [0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 10, 5, 0, 2, 10, 5, 0, 1, 8, 0, 0xf7, 0xfe, 0, 1, 0, 0];
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += ((ip[i] as number) << 8) | (ip[i + 1] as number);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
    ip[10] = (~sum >> 8) & 0xff;
    ip[11] = ~sum & 0xff;
    expect(tun_write(f, new Uint8Array([0, 0, 0x08, 0x00, ...ip]))).toBe(32);
    const reply = tun_read(f, 2048);
    if (typeof reply === 'number') throw new Error(`read ${reply}`);
    // tun_pi { flags 0, proto ETH_P_IP }, then the echo reply from 10.5.0.1 to 10.5.0.2
    expect([...reply.subarray(0, 4)]).toEqual([0, 0, 0x08, 0x00]);
    expect([...reply.subarray(4 + 12, 4 + 20)]).toEqual([10, 5, 0, 1, 10, 5, 0, 2]);
    expect(reply[4 + 20]).toBe(0);
    expect(tun_read(f, 2048)).toBe(-EAGAIN);
    const dev = net.devByName.get('tun0');
    expect([dev?.stats.rx_packets, dev?.stats.rx_bytes, dev?.stats.tx_packets, dev?.stats.tx_bytes]).toEqual([1, 28, 1, 28]);
    tun_close(f);
  });

  it('ip -d tuntap names the processes holding each device (fdinfo "iff:")', () => {
    const r = world(`ip netns add a
ip netns exec a sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n a tuntap add dev tap0 mode tap
ip -n a tuntap add dev tap1 mode tap
ip netns exec a socat -u TUN,tun-type=tap,tun-name=tap0,iff-no-pi,iff-up STDOUT > /dev/null &
sleep 0.1
ip -n a -d tuntap show
ip -n a link show tap0 | head -1
kill %1
wait
ip -n a -d tuntap show
`);
    expect(r.transcript.replace(/socat\(\d+\)/, 'socat(PID)')).toBe(
      'tap0: tap persist\n\tAttached to processes:socat(PID)\ntap1: tap persist\n\tAttached to processes:\n' +
        '2: tap0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000\n' +
        'tap0: tap persist\n\tAttached to processes:\ntap1: tap persist\n\tAttached to processes:\n',
    );
  });
});
