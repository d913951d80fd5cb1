/**
 * Relay: 1 KB offer-shaped signals between the two participants of accepted calls, through Ringlet
 * (`offer` events: validated, looked up in the call, re-addressed) against a bare Socket.IO relay
 * (`msg` events forwarded with `io.to(peerId).emit`). Both servers run alone in a child process; the
 * clients (this process) use the websocket transport.
 *
 * Per pair count: throughput with a window of signals in flight in each direction, server CPU per
 * relayed signal, and the round trip of a ping-pong (each pair bounces one signal back and forth).
 */
import {
  connectBare,
  connectRinglet,
  disconnectAll,
  joinRinglet,
  pool,
  request,
  sleep,
} from './lib/clients.js';
import type { BareClient, RingletClient } from './lib/clients.js';
import { kindsForRun, ownCpuMicros, waitUntil } from './lib/load.js';
import { startServerProcess, type ServerKind, type ServerProcess } from './lib/server-process.js';
import { SIGNAL, SIGNAL_BYTES } from './lib/signals.js';
import { metric, percentile, ratioAtLeast, ratioAtMost } from './lib/stats.js';
import type { Benchmark, BenchContext, BenchResult } from './lib/types.js';

type Side = 0 | 1;

interface RelayPair {
  /** `side` sends one signal to the other side. */
  send(side: Side): void;
  /** What runs when `side` receives a signal (replaces the previous handler). */
  onMessage(side: Side, handler: () => void): void;
  close(): void;
}

/** Signals in flight per direction and pair during the throughput phase. */
const WINDOW = 32;
const DRAIN_TIMEOUT_MS = 15_000;
/** Pairs that warm a fresh server up; they stay connected, idle, while the measured pairs run. */
const WARMUP_PAIRS = 10;

interface Timing {
  /** A fresh server relays for this long (WARMUP_PAIRS pairs) before anything is measured: JIT, lazy set-up. */
  serverWarmupMs: number;
  warmupMs: number;
  durationMs: number;
  rttWarmupMs: number;
  rttDurationMs: number;
}

function handlers(): { slots: [() => void, () => void]; set: (side: Side, handler: () => void) => void } {
  const slots: [() => void, () => void] = [() => undefined, () => undefined];
  return {
    slots,
    set: (side, handler) => {
      slots[side] = handler;
    },
  };
}

/** Two Ringlet users in a room of their own, in an accepted call, ready to relay. */
async function ringletPair(url: string, index: number): Promise<RelayPair> {
  const sockets: RingletClient[] = [];
  try {
    const callerId = `caller-${index}`;
    const calleeId = `callee-${index}`;
    const roomId = `relay-${index}`;
    const a = await connectRinglet(url, callerId);
    sockets.push(a);
    const b = await connectRinglet(url, calleeId);
    sockets.push(b);
    await joinRinglet(a, roomId);
    await joinRinglet(b, roomId);
    const ringing = new Promise<string>((resolve) => b.once('incoming-video-call', (p) => resolve(p.callId)));
    const placed = await request(a, 'video-call-request', {
      roomId,
      callerId,
      callerName: callerId,
      calleeId,
    });
    if (!placed.ok || placed.role !== 'caller')
      throw new Error(`call request failed: ${JSON.stringify(placed)}`);
    const { callId } = placed;
    await ringing;
    const accepted = new Promise<void>((resolve) => a.once('video-call-accepted', () => resolve()));
    const response = await request(b, 'video-call-response', { roomId, accepted: true, callId });
    if (!response.ok) throw new Error(`call response failed: ${JSON.stringify(response)}`);
    await accepted;
    const { slots, set } = handlers();
    a.on('offer', () => slots[0]());
    b.on('offer', () => slots[1]());
    const ends = [a, b] as const;
    return {
      send: (side) => void ends[side].emit('offer', { callId, description: SIGNAL }),
      onMessage: set,
      close: () => disconnectAll(ends),
    };
  } catch (error) {
    disconnectAll(sockets);
    throw error;
  }
}

/** Two bare clients that know each other's socket id. */
async function barePair(url: string): Promise<RelayPair> {
  const sockets: BareClient[] = [];
  try {
    const a = await connectBare(url);
    sockets.push(a);
    const b = await connectBare(url);
    sockets.push(b);
    const ids = [a.id, b.id];
    const [idA, idB] = ids;
    if (idA === undefined || idB === undefined) throw new Error('connected socket without an id');
    const { slots, set } = handlers();
    a.on('msg', () => slots[0]());
    b.on('msg', () => slots[1]());
    const toB = { to: idB, callId: 'bench', description: SIGNAL };
    const toA = { to: idA, callId: 'bench', description: SIGNAL };
    return {
      send: (side) => void (side === 0 ? a.emit('msg', toB) : b.emit('msg', toA)),
      onMessage: set,
      close: () => disconnectAll([a, b]),
    };
  } catch (error) {
    disconnectAll(sockets);
    throw error;
  }
}

