// Scripts where a process waits for something that never comes but Linux
// still ends the command: skbpath must not report a deadlock there
// (recorded on Linux by linux_ends.record.ts).
export const LINUX_ENDS: readonly string[] = [
  // Debian's nc: with -q 0 it quits once a pipe on stdin hangs up (strace: POLLHUP, shutdown, exit 0)
  'nc -lu 9 > got &\nsleep 0.1\necho x | nc -u -q0 127.0.0.1 9; echo after rc=$?\nsleep 0.2\nkill %1\ncat got\n',
];
