// What a namespace handle can do besides rtnetlink: be let go of. On Linux the
// last reference to a network namespace is usually the bind mount under
// /run/netns; when `ip netns delete` unmounts it, cleanup_net() runs.
import type { Net } from '../net_namespace.ts';
import { cleanup_net } from '../core/net_namespace.ts';

/** put_net() of the last reference: the namespace's devices go and its ids are forgotten everywhere. */
export function put_net(net: Net): void {
  cleanup_net(net);
}
