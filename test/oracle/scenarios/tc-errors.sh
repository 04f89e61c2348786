# The tc mistakes people make, and what tc 6.1 and the kernel answer: unknown kinds (this kernel has no
# prio, sfq or fq_codel), an existing qdisc, a bad handle, a missing parent or device, deleting what is not
# there, options a kind does not take, classes on a classless qdisc, estimators.
ip netns add qe1
ip netns add qe2
ip netns exec qe1 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip netns exec qe2 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add va netns qe1 address 02:00:00:00:00:0a type veth peer name vb netns qe2 address 02:00:00:00:00:0b
ip -n qe1 addr add 10.0.0.1/24 dev va
ip -n qe2 addr add 10.0.0.2/24 dev vb
ip -n qe1 link set va up
ip -n qe2 link set vb up
t() { echo "\$ tc $*"; ip netns exec qe1 tc "$@"; echo "exit $?"; }
t qdisc show
t qdisc add dev va root xyz
t qdisc add dev va root xyz limit 3
t qdisc add dev va root prio
t qdisc add dev va root prio bands 3 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1
t qdisc add dev va root prio bands x
t qdisc add dev va root sfq
t qdisc add dev va root fq_codel
t qdisc add dev nope root pfifo
t qdisc add root pfifo
t qdisc add dev va pfifo
t qdisc add dev va handle zz root pfifo
t qdisc add dev va handle 10000: root pfifo
t qdisc add dev va parent 1: pfifo
t qdisc add dev va parent 1:10 pfifo
t qdisc add dev va parent 1:10 parent 1: pfifo
t qdisc add dev va root root pfifo
t qdisc add dev va root pfifo limit x
t qdisc add dev va root pfifo limi 3
t qdisc add dev va root pfifo help
t qdisc del dev va root
t qdisc add dev va root handle 1: pfifo limit 5
t qdisc add dev va root handle 1: pfifo limit 5
t qdisc add dev va root pfifo limit 5
t qdisc add dev va root handle 2: bfifo
t qdisc add dev va parent 1:1 pfifo
t qdisc change dev va handle 7: pfifo
t qdisc change dev va root handle 1: bfifo
t qdisc link dev va root handle 5: pfifo
t qdisc del dev va handle 5:
t qdisc del dev va parent 5:1
t qdisc del dev va root handle 9:
t qdisc del dev va root bfifo
t qdisc del dev va
t qdisc show dev va
t class show dev va
t class add dev va parent 1: classid 1:1 pfifo
t class add dev va parent 1: classid 1:1 xyz
t class add dev va parent 1: handle 1:1 pfifo
t class del dev va classid 1:1
t class show dev va parent 1: foo
t qdisc show dev
t qdisc show dev nope
t qdisc show foo
t qdisc foo
t foo
t -x qdisc
t qdisc replace dev va root handle 4: estimator 1sec 8sec pfifo
t -s qdisc show dev va
t qdisc replace dev va root handle 4: estimator x 8sec pfifo
t qdisc replace dev va root handle 4: estimator 1 2 pfifo
t qdisc del dev va root
t qdisc del dev va root
t -s qdisc show dev va
# @traffic
ip netns exec qe1 ping -c 1 10.0.0.2