interface ThroughputSample {
  messagesPerSecond: number;
  serverCpuMicrosPerMessage: number;
  /** Server CPU time over wall time: 1 is one core kept busy. */
  serverCpuShare: number;
  /** The same for this process, the load generator. */
  clientCpuShare: number;
}

/**
 * Keeps WINDOW signals in flight each way on every pair for `warmupMs + durationMs`; measures over the last
 * `durationMs` only (when a server is given).
 */
async function throughput(
  pairs: RelayPair[],
  server: ServerProcess | null,
  warmupMs: number,
  durationMs: number,
): Promise<ThroughputSample> {
  let delivered = 0;
  let inFlight = 0;
  let running = true;
  for (const pair of pairs) {
    const refill = (sender: Side) => () => {
      delivered++;
      inFlight--;
      if (!running) return;
      inFlight++;
      pair.send(sender);
    };
    pair.onMessage(1, refill(0));
    pair.onMessage(0, refill(1));
  }
  for (const pair of pairs) {
    for (let i = 0; i < WINDOW; i++) {
      pair.send(0);
      pair.send(1);
      inFlight += 2;
    }
  }
  await sleep(warmupMs);
  const cpu0 = (await server?.cpuMicros()) ?? 0;
  const own0 = ownCpuMicros();
  const count0 = delivered;
  const t0 = performance.now();
  await sleep(durationMs);
  const cpu1 = (await server?.cpuMicros()) ?? 0;
  const own1 = ownCpuMicros();
  const count1 = delivered;
  const t1 = performance.now();
  running = false;
  if (!(await waitUntil(() => inFlight === 0, DRAIN_TIMEOUT_MS))) {
    throw new Error(
      `${inFlight} signals never arrived (${server?.kind ?? 'warm-up'}, ${pairs.length} pairs)`,
    );
  }
  for (const pair of pairs) {
    pair.onMessage(0, () => undefined);
    pair.onMessage(1, () => undefined);
  }
  const messages = count1 - count0;
  const elapsedMicros = (t1 - t0) * 1000;
  return {
    messagesPerSecond: messages / ((t1 - t0) / 1000),
    serverCpuMicrosPerMessage: (cpu1 - cpu0) / messages,
    serverCpuShare: (cpu1 - cpu0) / elapsedMicros,
    clientCpuShare: (own1 - own0) / elapsedMicros,
  };
}

/** Every pair bounces one signal back and forth; resolves with every round trip (ms) after the warm-up. */
async function roundTrips(pairs: RelayPair[], timing: Timing): Promise<number[]> {
  const samples: number[] = [];
  let running = true;
  let measuring = false;
  let inFlight = 0;
  for (const pair of pairs) {
    let sentAt = 0;
    const ping = (): void => {
      inFlight++;
      sentAt = performance.now();
      pair.send(0);
    };
    pair.onMessage(1, () => pair.send(1));
    pair.onMessage(0, () => {
      const rtt = performance.now() - sentAt;
      inFlight--;
      if (measuring) samples.push(rtt);
      if (running) ping();
    });
    ping();
  }
  await sleep(timing.rttWarmupMs);
  measuring = true;
  await sleep(timing.rttDurationMs);
  measuring = false;
  running = false;
  if (!(await waitUntil(() => inFlight === 0, DRAIN_TIMEOUT_MS))) {
    throw new Error(`${inFlight} pings never came back`);
  }
  return samples;
}

interface RunSample extends ThroughputSample {
  rttP50: number;
  rttP99: number;
  rttSamples: number;
}

