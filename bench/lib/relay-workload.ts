/**
 * The relay workload that the relay and redis benchmarks share: pairs of clients that relay 1 KB offer-shaped
 * signals to each other, measured for throughput (a window of signals in flight in each direction) and for
 * round trips (each pair bounces one signal back and forth). Where each end of a pair connects is up to the
 * caller, so the same workload runs through one node or across two.
 */
import { connectBare, connectRinglet, disconnectAll, joinRinglet, pool, request, sleep } from './clients.js';
import type { BareClient, RingletClient } from './clients.js';
import { ownCpuMicros, waitUntil } from './load.js';
import { SIGNAL } from './signals.js';
import { metric, percentile } from './stats.js';
import type { Metric, Target } from './types.js';

export type Side = 0 | 1;

export interface RelayPair {
  /** `side` sends one signal to the other side. */
  send(side: Side): void;
  /** What runs when `side` receives a signal (replaces the previous handler). */
  onMessage(side: Side, handler: () => void): void;
  close(): void;
}

/** Signals in flight per direction and pair during the throughput phase. */
export const WINDOW = 32;
const DRAIN_TIMEOUT_MS = 15_000;
/** Pairs that warm a fresh server up; they stay connected, idle, while the measured pairs run. */
export const WARMUP_PAIRS = 10;
/** Pairs set up at once. */
const SETUP_CONCURRENCY = 20;

export interface Timing {
  /** A fresh server relays for this long (WARMUP_PAIRS pairs) before anything is measured: JIT, lazy set-up. */
  serverWarmupMs: number;
  warmupMs: number;
  durationMs: number;
  rttWarmupMs: number;
  rttDurationMs: number;
}

