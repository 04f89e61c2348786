// The rtnetlink door for links, addresses, namespace ids and the bridge fdb
// (src/kernel/uapi/rtnetlink.ts), spoken to directly as iproute2 would: the
// kernel's answers (messages, negative errno, extack text) and the state it
// keeps (carrier counts, gflags, net->netns_ids, dev->uc), with no tool involved.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Net } from '../../../src/kernel/net_namespace.ts';
import { EADDRNOTAVAIL, EEXIST, ENODEV, ENOENT, EOPNOTSUPP } from '../../../src/kernel/uapi/errno.ts';
import { put_net } from '../../../src/kernel/uapi/net_namespace.ts';
import {
  AF_BRIDGE,
  AF_INET,
  type AddrMsg,
  type FdbMsg,
  IFF_PROMISC,
  IFF_UP,
  ifinfomsg,
  type LinkMsg,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NTF_MASTER,
  NTF_SELF,
  NUD_NOARP,
  NUD_PERMANENT,
  RTM_DELADDR,
  RTM_GETADDR,
  RTM_GETLINK,
  RTM_GETNEIGH,
  RTM_GETNSID,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWNEIGH,
  RTM_NEWNSID,
  rtnl_talk,
} from '../../../src/kernel/uapi/rtnetlink.ts';
import { MemVfs, SimWorld } from '../../../src/machine/world.ts';

const mac = (last: number): Uint8Array => new Uint8Array([2, 0, 0, 0, 0, last]);

function dump(net: Net): LinkMsg[] {
  return rtnl_talk(net, { nlmsg_type: RTM_GETLINK, nlmsg_flags: NLM_F_DUMP, ifi: ifinfomsg(), attrs: {} }).msgs;
}

function link(net: Net, name: string): LinkMsg {
  const r = rtnl_talk(net, { nlmsg_type: RTM_GETLINK, nlmsg_flags: 0, ifi: ifinfomsg(), attrs: { IFLA_IFNAME: name } });
  expect(r.error).toBe(0);
  return r.msgs[0] as LinkMsg;
}

function setFlags(net: Net, name: string, flags: number, change: number): number {
  const index = link(net, name).ifi.ifi_index;
  const ifi = { ...ifinfomsg(0, index), ifi_flags: flags, ifi_change: change };
  return rtnl_talk(net, { nlmsg_type: RTM_NEWLINK, nlmsg_flags: 0, ifi, attrs: {} }).error;
}

/** `ip link add NAME type veth peer name PEER` in `net`, the peer in `peerNet`. */
function addVeth(net: Net, name: string, peer: string, peerNet?: Net): number {
  const peerAttrs = peerNet
    ? { IFLA_IFNAME: peer, IFLA_ADDRESS: mac(2), IFLA_NET_NS_FD: peerNet }
    : { IFLA_IFNAME: peer, IFLA_ADDRESS: mac(2) };
  return rtnl_talk(net, {
    nlmsg_type: RTM_NEWLINK,
    nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL,
    ifi: ifinfomsg(),
    attrs: {
      IFLA_IFNAME: name,
      IFLA_ADDRESS: mac(1),
      IFLA_LINKINFO: { IFLA_INFO_KIND: 'veth', IFLA_INFO_DATA: { VETH_INFO_PEER: { ifi: ifinfomsg(), attrs: peerAttrs } } },
    },
  }).error;
}

