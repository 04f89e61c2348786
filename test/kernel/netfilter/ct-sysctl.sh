# net.netfilter sysctls a namespace may only read: nf_conntrack_count always, the global limits outside init_net
ip netns add zzs4
ip netns exec zzs4 sysctl -w net.netfilter.nf_conntrack_count=5 2>&1; echo rc=$?
ip netns exec zzs4 sysctl -w net.netfilter.nf_conntrack_max=5 2>&1; echo rc=$?
ip netns exec zzs4 sysctl -w net.netfilter.nf_conntrack_buckets=5 2>&1; echo rc=$?
ip netns exec zzs4 sysctl -w net.netfilter.nf_conntrack_tcp_loose=0 2>&1; echo rc=$?
ip netns exec zzs4 sysctl net.netfilter.nf_conntrack_max net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_tcp_loose
ip netns del zzs4