async function measure(kind: ServerKind, pairCount: number, timing: Timing): Promise<RunSample> {
  const server = await startServerProcess(kind);
  const pairs: RelayPair[] = [];
  const warmers: RelayPair[] = [];
  const makePairs = (count: number, first: number, into: RelayPair[]): Promise<void[]> =>
    pool(count, 20, async (index) => {
      const pair =
        kind === 'ringlet' ? await ringletPair(server.url, first + index) : await barePair(server.url);
      into.push(pair);
    });
  try {
    // The first seconds of a fresh process relay several times slower (JIT): warm it up first.
    await makePairs(WARMUP_PAIRS, pairCount, warmers);
    await throughput(warmers, null, timing.serverWarmupMs, 0);
    await makePairs(pairCount, 0, pairs);
    const rate = await throughput(pairs, server, timing.warmupMs, timing.durationMs);
    const rtts = await roundTrips(pairs, timing);
    return { ...rate, rttP50: percentile(rtts, 50), rttP99: percentile(rtts, 99), rttSamples: rtts.length };
  } finally {
    for (const pair of [...pairs, ...warmers]) pair.close();
    await server.stop();
  }
}

export const relayBenchmark: Benchmark = {
  id: 'relay',
  title: `Relay (${SIGNAL_BYTES} B signals)`,
  baseline: 'bare Socket.IO relay (io.to(peerId).emit), same transport',
  async run(ctx: BenchContext, result: BenchResult): Promise<void> {
    const pairCounts = [1, 10, 100];
    const timing: Timing = ctx.quick
      ? { serverWarmupMs: 1500, warmupMs: 300, durationMs: 1000, rttWarmupMs: 200, rttDurationMs: 700 }
      : { serverWarmupMs: 3000, warmupMs: 1000, durationMs: 3000, rttWarmupMs: 500, rttDurationMs: 2000 };
    const samples: Record<string, Record<ServerKind, RunSample[]>> = {};
    for (const pairCount of pairCounts) {
      const byKind: Record<ServerKind, RunSample[]> = { ringlet: [], bare: [] };
      samples[pairCount] = byKind;
      for (let run = 0; run < ctx.runs; run++) {
        for (const kind of kindsForRun(run, ['bare', 'ringlet'] as const)) {
          const sample = await measure(kind, pairCount, timing);
          byKind[kind].push(sample);
          ctx.log(
            `relay ${pairCount} pairs, run ${run + 1}/${ctx.runs}, ${kind}: ${Math.round(sample.messagesPerSecond)} msg/s, ` +
              `${sample.serverCpuMicrosPerMessage.toFixed(1)} us/msg, server CPU ${(sample.serverCpuShare * 100).toFixed(0)}%, ` +
              `bench CPU ${(sample.clientCpuShare * 100).toFixed(0)}%, RTT p50 ${sample.rttP50.toFixed(2)} ms p99 ${sample.rttP99.toFixed(2)} ms`,
          );
        }
      }
      const pick = (kind: ServerKind, key: keyof RunSample): number[] => byKind[kind].map((s) => s[key]);
      const label = `${pairCount} pair${pairCount === 1 ? '' : 's'}`;
      result.metrics.push(
        metric({
          name: `messages/s, ${label}`,
          unit: 'msg/s',
          ringlet: pick('ringlet', 'messagesPerSecond'),
          baseline: pick('bare', 'messagesPerSecond'),
          target: ratioAtLeast(1.0),
        }),
        metric({
          name: `server CPU per message, ${label}`,
          unit: 'us',
          ringlet: pick('ringlet', 'serverCpuMicrosPerMessage'),
          baseline: pick('bare', 'serverCpuMicrosPerMessage'),
        }),
        metric({
          name: `RTT p50, ${label}`,
          unit: 'ms',
          ringlet: pick('ringlet', 'rttP50'),
          baseline: pick('bare', 'rttP50'),
        }),
        metric({
          name: `RTT p99, ${label}`,
          unit: 'ms',
          ringlet: pick('ringlet', 'rttP99'),
          baseline: pick('bare', 'rttP99'),
          target: ratioAtMost(1.1),
        }),
      );
      // A load generator near a full core caps both servers alike and hides the difference between them.
      const saturated = [...byKind.ringlet, ...byKind.bare].some((s) => s.clientCpuShare > 0.9);
      if (saturated) {
        result.notes.push(
          `At ${label} the bench process (all clients) used > 90% of a core, so messages/s may be capped by ` +
            'the load generator rather than the server; server CPU per message is the sturdier comparison there.',
        );
      }
    }
    result.details = {
      window: WINDOW,
      signalBytes: SIGNAL_BYTES,
      timing,
      perRun: samples,
    };
    result.notes.push(
      `Each fresh server first relays for ${timing.serverWarmupMs / 1000} s over ${WARMUP_PAIRS} warm-up pairs (then idle). ` +
        `Throughput: ${WINDOW} signals in flight per direction per pair; RTT: one signal per pair bounced back and forth ` +
        '(all pairs at once). Server CPU = user + system time of the server process per relayed signal.',
    );
  },
};
