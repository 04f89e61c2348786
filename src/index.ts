/**
 * skbpath as a library: run scenarios on simulated Linux 6.18 network stacks
 * and read what they did, in Node or in a browser. ESM, no dependencies, no
 * `node:` imports. docs/API.md has examples.
 *
 * @packageDocumentation
 */
export { runScenario, scenarioEvents } from './api/run.ts';
export { compileFilter, FilterError, printPacket, printPcap, ToolError } from './api/tcpdump.ts';
export { runInWorker, type WorkerLike, workerUrl } from './api/worker.ts';
export type {
  Artifacts,
  BpfInsn,
  CounterEvent,
  CounterEventShort,
  FilterOptions,
  NfRuleHit,
  PacketFilter,
  PacketTime,
  PathEvent,
  Pcap,
  ScenarioOptions,
  ScenarioResult,
  WebViewDevice,
  WebViewNetns,
  WebViewRun,
  WorkerRequest,
  WorkerResponse,
} from './api/types.ts';
