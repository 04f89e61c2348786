// net/core/net_namespace.c: the ids a namespace gives its peers
// (net->netns_ids) and RTM_NEWNSID/GETNSID. Linux assigns an id lazily: when
// rtnetlink first describes, to one namespace, a link whose peer lives in the
// other (rtnl_fill_link_netnsid), when a device leaves for it, or on request.
import type { Net } from '../net_namespace.ts';
import { NLM_F_MULTI, RTM_NEWNSID, type NlReply, type NsidMsg } from '../uapi/rtnetlink.ts';
import { EEXIST, EINVAL, ESRCH } from '../uapi/errno.ts';
import { destroy_net } from './rtnetlink.ts';

/** peernet2id(): the id `net` knows `peer` by, or NETNSA_NSID_NOT_ASSIGNED (-1). */
export function peernet2id(net: Net, peer: Net): number {
  return net.netnsIds.get(peer) ?? -1;
}

/** alloc_netid(): idr_alloc in [reqid, reqid + 1), or from 0 when reqid < 0; -ENOSPC when taken. */
function alloc_netid(net: Net, peer: Net, reqid: number): number {
  const used = new Set(net.netnsIds.values());
  if (reqid >= 0) {
    if (used.has(reqid)) return -28; // ENOSPC
    net.netnsIds.set(peer, reqid);
    return reqid;
  }
  let id = 0;
  while (used.has(id)) id++;
  net.netnsIds.set(peer, id);
  return id;
}

/** peernet2id_alloc(): the id, allocating the lowest free one; -1 for the namespace itself. */
export function peernet2id_alloc(net: Net, peer: Net): number {
  if (net === peer) return -1;
  const have = net.netnsIds.get(peer);
  if (have !== undefined) return have;
  return alloc_netid(net, peer, -1);
}

/** cleanup_net(): a dead namespace's devices go, and every other namespace forgets its id. */
export function cleanup_net(gone: Net): void {
  destroy_net(gone);
  gone.netnsIds.clear();
  for (const net of gone.kernel.nets) net.netnsIds.delete(gone);
}

interface ExtAck {
  msg: string | null;
}

/** rtnl_net_newid(): `ip netns set NAME ID|auto`. */
export function rtnl_net_newid(net: Net, req: NsidMsg, extack: ExtAck): number {
  const nsid = req.attrs.NETNSA_NSID;
  if (nsid === undefined) {
    extack.msg = 'nsid is missing';
    return -EINVAL;
  }
  const peer = req.attrs.NETNSA_FD;
  if (!peer) {
    extack.msg = req.attrs.NETNSA_PID !== undefined ? null : 'Peer netns reference is missing';
    return req.attrs.NETNSA_PID !== undefined ? -ESRCH : -EINVAL;
  }
  if (peernet2id(net, peer) >= 0) {
    extack.msg = 'Peer netns already has a nsid assigned';
    return -EEXIST;
  }
  const err = alloc_netid(net, peer, nsid);
  if (err === -28 && nsid >= 0) {
    extack.msg = 'The specified nsid is already used';
    return -EEXIST;
  }
  return err < 0 ? err : 0;
}

/** rtnl_net_getid(): the id of the peer (NETNSA_NSID -1 when it has none). */
export function rtnl_net_getid(net: Net, req: NsidMsg, extack: ExtAck): NlReply<NsidMsg> {
  const peer = req.attrs.NETNSA_FD;
  if (!peer) {
    extack.msg = req.attrs.NETNSA_PID !== undefined ? null : 'Peer netns reference is missing';
    return { error: req.attrs.NETNSA_PID !== undefined ? -ESRCH : -EINVAL, extack: extack.msg, msgs: [] };
  }
  const msg: NsidMsg = { nlmsg_type: RTM_NEWNSID, nlmsg_flags: 0, rtgen_family: 0, attrs: { NETNSA_NSID: peernet2id(net, peer) } };
  return { error: 0, extack: null, msgs: [msg] };
}

/** rtnl_net_dumpid(): every id of `net`, in idr order. */
export function rtnl_net_dumpid(net: Net): NsidMsg[] {
  const rows = [...net.netnsIds.entries()].sort((a, b) => a[1] - b[1]);
  return rows.map(([, id]) => ({ nlmsg_type: RTM_NEWNSID, nlmsg_flags: NLM_F_MULTI, rtgen_family: 0, attrs: { NETNSA_NSID: id } }));
}
