# macvlan in vepa and private mode: every frame of a macvlan leaves by the
# lower device mvl0 (a veth to mvs, where it is a port of the bridge mvbr).
# Two vepa macvlans in mva and mvb reach each other only once the switch's
# port sends frames back where they came from (hairpin on); a private
# macvlan in mvc stays alone even then: a broadcast from a private macvlan
# comes back to it only (macvlan_handle_frame), so its ARP goes unanswered.
for ns in mvh mva mvb mvc mvs; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n mvs link add mvbr address 02:00:00:00:23:fe type bridge
ip -n mvh link add mvl0 address 02:00:00:00:23:01 type veth peer name mvx0 netns mvs address 02:00:00:00:23:64
ip -n mvs link set mvx0 master mvbr
ip -n mvh link add mv0 link mvl0 address 02:00:00:00:23:0a type macvlan mode vepa
ip -n mvh link add mv1 link mvl0 address 02:00:00:00:23:0b type macvlan
ip -n mvh link add mv2 link mvl0 address 02:00:00:00:23:0c type macvlan mode private
ip -n mvh link set mv0 netns mva
ip -n mvh link set mv1 netns mvb
ip -n mvh link set mv2 netns mvc
ip -n mva addr add 10.22.2.10/24 dev mv0
ip -n mvb addr add 10.22.2.11/24 dev mv1
ip -n mvc addr add 10.22.2.12/24 dev mv2
ip -n mvs addr add 10.22.2.254/24 dev mvbr
ip -n mvh link set mvl0 up
ip -n mvs link set mvx0 up
ip -n mvs link set mvbr up
ip -n mva link set mv0 up
ip -n mvb link set mv1 up
ip -n mvc link set mv2 up
ip -n mvb -d link show mv1
ip -n mvc -d link show mv2
ip -n mvh -d link show mvl0
sleep 2
# @traffic
ip netns exec mva ping -c 1 -W 1 10.22.2.11; echo "rc=$?"; sleep 3
ip netns exec mva ping -c 1 10.22.2.254; echo "rc=$?"
bridge -n mvs link set dev mvx0 hairpin on
ip netns exec mva ping -c 2 -i 0.2 10.22.2.11; echo "rc=$?"
ip netns exec mvc ping -c 1 -W 1 10.22.2.10; echo "rc=$?"; sleep 3
ip netns exec mvc ping -c 1 10.22.2.254; echo "rc=$?"
ip -n mva neigh show | sort
ip -n mvc neigh show | sort
bridge -n mvs fdb show br mvbr