describe('RTM_*LINK', () => {
  it('creates a veth pair, dumps by ifindex and counts carrier changes', () => {
    const w = new SimWorld(new MemVfs());
    const net = w.createNet('a');
    expect(addVeth(net, 'x1', 'x2')).toBe(0);
    expect(dump(net).map((m) => [m.ifi.ifi_index, m.attrs.IFLA_IFNAME])).toEqual([
      [1, 'lo'],
      [2, 'x2'],
      [3, 'x1'],
    ]);
    // veth_newlink switched both carriers off once
    expect(link(net, 'x1').attrs.IFLA_CARRIER_CHANGES).toBe(1);
    expect(link(net, 'x1').attrs.IFLA_LINK).toBe(2);
    expect(setFlags(net, 'x1', IFF_UP, IFF_UP)).toBe(0);
    expect(setFlags(net, 'x2', IFF_UP, IFF_UP)).toBe(0);
    expect(link(net, 'x1').attrs.IFLA_CARRIER_UP_COUNT).toBe(1);
    expect(setFlags(net, 'x2', 0, IFF_UP)).toBe(0);
    expect(link(net, 'x1').attrs.IFLA_CARRIER_CHANGES).toBe(3);
    expect(link(net, 'x1').attrs.IFLA_QDISC).toBe('noqueue');
  });

  it('answers with errno and extack as Linux does', () => {
    const w = new SimWorld(new MemVfs());
    const net = w.createNet('a');
    expect(addVeth(net, 'x1', 'x2')).toBe(0);
    expect(addVeth(net, 'x1', 'x3')).toBe(-EEXIST);
    const r = rtnl_talk(net, {
      nlmsg_type: RTM_NEWLINK,
      nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL,
      ifi: ifinfomsg(),
      attrs: { IFLA_IFNAME: 'q', IFLA_LINKINFO: { IFLA_INFO_KIND: 'foo' } },
    });
    expect([r.error, r.extack]).toEqual([-EOPNOTSUPP, 'Unknown device type']);
    const g = rtnl_talk(net, { nlmsg_type: RTM_GETLINK, nlmsg_flags: 0, ifi: ifinfomsg(), attrs: { IFLA_IFNAME: 'nosuch' } });
    expect(g.error).toBe(-ENODEV);
    const lo = link(net, 'lo').ifi.ifi_index;
    const mv = rtnl_talk(net, { nlmsg_type: RTM_NEWLINK, nlmsg_flags: 0, ifi: ifinfomsg(0, lo), attrs: { IFLA_NET_NS_FD: w.initNet } });
    expect(mv.extack).toBe('The interface netns is immutable');
  });

  it('keeps the promiscuity the user asked for in gflags', () => {
    const w = new SimWorld(new MemVfs());
    const net = w.createNet('a');
    addVeth(net, 'x1', 'x2');
    expect(setFlags(net, 'x1', IFF_PROMISC, IFF_PROMISC)).toBe(0);
    expect(setFlags(net, 'x1', IFF_PROMISC, IFF_PROMISC)).toBe(0);
    const m = link(net, 'x1');
    expect(m.ifi.ifi_flags & IFF_PROMISC).toBe(IFF_PROMISC);
    expect(m.attrs.IFLA_PROMISCUITY).toBe(1);
    setFlags(net, 'x1', 0, IFF_PROMISC);
    expect(link(net, 'x1').attrs.IFLA_PROMISCUITY).toBe(0);
  });
});

describe('RTM_*ADDR', () => {
  it('adds, refuses a duplicate, dumps and deletes', () => {
    const w = new SimWorld(new MemVfs());
    const net = w.createNet('a');
    addVeth(net, 'x1', 'x2');
    const index = link(net, 'x1').ifi.ifi_index;
    const add = (local: number): AddrMsg => ({
      nlmsg_type: RTM_NEWADDR,
      nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL,
      ifa: { ifa_family: AF_INET, ifa_prefixlen: 24, ifa_flags: 0, ifa_scope: 0, ifa_index: index },
      attrs: { IFA_LOCAL: local, IFA_ADDRESS: local },
    });
    expect(rtnl_talk(net, add(0x0a000001)).error).toBe(0);
    expect(rtnl_talk(net, add(0x0a000002)).error).toBe(0);
    const dup = rtnl_talk(net, add(0x0a000001));
    expect([dup.error, dup.extack]).toEqual([-EEXIST, 'ipv4: Address already assigned']);
    const d = rtnl_talk(net, {
      nlmsg_type: RTM_GETADDR,
      nlmsg_flags: NLM_F_DUMP,
      ifa: { ifa_family: AF_INET, ifa_prefixlen: 0, ifa_flags: 0, ifa_scope: 0, ifa_index: 0 },
      attrs: {},
    });
    expect(d.msgs.map((m) => [m.attrs.IFA_LOCAL, m.ifa.ifa_flags, m.attrs.IFA_LABEL])).toEqual([
      [0x0a000001, 0x80, 'x1'],
      [0x0a000002, 0x81, 'x1'],
    ]);
    const del = rtnl_talk(net, { ...add(0x0a000009), nlmsg_type: RTM_DELADDR, nlmsg_flags: 0 });
    expect([del.error, del.extack]).toEqual([-EADDRNOTAVAIL, 'ipv4: Address not found']);
  });
});

describe('RTM_*NSID', () => {
  it('gives ids lazily, on request, and forgets a dead namespace', () => {
    const w = new SimWorld(new MemVfs());
    const a = w.createNet('a');
    const b = w.createNet('b');
    const c = w.createNet('c');
    const getid = (net: Net, peer: Net): number | undefined =>
      rtnl_talk(net, { nlmsg_type: RTM_GETNSID, nlmsg_flags: 0, rtgen_family: 0, attrs: { NETNSA_FD: peer } }).msgs[0]?.attrs.NETNSA_NSID;
    expect(getid(a, b)).toBe(-1);
    // describing a veth whose peer is in b gives b an id in a
    addVeth(a, 'va', 'vb', b);
    dump(a);
    expect(getid(a, b)).toBe(0);
    const set = (net: Net, peer: Net, id: number) =>
      rtnl_talk(net, { nlmsg_type: RTM_NEWNSID, nlmsg_flags: 0, rtgen_family: 0, attrs: { NETNSA_FD: peer, NETNSA_NSID: id } });
    expect(set(a, c, 0).extack).toBe('The specified nsid is already used');
    expect(set(a, b, 5).extack).toBe('Peer netns already has a nsid assigned');
    expect(set(a, c, 7).error).toBe(0);
    const ids = rtnl_talk(a, { nlmsg_type: RTM_GETNSID, nlmsg_flags: NLM_F_DUMP, rtgen_family: 0, attrs: {} }).msgs.map(
      (m) => m.attrs.NETNSA_NSID,
    );
    expect(ids).toEqual([0, 7]);
    put_net(c);
    expect(getid(a, c)).toBe(-1);
  });
});

