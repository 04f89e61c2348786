// The classifiers and actions built into this kernel (their module_init
// registers them): adding one is one new file and one line here, as a Kconfig
// entry and a Makefile line are in Linux. The oracle's kernel has u32, bpf and
// mirred built in; matchall, basic, fw, gact, skbedit and police are here too
// (the issue asks for them) although it says "TC classifier not found" /
// "Failed to load TC action module" for them.
import type { Kernel } from '../kernel.ts';
import { tcf_register_action } from './act_api.ts';
import { act_gact_ops } from './act_gact.ts';
import { act_mirred_ops } from './act_mirred.ts';
import { act_police_ops } from './act_police.ts';
import { act_skbedit_ops } from './act_skbedit.ts';
import { register_tcf_proto_ops } from './cls_api.ts';
import { cls_basic_ops } from './cls_basic.ts';
import { cls_bpf_ops } from './cls_bpf.ts';
import { cls_fw_ops } from './cls_fw.ts';
import { cls_matchall_ops } from './cls_matchall.ts';
import { cls_u32_ops } from './cls_u32.ts';

export function tc_modules_init(k: Kernel): void {
  for (const ops of [cls_u32_ops, cls_bpf_ops, cls_matchall_ops, cls_basic_ops, cls_fw_ops]) register_tcf_proto_ops(k, ops);
  for (const ops of [act_mirred_ops, act_gact_ops, act_skbedit_ops, act_police_ops]) tcf_register_action(k, ops);
}
