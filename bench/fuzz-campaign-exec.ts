// Runs one fuzz input in this process as `skbpath ARGV` would (src/cli/main.ts):
// `run` through runScenario on an in-memory working directory, `tcpdump`
// through tcpdumpOffline, `trace` through selectPath over the events of one
// scenario run (computed once and reused). An exception that leaves the
// program is reported as `thrown`: the CLI would print it as a stack trace.
// Used by bench/fuzz-campaign.ts (in its worker processes) and by
// test/bench/fuzz_campaign.test.ts. No node: imports.
import { FilterError, formatPath, type PathFilter, pathJson, selectPath } from '../src/machine/path_report.ts';
import { runScenario } from '../src/machine/run.ts';
import { MemVfs } from '../src/machine/world.ts';
import { tcpdumpOffline } from '../src/userspace/tools/tcpdump.ts';
import type { FuzzInput, RunReport } from './fuzz-campaign-gen.ts';

type Events = ReturnType<typeof runScenario>['world']['kernel']['path']['events'];
const traceCache = new Map<string, Events>();

/** The path events of a scenario (what `skbpath trace SCRIPT` selects from), computed once per script. */
export function traceEvents(script: string): Events {
  let ev = traceCache.get(script);
  if (!ev) {
    ev = runScenario(script, new MemVfs(), { seed: 1, path: true }).world.kernel.path.events;
    traceCache.set(script, ev);
  }
  return ev;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

function memVfs(files: FuzzInput['files']): MemVfs {
  const vfs = new MemVfs();
  for (const [name, data] of Object.entries(files)) vfs.files.set(name, typeof data === 'string' ? data : latin1(data));
  return vfs;
}

function text(files: FuzzInput['files'], name: string): string | null {
  const d = files[name];
  return d === undefined ? null : typeof d === 'string' ? d : latin1(d);
}

const USAGE = 'usage: skbpath …\n';

export function runInput(input: FuzzInput): RunReport {
  let out = '';
  let err = '';
  const argv = input.argv;
  try {
    const [cmd, ...rest] = argv;
    if (cmd === 'run') {
      const script = text(input.files, rest[0] ?? '');
      if (script === null) return { status: 2, out, err: `skbpath: ${rest[0]}: No such file or directory\n` };
      // --artifacts DIR: built in memory (writing them is the CLI's part, exercised by --cli)
      const artifacts = rest.includes('--artifacts');
      const res = runScenario(script, memVfs(input.files), { seed: 1, artifacts, onOutput: (s) => (out += s) });
      if (res.error) err += `${res.error}\n`;
      return { status: res.exitStatus, out, err };
    }
    if (cmd === 'tcpdump') {
      const files = input.files;
      const rc = tcpdumpOffline(['tcpdump', ...rest], {
        vfs: memVfs(files),
        readBytes: (p) => {
          const d = files[p];
          return d === undefined ? null : typeof d === 'string' ? new TextEncoder().encode(d) : d;
        },
        out: (s) => (out += s),
        err: (s) => (err += s),
      });
      if (rc === null) {
        err += 'skbpath tcpdump: live capture needs a scenario (skbpath run); use -r FILE or -d\n';
        return { status: 1, out, err };
      }
      return { status: rc, out, err };
    }
    if (cmd === 'trace') {
      // the options as src/cli/main.ts's pathCli reads them
      const f: PathFilter = {};
      let script: string | undefined;
      let json = false;
      for (let i = 0; i < rest.length; i++) {
        const a = rest[i] as string;
        if (a === '--json') json = true;
        else if (a === '--filter' || a === '--netns' || a === '--dev' || a === '--func') {
          const v = rest[++i];
          if (v === undefined) return { status: 2, out, err: `skbpath: ${a} needs a value\n` };
          if (a === '--filter') f.filter = v;
          else if (a === '--netns') f.netns = v;
          else if (a === '--dev') f.dev = v;
          else f.func = v;
        } else if (!script && !a.startsWith('--')) script = a;
        else return { status: 2, out, err: USAGE };
      }
      const s = script === undefined ? null : text(input.files, script);
      if (s === null) return { status: 2, out, err: `skbpath: ${script}: No such file or directory\n` };
      let sel: Events;
      try {
        sel = selectPath(traceEvents(s), f);
      } catch (e) {
        if (e instanceof FilterError) return { status: 1, out, err: `skbpath: ${e.message}\n` };
        throw e;
      }
      out += json ? sel.map((e) => JSON.stringify(pathJson(e))).join('\n') : formatPath(sel);
      return { status: 0, out, err };
    }
    return { status: 2, out, err: USAGE };
  } catch (e) {
    const thrown = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : `thrown: ${String(e)}`;
    return { status: 1, out, err: `${err}${thrown}\n`, thrown };
  }
}
