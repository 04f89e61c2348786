// /proc/sys from scripts: reads and writes in the opener's namespace with the
// kernel's write semantics, and procps-ng sysctl reading and writing through
// it. The fixture is what bash 5.2 and sysctl 4.0.2 printed for the same
// script on Linux 6.18 (only writes the kernel refuses, so the host is unchanged).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';

const FIX = join(new URL('.', import.meta.url).pathname, 'fixtures');
const run = (script: string): string => runScenario(script, new MemVfs()).transcript;

describe('/proc/sys', () => {
  it('refuses writes and reports them as bash and sysctl do on Linux', () => {
    const script = readFileSync(join(FIX, 'proc_sys_errors.sh'), 'utf8');
    expect(run(script)).toBe(readFileSync(join(FIX, 'proc_sys_errors.bash.txt'), 'utf8'));
  });

  it('echo 1 > ip_forward sets forwarding on every device (inet_forward_change)', () => {
    const out = run(`ip link add va type veth peer name vb
echo 1 > /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/conf/all/forwarding /proc/sys/net/ipv4/conf/va/forwarding
sysctl net.ipv4.conf.vb.forwarding
echo 0 > /proc/sys/net/ipv4/conf/all/forwarding
cat /proc/sys/net/ipv4/ip_forward
`);
    expect(out).toBe('1\n1\nnet.ipv4.conf.vb.forwarding = 1\n0\n');
  });

  it("is the opener namespace's", () => {
    const out = run(`ip netns add a
ip netns exec a bash -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
ip netns exec a cat /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward
ip netns exec a sysctl net.core.netdev_budget
sysctl net.core.netdev_budget
ip netns exec a bash -c 'echo 7 > /proc/sys/net/netfilter/nf_conntrack_max'
`);
    expect(out).toBe(
      '1\n0\nsysctl: cannot stat /proc/sys/net/core/netdev_budget: No such file or directory\nnet.core.netdev_budget = 300\n' +
        'bash: line 1: /proc/sys/net/netfilter/nf_conntrack_max: Permission denied\n',
    );
  });

  it('sysctl -a walks /proc/sys in name order', () => {
    const out = run('sysctl -a\n');
    const keys = out
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' = ')[0] as string);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toContain('net.ipv4.conf.lo.forwarding');
    expect(keys).toContain('net.netfilter.nf_log.10');
  });
});

describe('the sysctl table', () => {
  it('checks keys at compile time', () => {
    const r = runScenario('true\n', new MemVfs());
    const sys = r.world.initNet.sysctl;
    // @ts-expect-error a typo is no key
    expect(sys.int('net.ipv4.ip_froward')).toBe(0);
    // @ts-expect-error no such per-device key
    expect(sys.devConf('lo', 'forwardin')).toBe(0);
    expect(sys.int('net.ipv4.ip_forward')).toBe(0);
    expect(sys.int('net.ipv4.conf.lo.forwarding')).toBe(0);
  });
});

describe('/proc/net', () => {
  it("dev lists the opener namespace's devices as dev_seq_show prints them", () => {
    const out = run(`ip netns add a
ip -n a link set lo up
ip netns exec a ping -c 1 127.0.0.1 > /dev/null
ip netns exec a cat /proc/net/dev
cat /proc/net/snmp | head -2 | cut -d' ' -f1-3
`);
    expect(out).toBe(
      'Inter-|   Receive                                                |  Transmit\n' +
        ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n' +
        '    lo:     168       2    0    0    0     0          0         0      168       2    0    0    0     0       0          0\n' +
        'Ip: Forwarding DefaultTTL\nIp: 2 64\n',
    );
  });
});

describe('sysctl -p', () => {
  it('loads a file of the scenario as procps-ng 4.0.2 does', () => {
    const vfs = new MemVfs();
    vfs.files.set('sysctl_load.conf', readFileSync(join(FIX, 'sysctl_load.conf'), 'utf8'));
    const out = runScenario(readFileSync(join(FIX, 'sysctl_load.sh'), 'utf8'), vfs).transcript;
    expect(out).toBe(readFileSync(join(FIX, 'sysctl_load.bash.txt'), 'utf8'));
  });
});

describe('proc_dointvec parsing', () => {
  it('reads the first number in base 0 as Linux 6.18 did on this machine', () => {
    const out = run(`for v in 0x40 0100 +64 " 64" "64 65" 64junk "6 4" " " 0x; do
  printf '%s\\n' "$v" > /proc/sys/net/ipv4/ip_default_ttl 2>/dev/null; echo "[$v] rc=$? $(cat /proc/sys/net/ipv4/ip_default_ttl)"
  echo 64 > /proc/sys/net/ipv4/ip_default_ttl
done
`);
    expect(out).toBe(
      '[0x40] rc=0 64\n[0100] rc=0 64\n[+64] rc=1 64\n[ 64] rc=0 64\n[64 65] rc=0 64\n[64junk] rc=1 64\n[6 4] rc=0 6\n[ ] rc=1 64\n[0x] rc=1 64\n',
    );
  });
});
