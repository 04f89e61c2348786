// Routing table names: iproute2 6.1's lib/rt_names.c reads /etc/iproute2/rt_tables
// and rt_tables.d/*.conf; each run has its own /etc (src/userspace/etcfs.ts), seeded
// with the file Debian's iproute2 package installs. Writing the host's /etc to
// record this would change the recording machine, so the recording
// (policy-routing) uses table 100; here the same setup names it `web`, and the
// output must be the recorded one with the name in place of the number, as
// rtnl_rttable_n2a() prints it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { RT_TABLES_D_README, RT_TABLES_DEFAULT } from '../../src/userspace/etcfs.ts';

const ORACLE = new URL('../oracle/', import.meta.url);

function run(script: string, vfs = new MemVfs()) {
  return runScenario(script, vfs, {});
}

describe('/etc/iproute2/rt_tables', () => {
  it('is the packaged file, per run, and a write stays in the run', () => {
    const vfs = new MemVfs();
    const r = run(
      'cat /etc/iproute2/rt_tables\necho "100 web" >> /etc/iproute2/rt_tables\ntail -1 /etc/iproute2/rt_tables\ncat /etc/iproute2/rt_tables.d/README\n',
      vfs,
    );
    expect(r.transcript).toBe(`${RT_TABLES_DEFAULT}100 web\n${RT_TABLES_D_README}`);
    expect([...vfs.files.keys()]).toEqual([]);
    expect(run('tail -1 /etc/iproute2/rt_tables\n').transcript).toBe('#1\tinr.ruhep\n');
  });

  it('names the recorded numeric table in ip rule and ip route show table all (policy-routing, table 100 → web)', () => {
    const script = readFileSync(new URL('scenarios/policy-routing.sh', ORACLE), 'utf8');
    const setup = (script.split('# @traffic')[0] as string)
      .replace('table 100\n', 'table web\n')
      .replace('from 10.0.1.11 table 100', 'from 10.0.1.11 table web');
    const r = run(`echo "100 web" >> /etc/iproute2/rt_tables\n${setup}`);
    const golden = readFileSync(new URL('golden/policy-routing/transcript.txt', ORACLE), 'utf8');
    const recorded = golden.slice(0, golden.indexOf('PING'));
    expect(recorded).toContain('lookup 100');
    expect(r.transcript).toBe(recorded.replace('lookup 100', 'lookup web').replace('table 100 ', 'table web '));
  });

  it('reads rt_tables.d/*.conf after rt_tables (a later entry first), takes names in filters, and -N prints numbers', () => {
    const r = run(`echo "200 db" > /etc/iproute2/rt_tables.d/db.conf
echo "0x12d  vpn # the tunnel" > /etc/iproute2/rt_tables.d/vpn.conf
echo "300 ignored" > /etc/iproute2/rt_tables.d/other.txt
ip netns add a
ip -n a link add d0 type dummy
ip -n a link set d0 up
ip -n a route add 10.1.0.0/16 dev d0 table db
ip -n a route add 10.2.0.0/16 dev d0 table vpn
ip -n a route add 10.3.0.0/16 dev d0 table 300
ip -n a rule add fwmark 7 lookup vpn
ip -n a route show table db
ip -n a route show table all | grep -v local
ip -n a rule show
ip -n a -N rule show | grep fwmark
ip -n a route add 10.4.0.0/16 dev d0 table nosuch; echo "rc=$?"
`);
    expect(r.transcript).toBe(
      '10.1.0.0/16 dev d0 scope link \n' +
        // fib_table_hash order: 300 and 301 (buckets 44, 45) before 200
        '10.3.0.0/16 dev d0 table 300 scope link \n' +
        '10.2.0.0/16 dev d0 table vpn scope link \n' +
        '10.1.0.0/16 dev d0 table db scope link \n' +
        '0:\tfrom all lookup local\n' +
        '32765:\tfrom all fwmark 0x7 lookup vpn\n' +
        '32766:\tfrom all lookup main\n' +
        '32767:\tfrom all lookup default\n' +
        '32765:\tfrom all fwmark 0x7 lookup 301\n' +
        'Error: argument "nosuch" is wrong: "table" value is invalid\n\nrc=255\n',
    );
  });

  it('says where a database is corrupted', () => {
    const r = run('echo "web 100" >> /etc/iproute2/rt_tables\nip rule show | head -1\n');
    expect(r.transcript).toBe('Database /etc/iproute2/rt_tables is corrupted at web 100\n\n0:\tfrom all lookup local\n');
  });
});
