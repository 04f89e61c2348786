// net/sched/sch_mq.c: the multiqueue root. Every device here has one TX
// queue, so mq refuses as mq_init() does on a device that is not multiqueue.
import { EOPNOTSUPP } from '../uapi/errno.ts';
import { type Qdisc_ops, TCQ_F_MQROOT } from './sch_generic.ts';

export const mq_qdisc_ops: Readonly<Qdisc_ops> = {
  id: 'mq',
  static_flags: TCQ_F_MQROOT,
  priv: () => null,
  enqueue: () => 1,
  dequeue: () => null,
  peek: () => null,
  // mq_init(): not at the root, or not a multiqueue device
  init: () => -EOPNOTSUPP,
};
