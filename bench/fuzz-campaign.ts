// Fuzz campaign (issue 24): N inputs (default 100,000) from four generators
// (bench/fuzz-campaign-gen.ts: shell mutants of the oracle scenarios and
// examples, tool argument fuzz, corrupted pcap/pcapng for tcpdump -r, filter
// expressions for tcpdump -d and skbpath trace --filter), each run in a worker
// process with a wall budget and a memory budget, classified as
//   ok        any exit status the real tool could give;
//   internal  exit 70 / "internal error";
//   stack     a JavaScript stack frame or error name reached the output, or an
//             exception left the program (the CLI would print its stack);
//   timeout   still running at the wall budget (the worker is killed);
//   rss       resident memory over the memory budget (the worker is killed);
//   crash     the worker died (signal, V8 out of memory).
// Prints counts per outcome and generator, inputs/s, the peak RSS and the
// distinct failures; every failing input is saved to OUT/<outcome>-<index>/
// with a repro.sh (`skbpath ARGV` in that directory).
// Run from the repository root after `npm run build`:
//   nice -n 10 node dist/bench-fuzz-campaign.js [N] [SEED] [--workers 2] [--budget-ms 10000]
//     [--max-rss-mib 1024] [--out tmp/fuzz-campaign] [--gen shell,args,pcap,filter] [--start I] [--cli]
// Inputs depend only on SEED and their index: `1 SEED --start I` makes input I again.
// SIGINT or SIGTERM stops the campaign early; the report covers the inputs run.
// --cli runs each input as a real `node dist/skbpath.js ARGV` process in a
// scratch directory (slower; exactly what a user gets) instead of in-process workers.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { loadCorpus } from './fuzz-campaign-corpus.ts';
import {
  classify,
  type FuzzInput,
  failureKey,
  GENERATORS,
  type GenName,
  makeInput,
  OUTCOMES,
  type Outcome,
  type RunReport,
} from './fuzz-campaign-gen.ts';

interface Result {
  index: number;
  gen: GenName;
  outcome: Outcome;
  key: string;
  status: number | null;
  ms: number;
  rss: number;
  excerpt: string;
}

// ------------------------------------------------------------ the worker side

function readStatus(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resets this process's peak RSS (VmHWM) so that it measures one input. */
function resetPeak(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    /* not Linux: the peak covers the worker's life */
  }
}

function excerpt(rep: RunReport): string {
  const t = rep.thrown ?? `${rep.err}${rep.err && rep.out ? '\n--- stdout ---\n' : ''}${rep.out}`;
  return t.length > 4000 ? `${t.slice(0, 2000)}\n…\n${t.slice(-2000)}` : t;
}

async function worker(): Promise<void> {
  const { runInput, traceEvents } = await import('./fuzz-campaign-exec.ts');
  const maxRss = Number(process.env.FUZZ_MAX_RSS ?? 1024 * 1048576);
  // a ^C at the terminal is for the campaign, which stops handing out inputs
  process.on('SIGINT', () => {});
  process.on('message', (m: { input?: FuzzInput; warm?: string }) => {
    if (m.warm !== undefined) {
      traceEvents(m.warm);
      process.send?.({ ready: true });
      return;
    }
    const input = m.input as FuzzInput;
    resetPeak();
    const t0 = performance.now();
    const rep = runInput(input);
    rep.rss = readStatus('self', 'VmHWM') || process.memoryUsage().rss;
    const outcome = classify(rep, maxRss);
    const res: Result = {
      index: input.index,
      gen: input.gen,
      outcome,
      key: outcome === 'ok' ? '' : failureKey(rep, outcome),
      status: rep.status,
      ms: performance.now() - t0,
      rss: rep.rss,
      excerpt: outcome === 'ok' ? '' : excerpt(rep),
    };
    process.send?.({ result: res });
  });
}

// ------------------------------------------------------------ the parent side

interface Opts {
  n: number;
  seed: number;
  workers: number;
  budgetMs: number;
  maxRss: number;
  out: string;
  gens: GenName[];
  start: number;
  cli: boolean;
}

