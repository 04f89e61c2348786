# macvlan's source and passthru modes. A source-mode macvlan (mvs0) gets a
# copy of every frame the lower device receives from the senders on its
# list (macvlan_forward_source), here the outside host's mvx0; its list is
# changed with macaddr add/del/set/flush and printed by `ip -d link` as
# remotes. A passthru macvlan is alone on its lower device and takes its
# address; nopromisc keeps the lower device out of promiscuous mode until the
# flag is cleared. bcqueuelen: the largest a port's macvlans ask for is used.
for ns in mvh mvx; do ip netns add $ns; ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1; ip -n $ns link set lo up; done
ip -n mvh link add mvl0 address 02:00:00:00:25:01 type veth peer name mvx0 netns mvx address 02:00:00:00:25:64
for o in "flag foo" "macaddr zz" "mode" "mtu 1400" "mode source macaddr set 02:00:00:00:25:70 zz" "mode source macaddr add zz" "mo priv fl nul" "help"; do ip -n mvh link add mvq0 link mvl0 type macvlan $o; echo "rc=$?"; done
ip -n mvh link add mvq0 link mvl0 type macvlan mode source macaddr set 02:00:00:00:25:70 bcqueuelen 7
ip -n mvh link add mvq1 link mvl0 type macvlan mo br fl nodst bcq 0x10
ip -n mvh -d link show mvq0
ip -n mvh -d link show mvq1
ip -n mvh link del mvq0
ip -n mvh link del mvq1
ip -n mvh link add mvs0 link mvl0 address 02:00:00:00:25:0a type macvlan mode source macaddr add 02:00:00:00:25:64
ip -n mvh link set mvs0 type macvlan macaddr add 02:00:00:00:25:65
ip -n mvh link set mvs0 type macvlan macaddr add 02:00:00:00:25:66
ip -n mvh link set mvs0 type macvlan macaddr del 02:00:00:00:25:65
ip -n mvh -d link show mvs0
ip -n mvh link set mvs0 type macvlan macaddr set 02:00:00:00:25:67 02:00:00:00:25:68
ip -n mvh -d link show mvs0
ip -n mvh link set mvs0 type macvlan macaddr flush
ip -n mvh -d link show mvs0
ip -n mvh link set mvs0 type macvlan mode passthru; echo "rc=$?"
ip -n mvh link set mvs0 type macvlan macaddr add 02:00:00:00:25:64 bcqueuelen 20
ip -n mvh link add mvb0 link mvl0 address 02:00:00:00:25:0b type macvlan mode bridge bcqueuelen 50
ip -n mvh link set mvb0 type macvlan macaddr add 02:00:00:00:25:69; echo "rc=$?"
ip -n mvh -d link show mvs0
ip -n mvh -d link show mvb0
ip -n mvh link add mvp0 link mvl0 type macvlan mode passthru; echo "rc=$?"
ip -n mvh link add mvt0 address 02:00:00:00:25:21 type veth peer name mvt1 address 02:00:00:00:25:22
ip -n mvh link add mvp0 link mvt0 type macvlan mode passthru nopromisc
ip -n mvh link add mvp1 link mvt0 type macvlan; echo "rc=$?"
ip -n mvh link set mvt0 up
ip -n mvh link set mvt1 up
ip -n mvh link set mvp0 up
ip -n mvh -d link show mvp0
ip -n mvh -d link show mvt0
ip -n mvh link set mvp0 type macvlan mode bridge; echo "rc=$?"
ip -n mvh link set mvp0 type macvlan flag null
ip -n mvh -d link show mvt0
ip -n mvh addr add 10.22.5.1/24 dev mvl0
ip -n mvx addr add 10.22.5.100/24 dev mvx0
ip -n mvh link set mvl0 up
ip -n mvh link set mvs0 up
ip -n mvh link set mvb0 up
ip -n mvx link set mvx0 up
sleep 2
# @traffic
ip netns exec mvx ping -c 2 -i 0.2 10.22.5.1; echo "rc=$?"
ip -n mvh -s link show mvs0
