// libpcap's optimizer (optimize.c): not yet ported; the program is emitted as generated.
import type { Block } from './icode.ts';

export function optimize(root: Block): Block | null {
  return root;
}
