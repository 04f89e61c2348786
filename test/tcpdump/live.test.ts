// tcpdump inside scenarios: a live capture ended by -c, by kill and by
// timeout; -w then -r; the messages and exit codes of its errors.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { VETH_PAIR_SETUP } from '../scripts.ts';

const SETUP = `${VETH_PAIR_SETUP}`;

function run(script: string): { transcript: string; vfs: MemVfs } {
  const vfs = new MemVfs();
  const r = runScenario(SETUP + script, vfs);
  return { transcript: r.transcript.replace(/^\d\d:\d\d:\d\d\.\d{6} /gm, '<TS> '), vfs };
}

describe('tcpdump in a scenario', () => {
  it('a killed capture flushes its lines, a newline, and its statistics', () => {
    const { transcript } = run(`ip netns exec b tcpdump -i vb -nn -e arp > k.txt 2> k.err &
sleep 0.2
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
sleep 1.2
kill $!
wait
cat k.txt k.err
`);
    expect(
      transcript,
    ).toBe(`<TS> 02:00:00:00:00:0a > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 10.0.0.2 tell 10.0.0.1, length 28
<TS> 02:00:00:00:00:0b > 02:00:00:00:00:0a, ethertype ARP (0x0806), length 42: Reply 10.0.0.2 is-at 02:00:00:00:00:0b, length 28

tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on vb, link-type EN10MB (Ethernet), snapshot length 262144 bytes
2 packets captured
2 packets received by filter
0 packets dropped by kernel
`);
  });

  it('frames still in the ring block when the capture is killed are received but not captured (recorded on Linux)', () => {
    const { transcript } = run(`ip netns exec b ip link set lo up
ip netns exec b tcpdump -i lo -nn icmp > k.txt 2> k.err &
sleep 0.5
ip netns exec b ping -c 1 127.0.0.1 > /dev/null
sleep 0.3
kill $!
wait
cat k.txt k.err
`);
    expect(transcript).toBe(`
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes
0 packets captured
4 packets received by filter
0 packets dropped by kernel
`);
  });

  it('-w under timeout writes a savefile that -r reads back', () => {
    const { transcript, vfs } = run(`ip netns exec b timeout 2 tcpdump -i vb -w q.pcap icmp &
sleep 0.2
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
wait
tcpdump -nn -tt -r q.pcap
echo rc=$?
`);
    expect(transcript).toMatch(
      /^tcpdump: listening on vb, link-type EN10MB \(Ethernet\), snapshot length 262144 bytes\n2 packets captured\n2 packets received by filter\n0 packets dropped by kernel\nreading from file q.pcap, link-type EN10MB \(Ethernet\), snapshot length 262144\n\d+\.\d{6} IP 10\.0\.0\.1 > 10\.0\.0\.2: ICMP echo request, id \d+, seq 1, length 64\n\d+\.\d{6} IP 10\.0\.0\.2 > 10\.0\.0\.1: ICMP echo reply, id \d+, seq 1, length 64\nrc=0\n$/,
    );
    expect(vfs.files.get('q.pcap')?.length).toBe(24 + 2 * (16 + 98));
  });

  it('errors: unknown device, missing file, bad filter, bad option', () => {
    const { transcript } = run(`tcpdump -i nosuch
echo rc=$?
tcpdump -r nosuch.pcap
echo rc=$?
ip netns exec b tcpdump -i vb 'port 99999'
echo rc=$?
tcpdump -d 'tcp[13] &'
echo rc=$?
tcpdump -d -y EN10MB arp
`);
    expect(transcript).toBe(`tcpdump: nosuch: No such device exists
(SIOCGIFHWADDR: No such device)
rc=1
tcpdump: nosuch.pcap: No such file or directory
rc=1
tcpdump: illegal port number 99999 > 65535
rc=1
Warning: assuming Ethernet
tcpdump: can't parse filter expression: syntax error
rc=1
(000) ldh      [12]
(001) jeq      #0x806           jt 2\tjf 3
(002) ret      #262144
(003) ret      #0
`);
  });

  it('-i any: Linux cooked v2 frames, interface and direction, as recorded on Linux', () => {
    const { transcript } = run(`ip netns exec b tcpdump -i any -nn > a1.txt 2> a1.err &
sleep 0.3
ip netns exec b tcpdump -i any -nn -e -w a.pcap 2> /dev/null &
sleep 0.3
ip netns exec b tcpdump -i any -d icmp
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
sleep 1.2
kill %1 %2
wait
cat a1.txt a1.err
tcpdump -nn -e -r a.pcap 'arp or icmp[icmptype] = icmp-echo'
`);
    expect(transcript.replace(/id \d+, seq/g, 'id <*>, seq')).toBe(`tcpdump: data link type LINUX_SLL2
(000) ldh      [0]
(001) jeq      #0x800           jt 2\tjf 5
(002) ldb      [29]
(003) jeq      #0x1             jt 4\tjf 5
(004) ret      #262144
(005) ret      #0
<TS> vb    B   ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28
<TS> vb    Out ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:0b, length 28
<TS> vb    In  IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id <*>, seq 1, length 64
<TS> vb    Out IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id <*>, seq 1, length 64

tcpdump: data link type LINUX_SLL2
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes
4 packets captured
4 packets received by filter
0 packets dropped by kernel
reading from file a.pcap, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144
Warning: interface names might be incorrect
<TS> ?     B   ifindex 2 02:00:00:00:00:0a ethertype ARP (0x0806), length 48: Request who-has 10.0.0.2 tell 10.0.0.1, length 28
<TS> ?     Out ifindex 2 02:00:00:00:00:0b ethertype ARP (0x0806), length 48: Reply 10.0.0.2 is-at 02:00:00:00:00:0b, length 28
<TS> ?     In  ifindex 2 02:00:00:00:00:0a ethertype IPv4 (0x0800), length 104: 10.0.0.1 > 10.0.0.2: ICMP echo request, id <*>, seq 1, length 64
`);
  });

  it('no -i and nothing but loopback up: the "any" device in Linux cooked v1 (recorded on Linux)', () => {
    const vfs = new MemVfs();
    const r = runScenario(
      `ip netns add b
ip -n b link set lo up
ip netns exec b tcpdump -nn -e > v1.txt 2> v1.err &
sleep 0.3
ip netns exec b tcpdump -d inbound
ip netns exec b ping -c 1 127.0.0.1 > /dev/null
sleep 1.2
kill $!
wait
cat v1.txt v1.err
`,
      vfs,
    );
    expect(
      r.transcript.replace(/^\d\d:\d\d:\d\d\.\d{6} /gm, '<TS> ').replace(/id \d+, seq/g, 'id <*>, seq'),
    ).toBe(`Warning: assuming Ethernet
(000) ldh      [type]
(001) jeq      #0x4             jt 2\tjf 3
(002) ret      #0
(003) ret      #262144
<TS>  In 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 100: 127.0.0.1 > 127.0.0.1: ICMP echo request, id <*>, seq 1, length 64
<TS>  In 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 100: 127.0.0.1 > 127.0.0.1: ICMP echo reply, id <*>, seq 1, length 64

tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on any, link-type LINUX_SLL (Linux cooked v1), snapshot length 262144 bytes
2 packets captured
4 packets received by filter
0 packets dropped by kernel
`);
  });

  it('takes clustered and attached options: -nnvvXc5 -ivb stops after five packets', () => {
    const { transcript } = run(`ip netns exec b tcpdump -nnvvXc5 -ivb icmp > c.txt 2> c.err &
sleep 0.2
ip netns exec a ping -c 3 -i 0.2 10.0.0.2 > /dev/null
wait
grep -c 'ICMP echo' c.txt
cat c.err
`);
    expect(transcript).toBe(`5
tcpdump: listening on vb, link-type EN10MB (Ethernet), snapshot length 262144 bytes
5 packets captured
6 packets received by filter
0 packets dropped by kernel
`);
  });

  it('opens the device promiscuous (PACKET_MR_PROMISC) unless -p, and undoes it when it exits', () => {
    const { transcript } = run(`ip netns exec b tcpdump -i vb -c 1 > /dev/null 2>&1 &
sleep 0.2
ip -d -n b link show vb | grep -o 'promiscuity [0-9]*'
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
wait
ip -d -n b link show vb | grep -o 'promiscuity [0-9]*'
ip netns exec b tcpdump -p -i vb -c 1 > /dev/null 2>&1 &
sleep 0.2
ip -d -n b link show vb | grep -o 'promiscuity [0-9]*'
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
wait
`);
    // dev_set_promiscuity() counts; IFF_PROMISC shows in `ip link` only when set by hand (gflags)
    expect(transcript).toBe('promiscuity 1\npromiscuity 0\npromiscuity 0\n');
  });

  it('-Q in / --direction=out keep one direction (libpcap checks sll_pkttype)', () => {
    const { transcript } = run(`ip netns exec b tcpdump -nn -t -Q in -i vb icmp > in.txt 2> /dev/null &
ip netns exec b tcpdump -nn -t --direction=out -i vb icmp > out.txt 2> /dev/null &
sleep 0.2
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
sleep 1.5
kill %1 %2
wait
cat in.txt out.txt
`);
    expect(transcript.replace(/id \d+, seq/g, 'id <*>, seq')).toBe(`IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id <*>, seq 1, length 64

IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id <*>, seq 1, length 64

`);
  });

  it('-F reads the expression from a file, comments blanked (recorded with tcpdump 4.99.3)', () => {
    const { transcript } = run(`printf 'icmp # pings\\n and not arp\\n' > f.txt
tcpdump -d -F f.txt
tcpdump -d -F nope.txt; echo rc=$?
`);
    expect(transcript).toBe(`Warning: assuming Ethernet
(000) ldh      [12]
(001) jeq      #0x800           jt 2\tjf 5
(002) ldb      [23]
(003) jeq      #0x1             jt 4\tjf 5
(004) ret      #262144
(005) ret      #0
Warning: assuming Ethernet
tcpdump: can't open nope.txt: No such file or directory
rc=1
`);
  });

  it('-D lists the devices as pcap_findalldevs orders them; without -i the first one is captured on', () => {
    const { transcript } = run(`ip -n b link add vx type veth peer name vy
ip netns exec b tcpdump -D
ip netns exec b tcpdump -nn -c 1 icmp 2>&1 &
sleep 0.2
ip netns exec a ping -c 1 10.0.0.2 > /dev/null
wait
`);
    expect(
      transcript.replace(/^\d\d:\d\d:\d\d\.\d{6} /gm, '<TS> ').replace(/id \d+, seq/g, 'id <*>, seq'),
    ).toBe(`1.vb [Up, Running, Connected]
2.any (Pseudo-device that captures on all interfaces) [Up, Running]
3.lo [Up, Running, Loopback]
4.vy [none, Disconnected]
5.vx [none, Disconnected]
tcpdump: verbose output suppressed, use -v[v]... for full protocol decode
listening on vb, link-type EN10MB (Ethernet), snapshot length 262144 bytes
<TS> IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id <*>, seq 1, length 64
1 packet captured
2 packets received by filter
0 packets dropped by kernel
`);
  });
});

describe('tcpdump -w to a path it cannot create', () => {
  it('fails before listening, as tcpdump does, and the script goes on', () => {
    // a Vfs where "ro/" cannot be written (as a missing directory on Linux)
    class RoVfs extends MemVfs {
      override writeFile(path: string, data: string, append: boolean): ReturnType<MemVfs['writeFile']> {
        return path.startsWith('ro/') ? { errno: 'ENOENT' } : super.writeFile(path, data, append);
      }
    }
    const r = runScenario(`${SETUP}ip netns exec a tcpdump -i va -w ro/x.pcap -c 1; echo rc=$?\n`, new RoVfs());
    expect(r.transcript).toBe('tcpdump: ro/x.pcap: No such file or directory\nrc=1\n');
  });
});
