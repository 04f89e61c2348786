// The text tools tutorials pipe through (sed, awk, date, xargs, uniq, paste,
// od, hexdump, xxd, env, id, hostname, uname, which, yes, sudo), registered
// beside the coreutils.
import type { Command } from '../proc.ts';
import { registerAwk } from './awk.ts';
import { registerMisc } from './misc.ts';
import { registerSed } from './sed.ts';

export function registerTextutils(commands: Map<string, Command>): void {
  registerSed(commands);
  registerAwk(commands);
  registerMisc(commands);
}
