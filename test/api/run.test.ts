// The library's runScenario (src/api/run.ts) against the machine it wraps
// (src/machine/run.ts, what `skbpath run --artifacts` writes): the same
// transcript and artifacts, byte for byte, as values; the scenario's files in
// memory; path events streamed while the run goes.
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { PathJson } from '../../src/kernel/trace/path_json.ts';
import { runScenario as runMachine } from '../../src/machine/run.ts';
import { MemVfs } from '../../src/machine/world.ts';
import { type PathEvent, runScenario, scenarioEvents } from '../../src/index.ts';

const example = (name: string): string => readFileSync(new URL(`../../examples/${name}.sh`, import.meta.url), 'utf8');
const PING = example('ping-veth');

describe('runScenario', () => {
  it('gives what skbpath run --artifacts writes, as values', () => {
    const lib = runScenario(PING, { seed: 7 });
    const m = runMachine(PING, new MemVfs(), { seed: 7, artifacts: true, path: true });
    expect(lib.exitCode).toBe(m.exitStatus);
    expect(lib.transcript).toBe(m.transcript);
    expect(lib.transcript).toContain('3 packets transmitted, 3 received');
    expect(lib.error).toBeNull();
    const flat = new Map<string, string | Uint8Array>();
    for (const p of lib.artifacts.pcaps) flat.set(`pcap/${p.netns}/${p.dev}.pcap`, p.bytes);
    for (const kind of ['nstat', 'links', 'iptables'] as const) {
      for (const [ns, text] of Object.entries(lib.artifacts[kind])) flat.set(`${kind}/${ns}.txt`, text);
    }
    flat.set('trace.txt', lib.artifacts.trace);
    flat.set('transcript.txt', lib.transcript);
    expect(new Map([...flat].sort())).toEqual(new Map([...m.artifacts].sort()));
    expect(lib.artifacts.pcaps.map((p) => `${p.netns}/${p.dev}`)).toContain('a/va');
    expect(lib.artifacts.events.length).toBe(m.world.kernel.path.events.length);
    expect(lib.artifacts.events.map((e) => e.seq)).toEqual(m.world.kernel.path.events.map((e) => e.seq));
    expect(lib.artifacts.counters.reduce((n, c) => n + (c.name === 'IcmpMsgInType8' ? c.by : 0), 0)).toBe(3);
  });

  it('is deterministic, and the seed changes the run', () => {
    const a = runScenario(PING, { seed: 3 });
    const b = runScenario(PING, { seed: 3 });
    const c = runScenario(PING, { seed: 4 });
    expect(b.artifacts.pcaps).toEqual(a.artifacts.pcaps);
    expect(b.artifacts.events).toEqual(a.artifacts.events);
    expect(c.artifacts.pcaps).not.toEqual(a.artifacts.pcaps);
  });

  it('gives the scenario its files in memory and returns what it wrote', () => {
    // a string is stored as its UTF-8 bytes, as a file on disk holds it
    const r = runScenario('cat greeting.txt\nwc -c < greeting.txt\nwc -c < blob.bin\necho written > copy.txt\n', {
      files: { 'greeting.txt': 'hello\n', 'blob.bin': new Uint8Array([0, 1, 10]) },
    });
    expect(r.transcript).toBe('hello\n6\n3\n');
    expect(new TextDecoder().decode(r.files['copy.txt'])).toBe('written\n');
    expect(r.files['blob.bin']).toEqual(new Uint8Array([0, 1, 10]));
    const utf8 = runScenario('cat in.txt > out.txt\n', { files: { 'in.txt': 'é\n', bin: new Uint8Array([0xff, 0x80]) } });
    expect(utf8.files['in.txt']).toEqual(new Uint8Array([0xc3, 0xa9, 10]));
    expect(utf8.files['out.txt']).toEqual(utf8.files['in.txt']);
    expect(utf8.files['bin']).toEqual(new Uint8Array([0xff, 0x80]));
    expect(Object.keys(r.files)).toEqual(['blob.bin', 'copy.txt', 'greeting.txt']);
  });

  it('streams path events while the run goes, as the documented objects', () => {
    const seen: PathEvent[] = [];
    let outputWhenFirstEvent = '';
    let out = '';
    const r = runScenario(PING, {
      onOutput: (s) => void (out += s),
      onEvent: (e) => {
        if (!seen.length) outputWhenFirstEvent = out;
        seen.push(e);
      },
    });
    // the first echo request's path is seen before ping printed its summary
    expect(outputWhenFirstEvent).not.toContain('packets transmitted');
    expect(out).toBe(r.transcript);
    expect(seen.map((e) => e.seq)).toEqual(r.artifacts.events.map((e) => e.seq));
    expect(seen.find((e) => e.func === 'veth_xmit')?.tuple).toBe('10.0.0.1->10.0.0.2(arp request)');
  });

  it('records no path with events: false, and the budget stops a run with 124', () => {
    const r = runScenario(PING, { events: false, onEvent: () => expect.unreachable() });
    expect(r.artifacts.events).toEqual([]);
    expect(r.artifacts.pcaps.length).toBeGreaterThan(0);
    const loop = runScenario('while :; do sleep 1; done\n', { events: false });
    expect(loop.exitCode).toBe(124);
    expect(loop.error).toMatch(/virtual time/);
  });

  it('refuses bad options with a TypeError or RangeError', () => {
    expect(() => runScenario(1 as unknown as string)).toThrow(TypeError);
    expect(() => runScenario('true', { seed: -1 })).toThrow(RangeError);
    expect(() => runScenario('true', { cpus: 65 })).toThrow(RangeError);
  });

  it('scenarioEvents iterates the events of a run and returns its result', async () => {
    const it = scenarioEvents(PING);
    const got: PathEvent[] = [];
    let step = await it.next();
    while (!step.done) {
      got.push(step.value);
      step = await it.next();
    }
    expect(step.value.exitCode).toBe(0);
    expect(got).toEqual(step.value.artifacts.events);
  });

  it('scenarioEvents hands out events while the run goes on, in slices', async () => {
    let printed = '';
    // 400 echo requests and replies on lo: about 1,200 events, several slices
    const it = scenarioEvents('ip link set lo up\n# @traffic\nping -c 400 -i 0.002 -q 127.0.0.1\n', {
      onOutput: (s) => void (printed += s),
    });
    const first = await it.next();
    expect(first.done).toBe(false);
    // the first slice's events come before ping has finished (it prints its statistics last)
    expect(printed).not.toContain('packets transmitted');
    let last = first;
    while (!last.done) last = await it.next();
    expect(printed).toContain('400 packets transmitted');
  });

  it('publishes the path event shape of docs/path-events.md, with the frame', () => {
    expectTypeOf<Omit<PathEvent, 'bytes' | 'l3'>>().toEqualTypeOf<PathJson>();
  });
});
