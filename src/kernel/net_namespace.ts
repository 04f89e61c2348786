// struct net: one per network namespace, with its devices, addresses, FIB,
// neighbour table, sockets, sysctls and SNMP counters.
import type { Kernel } from './kernel.ts';
import type { NetDevice, PacketType } from './core/netdevice.ts';
import { Mib } from './trace/snmp.ts';
import { Sysctls } from './sysctl.ts';
import { Fib } from './ipv4/fib.ts';
import { NeighTable } from './core/neighbour.ts';
import type { Sock } from './sock.ts';
import { NfHooks } from './netfilter/core.ts';
import { NetnsIpv6 } from './ipv6/addrconf.ts';

export class Net {
  readonly devices: NetDevice[] = [];
  readonly devByName = new Map<string, NetDevice>();
  readonly devByIndex = new Map<number, NetDevice>();
  /** net->ifindex: the last index handed out. */
  ifindex = 0;
  readonly ptypeAll: PacketType[] = [];
  readonly mib = new Mib();
  /** net->nf.hooks_*: netfilter hook entries of this namespace. */
  readonly nfHooks = new NfHooks();
  readonly sysctl: Sysctls;
  readonly fib: Fib;
  readonly arpTbl: NeighTable;
  /** net->ipv6: devconf all/default, nd_tbl, the IPv6 sysctls and per-namespace state (ipv6/addrconf.ts). */
  readonly ipv6: NetnsIpv6;
  loopbackDev!: NetDevice;
  /** Raw IPv4 sockets (raw_v4_hashinfo). */
  readonly rawSockets: Sock[] = [];
  /** UDP sockets by local port. */
  readonly udpSockets: Sock[] = [];
  /** Ping (ICMP datagram) sockets. */
  readonly pingSockets: Sock[] = [];
  /** Raw IPv6 sockets (raw_v6_hashinfo), UDPv6 sockets and ICMPv6 datagram sockets (ipv6/af_inet6.ts). */
  readonly raw6Sockets: import('./ipv6/af_inet6.ts').Sock6[] = [];
  readonly udp6Sockets: import('./ipv6/af_inet6.ts').Sock6[] = [];
  readonly ping6Sockets: import('./ipv6/af_inet6.ts').Sock6[] = [];
  /** The sockets processes hold open (sock_inuse_get counts these with the orphans and unaccepted children). */
  readonly openSockets = new Set<Sock>();
  /** ip_idents: the per-destination IP ID generator state. */
  readonly ipIdents = new Map<number, number>();
  /** net->ipv4.dev_addr_genid etc. are not needed; fnhe/pmtu cache by daddr. */
  readonly netnsId: number;
  /** icmp_global_credit / icmp_global_stamp */
  readonly icmpRate = { credit: 0, stamp: 0 };
  /** inet_peer rate limit state, by peer address. */
  readonly inetPeers = new Map<number, { rateTokens: number; rateLast: number }>();
  /** ip_error() and redirect inet_peer state, by source. */
  readonly errorPeers = new Map<number, { tokens: number; last: number }>();
  readonly redirectPeers = new Map<number, { n: number; last: number }>();
  /** IPv4 reassembly queues (net->ipv4.fqdir). */
  readonly fragQueues = new Map<string, import('./ipv4/ip_fragment.ts').FragQueue>();
  /** fqdir->mem: bytes the reassembly queues hold. */
  fragMem = 0;
  /** net->netns_ids: the ids this namespace gives its peers (an idr; see core/net_namespace.ts). */
  readonly netnsIds = new Map<Net, number>();
  /** Learned path MTUs (fib nexthop exceptions), by destination. */
  readonly fnhe = new Map<number, import('./ipv4/route.ts').FibNhException>();
  /** net->ipv4.tcp_death_row's hashinfo (ipv4/inet_hashtables.ts), made on first use. */
  tcpHashinfo: import('./ipv4/inet_hashtables.ts').InetHashinfo | null = null;
  /** The namespace's pktgen (core/pktgen.ts), made on first use. */
  pktgen: import('./core/pktgen.ts').Pktgen | null = null;
  /** br_netfilter's hooks are registered in this namespace (brnf_device_event). */
  brNfRegistered = false;
  /** net->ct: the conntrack table (created by ct_net() on first use). */
  nfCt: import('./netfilter/nf_conntrack.ts').NfCtNet | null = null;
  /** nf_nat's per-namespace state (nat_net()). */
  nfNat: import('./netfilter/nf_nat.ts').NatNet | null = null;
  /** tc actions of the namespace (sched/act_api.ts tcf_net()), made on first use. */
  tcf: import('./sched/act_api.ts').TcfNet | null = null;
  /** net->nft: the xtables/nf_tables rule set (xt_net()). */
  nft: import('./netfilter/x_tables.ts').XtNet | null = null;
  /** net->nft (struct nftables_pernet): the nf_tables ruleset (nft_pernet()). */
  nftables: import('./netfilter/nf_tables_api.ts').NftNet | null = null;

  constructor(
    readonly kernel: Kernel,
    readonly name: string,
  ) {
    this.netnsId = kernel.nets.length;
    kernel.nets.push(this);
    this.sysctl = new Sysctls(this);
    this.fib = new Fib(this);
    this.arpTbl = new NeighTable(this);
    this.ipv6 = new NetnsIpv6(this);
    this.mib.owner = { net: this, path: kernel.path };
  }

  dev(name: string): NetDevice | undefined {
    return this.devByName.get(name);
  }
}