function parseOpts(argv: string[]): Opts {
  const o: Opts = {
    n: 100_000,
    seed: 1,
    workers: 2,
    budgetMs: 10_000,
    maxRss: 1024 * 1048576,
    out: 'tmp/fuzz-campaign',
    gens: [...GENERATORS],
    start: 0,
    cli: false,
  };
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--workers') o.workers = Math.max(1, Number(v()));
    else if (a === '--budget-ms') o.budgetMs = Number(v());
    else if (a === '--max-rss-mib') o.maxRss = Number(v()) * 1048576;
    else if (a === '--out') o.out = v();
    else if (a === '--gen') o.gens = v().split(',') as GenName[];
    else if (a === '--start') o.start = Number(v());
    else if (a === '--cli') o.cli = true;
    else pos.push(a);
  }
  if (pos[0] !== undefined) o.n = Number(pos[0]);
  if (pos[1] !== undefined) o.seed = Number(pos[1]);
  for (const g of o.gens) if (!GENERATORS.includes(g)) throw new Error(`unknown generator ${g}`);
  return o;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function writeFiles(dir: string, files: FuzzInput['files']): void {
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
}

function saveFailure(o: Opts, input: FuzzInput, r: Result): string {
  const dir = join(o.out, `${r.outcome}-${input.gen}-${input.index}`);
  mkdirSync(dir, { recursive: true });
  writeFiles(dir, input.files);
  const cmd = input.argv.map(shellQuote).join(' ');
  const bin = relative(dir, resolve('dist/skbpath.js'));
  writeFileSync(join(dir, 'argv.json'), `${JSON.stringify(input.argv)}\n`);
  const long = input.argv.some((a) => a.length > 200 || /[\n\0]/.test(a));
  const spawnJs = `const a=JSON.parse(require("fs").readFileSync("argv.json","utf8"));process.exitCode=require("child_process").spawnSync(process.execPath,[process.env.SKBPATH||${JSON.stringify(bin)},...a],{stdio:"inherit"}).status`;
  writeFileSync(
    join(dir, 'repro.sh'),
    `#!/bin/sh\n# fuzz campaign seed ${o.seed} input ${input.index} (${input.gen}): ${r.key.replace(/\n/g, ' ')}\n` +
      `# sh ${dir}/repro.sh   (SKBPATH=path/to/skbpath.js chooses the build)\n` +
      `cd "$(dirname "$0")" || exit 1\n` +
      (long ? `exec node -e '${spawnJs}'\n` : `exec node "\${SKBPATH:-${bin}}" ${cmd}\n`),
  );
  writeFileSync(
    join(dir, 'output.txt'),
    `${r.key}\nstatus ${r.status} after ${r.ms.toFixed(0)} ms, rss ${(r.rss / 1048576).toFixed(0)} MiB\n\n${r.excerpt}\n`,
  );
  return dir;
}

/** One in-process worker: a forked child that runs inputs one at a time, replaced when killed. */
class Worker {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  constructor(
    private readonly o: Opts,
    private readonly warm: string,
  ) {}