export function relayTiming(quick: boolean): Timing {
  return quick
    ? { serverWarmupMs: 1500, warmupMs: 300, durationMs: 1000, rttWarmupMs: 200, rttDurationMs: 700 }
    : { serverWarmupMs: 3000, warmupMs: 1000, durationMs: 3000, rttWarmupMs: 500, rttDurationMs: 2000 };
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

/**
 * Two Ringlet users in a room of their own, in an accepted call, ready to relay. The caller connects to
 * `callerUrl`, the callee to `calleeUrl` (another node of the same cluster, or the same one).
 */
export async function ringletPair(callerUrl: string, calleeUrl: string, index: number): Promise<RelayPair> {
  const sockets: RingletClient[] = [];
  try {
    const callerId = `caller-${index}`;
    const calleeId = `callee-${index}`;
    const roomId = `relay-${index}`;
    const a = await connectRinglet(callerUrl, callerId);
    sockets.push(a);
    const b = await connectRinglet(calleeUrl, calleeId);
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
export async function barePair(url: string): Promise<RelayPair> {
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

export interface ThroughputSample {
  messagesPerSecond: number;
  serverCpuMicrosPerMessage: number;
  /** Server CPU time over wall time: 1 is one core kept busy. */
  serverCpuShare: number;
  /** The same for this process, the load generator. */
  clientCpuShare: number;
}

/** The CPU time (user + system, microseconds) of whatever serves the pairs: one process or several summed. */
export type CpuSource = () => Promise<number>;

/**
 * Keeps WINDOW signals in flight each way on every pair for `warmupMs + durationMs`; measures over the last
 * `durationMs` only (when a CPU source is given). `label` names the setup in errors.
 */
async function throughput(
  pairs: RelayPair[],
  cpu: CpuSource | null,
  label: string,
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
  const cpu0 = (await cpu?.()) ?? 0;
  const own0 = ownCpuMicros();
  const count0 = delivered;
  const t0 = performance.now();
  await sleep(durationMs);
  const cpu1 = (await cpu?.()) ?? 0;
  const own1 = ownCpuMicros();
  const count1 = delivered;
  const t1 = performance.now();
  running = false;
  if (!(await waitUntil(() => inFlight === 0, DRAIN_TIMEOUT_MS))) {
    throw new Error(`${inFlight} signals never arrived (${cpu ? label : 'warm-up'}, ${pairs.length} pairs)`);
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

export interface RunSample extends ThroughputSample {
  rttP50: number;
  rttP99: number;
  rttSamples: number;
}

export interface WorkloadSetup {
  /** Names the setup in errors, e.g. `ringlet`. */
  label: string;
  /** Sets up pair number `index` (warm-up pairs come after the measured ones). */
  makePair: (index: number) => Promise<RelayPair>;
  /** CPU time of the server side, read at both ends of the throughput window. */
  cpu: CpuSource;
}

/**
 * One measurement on servers that were just started: WARMUP_PAIRS pairs relay for `serverWarmupMs` (then stay
 * connected, idle), then `pairCount` fresh pairs are measured for throughput and round trips. Closes every pair
 * it made; stopping the servers is the caller's.
 */
export async function runRelayWorkload(
  setup: WorkloadSetup,
  pairCount: number,
  timing: Timing,
): Promise<RunSample> {
  const pairs: RelayPair[] = [];
  const warmers: RelayPair[] = [];
  const makePairs = (count: number, first: number, into: RelayPair[]): Promise<void[]> =>
    pool(count, SETUP_CONCURRENCY, async (index) => {
      into.push(await setup.makePair(first + index));
    });
  try {
    // The first seconds of a fresh process relay several times slower (JIT): warm it up first.
    await makePairs(WARMUP_PAIRS, pairCount, warmers);
    await throughput(warmers, null, setup.label, timing.serverWarmupMs, 0);
    await makePairs(pairCount, 0, pairs);
    const rate = await throughput(pairs, setup.cpu, setup.label, timing.warmupMs, timing.durationMs);
    const rtts = await roundTrips(pairs, timing);
    return { ...rate, rttP50: percentile(rtts, 50), rttP99: percentile(rtts, 99), rttSamples: rtts.length };
  } finally {
    for (const pair of [...pairs, ...warmers]) pair.close();
  }
}

/** One line of progress for a sample. */
export function describeSample(sample: RunSample): string {
  return (
    `${Math.round(sample.messagesPerSecond)} msg/s, ` +
    `${sample.serverCpuMicrosPerMessage.toFixed(1)} us/msg, server CPU ${(sample.serverCpuShare * 100).toFixed(0)}%, ` +
    `bench CPU ${(sample.clientCpuShare * 100).toFixed(0)}%, RTT p50 ${sample.rttP50.toFixed(2)} ms p99 ${sample.rttP99.toFixed(2)} ms`
  );
}

export function pairsLabel(pairCount: number): string {
  return `${pairCount} pair${pairCount === 1 ? '' : 's'}`;
}

/** The four figures of a pair count: messages/s, server CPU per message, RTT p50 and p99. */
export function relayMetrics(
  pairCount: number,
  ringlet: readonly RunSample[],
  baseline: readonly RunSample[],
  targets: { throughput?: Target; rttP99?: Target },
): Metric[] {
  const pick = (samples: readonly RunSample[], key: keyof RunSample): number[] => samples.map((s) => s[key]);
  const label = pairsLabel(pairCount);
  return [
    metric({
      name: `messages/s, ${label}`,
      unit: 'msg/s',
      ringlet: pick(ringlet, 'messagesPerSecond'),
      baseline: pick(baseline, 'messagesPerSecond'),
      target: targets.throughput,
    }),
    metric({
      name: `server CPU per message, ${label}`,
      unit: 'us',
      ringlet: pick(ringlet, 'serverCpuMicrosPerMessage'),
      baseline: pick(baseline, 'serverCpuMicrosPerMessage'),
    }),
    metric({
      name: `RTT p50, ${label}`,
      unit: 'ms',
      ringlet: pick(ringlet, 'rttP50'),
      baseline: pick(baseline, 'rttP50'),
    }),
    metric({
      name: `RTT p99, ${label}`,
      unit: 'ms',
      ringlet: pick(ringlet, 'rttP99'),
      baseline: pick(baseline, 'rttP99'),
      target: targets.rttP99,
    }),
  ];
}

/**
 * A load generator near a full core caps both setups alike and hides the difference between them: the note
 * that says so, or `null`.
 */
export function saturationNote(pairCount: number, samples: readonly RunSample[]): string | null {
  if (!samples.some((s) => s.clientCpuShare > 0.9)) return null;
  return (
    `At ${pairsLabel(pairCount)} the bench process (all clients) used > 90% of a core, so messages/s may be capped by ` +
    'the load generator rather than the server; server CPU per message is the sturdier comparison there.'
  );
}
