// Network namespace ids as `ip` asks for them (RTM_GETNSID/NEWNSID; the kernel
// keeps them in net->netns_ids) and the names `ip netns` gives namespaces
// (/run/netns, the world's registry).
import type { Net } from '../../../kernel/net_namespace.ts';
import { type NlReply, NLM_F_DUMP, type NsidMsg, RTM_GETNSID, RTM_NEWNSID, rtnl_talk } from '../../../kernel/uapi/rtnetlink.ts';
import type { World } from '../../proc.ts';

/** get_netnsid_from_name(): the id `net` knows `peer` by, or -1 (RTM_GETNSID with NETNSA_FD). */
export function netnsidOf(net: Net, peer: Net): number {
  const r = rtnl_talk(net, { nlmsg_type: RTM_GETNSID, nlmsg_flags: 0, rtgen_family: 0, attrs: { NETNSA_FD: peer } });
  return r.error ? -1 : (r.msgs[0]?.attrs.NETNSA_NSID ?? -1);
}

/** RTM_NEWNSID: `nsid` for `peer` in `net` (-1: the kernel picks the lowest free one). */
export function netnsidSet(net: Net, peer: Net, nsid: number): NlReply<NsidMsg> {
  return rtnl_talk(net, { nlmsg_type: RTM_NEWNSID, nlmsg_flags: 0, rtgen_family: 0, attrs: { NETNSA_FD: peer, NETNSA_NSID: nsid } });
}

/** RTM_GETNSID dump: the ids `net` has given, in id order. */
export function netnsidDump(net: Net): number[] {
  const r = rtnl_talk(net, { nlmsg_type: RTM_GETNSID, nlmsg_flags: NLM_F_DUMP, rtgen_family: 0, attrs: {} });
  return r.msgs.map((m) => m.attrs.NETNSA_NSID ?? -1);
}

/**
 * The names under /run/netns, in the order readdir() returns them: tmpfs lists
 * the newest entry first.
 */
export function netnsNames(world: World): string[] {
  return [...world.netns.keys()].reverse();
}

/** get_name_from_nsid(): the first name whose namespace `net` knows by `id`. */
export function nameFromNsid(world: World, net: Net, id: number): string | null {
  for (const name of netnsNames(world)) {
    const other = world.netns.get(name);
    if (other && netnsidOf(net, other) === id) return name;
  }
  return null;
}