  private start(): Promise<void> {
    const child = fork(process.argv[1] as string, ['--worker'], {
      serialization: 'advanced',
      execArgv: ['--enable-source-maps'],
      env: { ...process.env, FUZZ_MAX_RSS: String(this.o.maxRss) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.on('data', () => {});
    this.child = child;
    return new Promise((res) => {
      const on = (m: { ready?: boolean }): void => {
        if (m.ready) {
          child.off('message', on);
          res();
        }
      };
      child.on('message', on);
      child.send({ warm: this.warm });
    });
  }

  async run(input: FuzzInput): Promise<Result> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) this.ready = this.start();
    await this.ready;
    const child = this.child as ChildProcess;
    const t0 = performance.now();
    const rss0 = readStatus(child.pid as number, 'VmRSS');
    return new Promise((res) => {
      let peak = 0;
      let stderr = '';
      const onErr = (d: Buffer): void => {
        if (stderr.length < 8000) stderr += d.toString();
      };
      child.stderr?.on('data', onErr);
      const done = (r: Result, kill: boolean): void => {
        clearTimeout(timer);
        clearInterval(poll);
        child.off('message', onMsg);
        child.off('exit', onExit);
        child.stderr?.off('data', onErr);
        if (kill) {
          child.kill('SIGKILL');
          this.child = null;
        }
        res(r);
      };
      const base = { index: input.index, gen: input.gen, status: null, key: '' };
      const failed = (outcome: Outcome, excerpt: string, kill: boolean): void => {
        const r: Result = { ...base, outcome, ms: performance.now() - t0, rss: peak, excerpt, key: outcome };
        if (outcome === 'crash') r.key = failureKey({ status: null, out: '', err: excerpt, died: excerpt }, 'crash');
        done(r, kill);
      };
      const onMsg = (m: { result?: Result }): void => {
        // a worker that grew past half the budget starts afresh, so that the next input is not charged for its heap
        if (m.result) done({ ...m.result, rss: Math.max(m.result.rss, peak) }, Math.max(m.result.rss, peak) > this.o.maxRss / 2);
      };
      const onExit = (code: number | null, sig: string | null): void => {
        this.child = null;
        const died = `worker exited (code ${code}, signal ${sig})\n${stderr}`;
        failed(/heap out of memory/.test(stderr) ? 'rss' : 'crash', died, false);
      };
      const timer = setTimeout(() => failed('timeout', `still running after ${this.o.budgetMs} ms`, true), this.o.budgetMs);
      const poll = setInterval(() => {
        const rss = readStatus(child.pid as number, 'VmRSS');
        if (rss > peak) peak = rss;
        if (rss > this.o.maxRss)
          failed('rss', `RSS ${(rss / 1048576).toFixed(0)} MiB over the budget (${(rss0 / 1048576).toFixed(0)} MiB at the start)`, true);
      }, 50);
      child.on('message', onMsg);
      child.on('exit', onExit);
      child.send({ input });
    });
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }
}

/** --cli: one `node dist/skbpath.js ARGV` process per input, in a scratch directory. */
class CliWorker {
  private readonly dir: string;
  private readonly hook: string;
  constructor(
    private readonly o: Opts,
    private readonly bin: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'skbpath-fuzz-'));
    this.hook = join(this.dir, '..', `${this.dir.split('/').pop()}-rss.mjs`);
    writeFileSync(
      this.hook,
      `import { writeSync } from 'node:fs';\nprocess.on('exit', () => { try { writeSync(3, String(process.resourceUsage().maxRSS * 1024)); } catch {} });\n`,
    );
  }

  run(input: FuzzInput): Promise<Result> {
    const work = join(this.dir, 'w');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work);
    writeFiles(work, input.files);
    const t0 = performance.now();
    return new Promise((res) => {
      const child = spawn(process.execPath, ['--enable-source-maps', '--import', `file://${this.hook}`, this.bin, ...input.argv], {
        cwd: work,
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      let rssText = '';
      let timedOut = false;
      let peak = 0;
      let overRss = false;
      child.stdout?.on('data', (d: Buffer) => {
        if (out.length < 1 << 22) out += d.toString();
      });
      child.stderr?.on('data', (d: Buffer) => {
        if (err.length < 1 << 22) err += d.toString();
      });
      child.stdio[3]?.on('data', (d: Buffer) => (rssText += d.toString()));
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, this.o.budgetMs);
      const poll = setInterval(() => {
        const rss = readStatus(child.pid as number, 'VmRSS');
        if (rss > peak) peak = rss;
        if (rss > this.o.maxRss) {
          overRss = true;
          child.kill('SIGKILL');
        }
      }, 50);
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        clearInterval(poll);
        const rss = Math.max(peak, Number(rssText) || 0);
        const rep: RunReport = { status: code, out, err, timedOut, rss: overRss ? Math.max(rss, this.o.maxRss + 1) : rss };
        if (code === null && !timedOut && !overRss) rep.died = `killed by ${sig}\n${err.slice(-2000)}`;
        const outcome = classify(rep, this.o.maxRss);
        res({
          index: input.index,
          gen: input.gen,
          outcome,
          key: outcome === 'ok' ? '' : failureKey(rep, outcome),
          status: code,
          ms: performance.now() - t0,
          rss,
          excerpt: outcome === 'ok' ? '' : excerpt(rep),
        });
      });
    });
  }

  stop(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.hook, { force: true });
  }
}

