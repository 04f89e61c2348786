// The scenario shell: a bash subset interpreted in virtual time.
export { runScript, ShellSession, type RunOptions } from './interp.ts';
export { parse } from './parser.ts';
export type { Script, SyntaxError as ShellSyntaxError } from './ast.ts';
export { makeWorld, runShell, ScratchVfs, type ShellRun } from './memworld.ts';
