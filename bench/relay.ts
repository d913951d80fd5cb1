/**
 * Relay: 1 KB offer-shaped signals between the two participants of accepted calls, through Ringlet
 * (`offer` events: validated, looked up in the call, re-addressed) against a bare Socket.IO relay
 * (`msg` events forwarded with `io.to(peerId).emit`). Both servers run alone in a child process; the
 * clients (this process) use the websocket transport.
 *
 * Per pair count: throughput with a window of signals in flight in each direction, server CPU per
 * relayed signal, and the round trip of a ping-pong (each pair bounces one signal back and forth).
 * The workload itself is lib/relay-workload.ts, shared with the redis benchmark.
 */
import { kindsForRun } from './lib/load.js';
import {
  barePair,
  describeSample,
  relayMetrics,
  relayTiming,
  ringletPair,
  runRelayWorkload,
  saturationNote,
  WARMUP_PAIRS,
  WINDOW,
  type RunSample,
  type Timing,
} from './lib/relay-workload.js';
import { startServerProcess, type ServerKind } from './lib/server-process.js';
import { SIGNAL_BYTES } from './lib/signals.js';
import { ratioAtLeast, ratioAtMost } from './lib/stats.js';
import type { Benchmark, BenchContext, BenchResult } from './lib/types.js';

async function measure(kind: ServerKind, pairCount: number, timing: Timing): Promise<RunSample> {
  const server = await startServerProcess(kind);
  try {
    return await runRelayWorkload(
      {
        label: kind,
        makePair: (index) =>
          kind === 'ringlet' ? ringletPair(server.url, server.url, index) : barePair(server.url),
        cpu: () => server.cpuMicros(),
      },
      pairCount,
      timing,
    );
  } finally {
    await server.stop();
  }
}

export const relayBenchmark: Benchmark = {
  id: 'relay',
  title: `Relay (${SIGNAL_BYTES} B signals)`,
  baseline: 'bare Socket.IO relay (io.to(peerId).emit), same transport',
  async run(ctx: BenchContext, result: BenchResult): Promise<void> {
    const pairCounts = [1, 10, 100];
    const timing = relayTiming(ctx.quick);
    const samples: Record<string, Record<ServerKind, RunSample[]>> = {};
    for (const pairCount of pairCounts) {
      const byKind: Record<ServerKind, RunSample[]> = { ringlet: [], bare: [] };
      samples[pairCount] = byKind;
      for (let run = 0; run < ctx.runs; run++) {
        for (const kind of kindsForRun(run, ['bare', 'ringlet'] as const)) {
          const sample = await measure(kind, pairCount, timing);
          byKind[kind].push(sample);
          ctx.log(`relay ${pairCount} pairs, run ${run + 1}/${ctx.runs}, ${kind}: ${describeSample(sample)}`);
        }
      }
      result.metrics.push(
        ...relayMetrics(pairCount, byKind.ringlet, byKind.bare, {
          throughput: ratioAtLeast(1.0),
          rttP99: ratioAtMost(1.1),
        }),
      );
      const saturated = saturationNote(pairCount, [...byKind.ringlet, ...byKind.bare]);
      if (saturated) result.notes.push(saturated);
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
