// What work costs the one simulated CPU, in virtual ns. Work advances the
// clock while it runs, as on a real machine, so round trips and floods take
// time; the figures are of the order a small x86 VM shows for veth and lo.
export const COST = {
  /** One pass of __netif_receive_skb_core and the protocol above it. */
  rxPacket: 2_000,
  /** dev_hard_start_xmit: taps, the driver's ndo_start_xmit. */
  txPacket: 1_000,
  /** A socket system call (sendmsg, recvmsg, connect). */
  syscall: 1_500,
  /** From wake_up() to the woken task running (the scheduler's latency). */
  wakeup: 6_000,
  /** An RCU grace period (call_rcu callbacks such as a socket's destructor). */
  rcuGrace: 30_000_000,
} as const;