describe('AF_BRIDGE neighbours', () => {
  it('adds to a port (master) and to the device itself (self), dumps and deletes', () => {
    const w = new SimWorld(new MemVfs());
    const net = w.createNet('s');
    rtnl_talk(net, {
      nlmsg_type: RTM_NEWLINK,
      nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL,
      ifi: ifinfomsg(),
      attrs: { IFLA_IFNAME: 'br0', IFLA_ADDRESS: mac(0x99), IFLA_LINKINFO: { IFLA_INFO_KIND: 'bridge' } },
    });
    addVeth(net, 'p1', 'q1');
    const br = link(net, 'br0').ifi.ifi_index;
    const p1 = link(net, 'p1').ifi.ifi_index;
    expect(rtnl_talk(net, { nlmsg_type: RTM_NEWLINK, nlmsg_flags: 0, ifi: ifinfomsg(0, p1), attrs: { IFLA_MASTER: br } }).error).toBe(0);
    const fdb = (type: number, flags: number, state: number, last: number): FdbMsg => ({
      nlmsg_type: type as FdbMsg['nlmsg_type'],
      nlmsg_flags: NLM_F_CREATE | NLM_F_EXCL,
      ndm: { ndm_family: AF_BRIDGE, ndm_ifindex: p1, ndm_state: state, ndm_flags: flags, ndm_type: 0 },
      attrs: { NDA_LLADDR: mac(last) },
    });
    expect(rtnl_talk(net, fdb(RTM_NEWNEIGH, NTF_MASTER, NUD_NOARP | 0x02, 5)).error).toBe(0);
    expect(rtnl_talk(net, fdb(RTM_NEWNEIGH, NTF_SELF, NUD_NOARP | NUD_PERMANENT, 7)).error).toBe(0);
    expect(rtnl_talk(net, fdb(RTM_NEWNEIGH, NTF_SELF, NUD_NOARP | NUD_PERMANENT, 7)).error).toBe(-EEXIST);
    const r = rtnl_talk(net, {
      nlmsg_type: RTM_GETNEIGH,
      nlmsg_flags: NLM_F_DUMP,
      ndm: { ndm_family: AF_BRIDGE, ndm_ifindex: p1, ndm_state: 0, ndm_flags: 0, ndm_type: 0 },
      attrs: {},
    });
    const rows = r.msgs.map((m) => [m.attrs.NDA_LLADDR?.[5], m.ndm.ndm_state, m.ndm.ndm_flags, m.attrs.NDA_MASTER]);
    expect(rows).toEqual([
      [5, NUD_NOARP, 0, br],
      [1, NUD_PERMANENT, 0, br],
      [7, NUD_PERMANENT, NTF_SELF, undefined],
      [1, NUD_PERMANENT, NTF_SELF, undefined],
    ]);
    expect(rtnl_talk(net, { ...fdb(29, NTF_MASTER, 0, 9), nlmsg_flags: 0 }).error).toBe(-ENOENT);
  });
});

describe('the ip and bridge tools', () => {
  it('import nothing of the kernel but its user API (and types)', () => {
    const root = join(new URL('.', import.meta.url).pathname, '../../../src/userspace/tools');
    const files = [
      'ip.ts',
      'bridge.ts',
      ...readdirSync(join(root, 'ip'))
        .filter((f) => !['route.ts', 'neigh.ts'].includes(f))
        .map((f) => `ip/${f}`),
    ];
    for (const f of files) {
      const src = readFileSync(join(root, f), 'utf8');
      for (const m of src.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const spec = m[2] as string;
        if (!spec.includes('/kernel/') || spec.includes('/kernel/uapi/')) continue;
        expect(m[1], `${f} imports ${spec}`).toBeTruthy();
      }
    }
  });
});

describe('NIC carrier counts', () => {
  it('e1000 and snull count the carrier they lose when taken down', async () => {
    const { runScenario } = await import('../../../src/machine/run.ts');
    for (const model of ['e1000', 'snull']) {
      const script = `skbpath-nic add n0 model ${model} peer n1\nip link set n0 up\nip link set n1 up\nsleep 3\nip link set n0 down\nsleep 1\nip link set n0 up\nsleep 3\n`;
      const r = runScenario(script, new MemVfs());
      expect(r.exitStatus, r.transcript).toBe(0);
      const msg = rtnl_talk(r.world.initNet, { nlmsg_type: RTM_GETLINK, nlmsg_flags: 0, ifi: ifinfomsg(), attrs: { IFLA_IFNAME: 'n0' } })
        .msgs[0] as LinkMsg;
      // up, down (dev_close: netif_carrier_off), up again
      expect([model, msg.attrs.IFLA_CARRIER_UP_COUNT, msg.attrs.IFLA_CARRIER_DOWN_COUNT]).toEqual([model, 2, 1]);
    }
  });
});
