// ip_rt_send_redirect() (net/ipv4/route.c): ICMP redirects with the
// inet_peer backoff (at most ip_rt_redirect_number, load << n apart).
import type { Net } from '../net_namespace.ts';
import type { SkBuff } from '../skbuff.ts';
import { icmp_send } from './icmp.ts';
import { iph_daddr, iph_saddr } from './iphdr.ts';
import type { Rtable } from './route.ts';

const REDIRECT_NUMBER = 9;

export function ip_rt_send_redirect(net: Net, skb: SkBuff): void {
  const rt = skb.dst as Rtable;
  if (!net.sysctl.devConf(rt.dev.name, 'send_redirects') && !net.sysctl.devConf('all', 'send_redirects')) return;
  const k = net.kernel;
  const now = k.jiffies();
  const load = Math.floor(k.HZ / 50);
  const silence = load << (REDIRECT_NUMBER + 1);
  const saddr = iph_saddr(skb.head, skb.networkHeader);
  let p = net.redirectPeers.get(saddr);
  if (!p) {
    p = { n: 0, last: now };
    net.redirectPeers.set(saddr, p);
  }
  if ((now - p.last) >>> 0 > silence) p.n = 0;
  if (p.n >= REDIRECT_NUMBER) {
    p.last = now;
    return;
  }
  if (p.n === 0 || (now - p.last) >>> 0 >= load << p.n) {
    const gw = rt.gw4 || iph_daddr(skb.head, skb.networkHeader);
    icmp_send(net, skb, 5, 1, gw);
    p.last = now;
    p.n++;
  }
}