async function campaign(o: Opts): Promise<number> {
  const root = process.cwd();
  const corpus = loadCorpus(root);
  const bin = resolve(root, 'dist/skbpath.js');
  const mib = (n: number): string => (n / 1048576).toFixed(0);
  process.stdout.write(
    `bench fuzz-campaign: ${o.n} inputs from ${o.start}, seed ${o.seed}, generators ${o.gens.join(',')}, ${o.workers} workers${o.cli ? ' (CLI processes)' : ''}, ` +
      `wall budget ${o.budgetMs} ms, memory budget ${mib(o.maxRss)} MiB; corpus ${corpus.scripts.length} scripts, ${corpus.pcaps.length} pcaps\n`,
  );
  mkdirSync(o.out, { recursive: true });
  const workers = Array.from({ length: o.workers }, () => (o.cli ? new CliWorker(o, bin) : new Worker(o, corpus.traceScript)));
  const counts = new Map<string, number>();
  const bump = (k: string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
  const perGen = new Map<GenName, { n: number; ms: number; maxMs: number; maxRss: number }>();
  const failures = new Map<string, { n: number; first: number; dir: string }>();
  let maxRss = 0;
  let maxRssAt = -1;
  let doneN = 0;
  let next = o.start;
  let end = o.start + o.n;
  // SIGINT/SIGTERM: no new inputs; the ones running finish and the report covers what ran
  const stop = (): void => {
    if (end > next) process.stdout.write(`  stopping after input ${next - 1}: the report covers the inputs run so far\n`);
    end = Math.min(end, next);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const t0 = performance.now();
  let tLast = t0;
  const loop = async (w: Worker | CliWorker): Promise<void> => {
    while (next < end) {
      const input = makeInput(o.seed, next++, corpus, o.gens);
      const r = await w.run(input);
      doneN++;
      bump(r.outcome);
      bump(`${r.gen}:${r.outcome}`);
      const g = perGen.get(r.gen) ?? { n: 0, ms: 0, maxMs: 0, maxRss: 0 };
      g.n++;
      g.ms += r.ms;
      g.maxMs = Math.max(g.maxMs, r.ms);
      g.maxRss = Math.max(g.maxRss, r.rss);
      perGen.set(r.gen, g);
      if (r.rss > maxRss) {
        maxRss = r.rss;
        maxRssAt = r.index;
      }
      if (r.outcome !== 'ok') {
        const dir = saveFailure(o, input, r);
        const f = failures.get(r.key);
        if (f) f.n++;
        else {
          failures.set(r.key, { n: 1, first: r.index, dir });
          process.stdout.write(`  new failure at input ${r.index} (${r.gen}): ${r.key}\n    ${dir}/repro.sh\n`);
        }
      }
      if (doneN % 1000 === 0) {
        const now = performance.now();
        process.stdout.write(
          `  ${String(doneN).padStart(7)} inputs  ${(1000 / ((now - tLast) / 1000)).toFixed(1)} inputs/s  ` +
            `${
              OUTCOMES.filter((c) => c !== 'ok' && counts.get(c))
                .map((c) => `${c} ${counts.get(c)}`)
                .join('  ') || 'no failures'
            }  max RSS ${mib(maxRss)} MiB\n`,
        );
        tLast = now;
      }
    }
  };
  await Promise.all(workers.map(loop));
  for (const w of workers) w.stop();
  const wall = (performance.now() - t0) / 1000;
  const lines: string[] = [];
  lines.push(
    `bench fuzz-campaign: ${doneN} inputs in ${wall.toFixed(1)} s = ${(doneN / wall).toFixed(1)} inputs/s; max RSS ${mib(maxRss)} MiB (input ${maxRssAt})`,
  );
  lines.push(`  ${'outcome'.padEnd(9)}${OUTCOMES.map((c) => c.padStart(9)).join('')}`);
  lines.push(`  ${'all'.padEnd(9)}${OUTCOMES.map((c) => String(counts.get(c) ?? 0).padStart(9)).join('')}`);
  for (const g of o.gens) lines.push(`  ${g.padEnd(9)}${OUTCOMES.map((c) => String(counts.get(`${g}:${c}`) ?? 0).padStart(9)).join('')}`);
  for (const g of o.gens) {
    const s = perGen.get(g);
    if (s)
      lines.push(`  ${g}: ${s.n} inputs, mean ${(s.ms / s.n).toFixed(1)} ms, max ${s.maxMs.toFixed(0)} ms, max RSS ${mib(s.maxRss)} MiB`);
  }
  lines.push(`  ${failures.size} distinct failures${failures.size ? ' (count, first input, key, reproduction):' : ''}`);
  for (const [k, f] of [...failures].sort((a, b) => b[1].n - a[1].n))
    lines.push(`  ${String(f.n).padStart(6)}  #${f.first}  ${k}\n          sh ${f.dir}/repro.sh`);
  const report = `${lines.join('\n')}\n`;
  process.stdout.write(report);
  writeFileSync(join(o.out, 'report.txt'), report);
  return doneN - (counts.get('ok') ?? 0) === 0 ? 0 : 1;
}

if (process.argv.includes('--worker')) void worker();
else {
  campaign(parseOpts(process.argv.slice(2))).then(
    (rc) => {
      process.exitCode = rc;
    },
    (e: unknown) => {
      process.stderr.write(`bench fuzz-campaign: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
