/**
 * Cross-node relay through Redis against a single node: the relay benchmark's workload (lib/relay-workload.ts,
 * 1 KB `offer` signals in accepted calls) with each call's caller on one Ringlet node and its callee on another,
 * the two nodes sharing one Redis (REDIS_URL: state in Redis, the Socket.IO Redis adapter between them), against
 * the same workload with both participants on one node without Redis, measured in the same run.
 *
 * The bench starts its own `redis-server` on a free loopback port (test/helpers/redis-server.ts) and stops it at
 * the end, failure or not; each cross-node measurement gets two fresh nodes and a fresh key prefix, and the Redis
 * is flushed after it. Server CPU per message is both nodes plus Redis for the cross-node setup.
 */
import { cpus } from 'node:os';
import { resolveRedisServer, startRedis, type RedisProcess } from '../test/helpers/redis-server.js';
import { errorMessage, kindsForRun } from './lib/load.js';
import {
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
import { startServerProcess, type ServerProcess } from './lib/server-process.js';
import { SIGNAL_BYTES } from './lib/signals.js';
import { ratioAtLeast } from './lib/stats.js';
import type { Benchmark, BenchContext, BenchResult } from './lib/types.js';

type Setup = 'single' | 'cross';

interface RedisRunSample extends RunSample {
  /** Cross-node only: Redis's share of the server CPU per message (the rest is the two nodes). */
  redisCpuMicrosPerMessage?: number;
}

/** CPU time Redis has used so far (user + system, microseconds), from `INFO cpu`. */
async function redisCpuMicros(redis: RedisProcess): Promise<number> {
  const info = (await redis.command('INFO', 'cpu')) ?? '';
  const seconds = (field: string): number => {
    const match = new RegExp(`^${field}:([0-9.]+)`, 'm').exec(info);
    if (!match?.[1]) throw new Error(`redis INFO cpu without ${field}`);
    return Number(match[1]);
  };
  return Math.round((seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6);
}

/** One node without Redis; both participants of every call on it. */
async function measureSingle(pairCount: number, timing: Timing): Promise<RedisRunSample> {
  const node = await startServerProcess('ringlet');
  try {
    return await runRelayWorkload(
      {
        label: 'single node',
        makePair: (index) => ringletPair(node.url, node.url, index),
        cpu: () => node.cpuMicros(),
      },
      pairCount,
      timing,
    );
  } finally {
    await node.stop();
  }
}

let clusters = 0;

/** Two fresh nodes sharing `redis` under a fresh key prefix; every caller on the first, every callee on the second. */
async function measureCross(redis: RedisProcess, pairCount: number, timing: Timing): Promise<RedisRunSample> {
  clusters += 1;
  const cluster = { redisUrl: redis.url, redisKeyPrefix: `bench${clusters}` };
  const nodes: ServerProcess[] = [];
  let sample: RunSample;
  // The CPU source is read at both ends of the throughput window: keep Redis's part apart as well.
  const readings: { total: number; redis: number }[] = [];
  try {
    nodes.push(await startServerProcess('ringlet', cluster));
    nodes.push(await startServerProcess('ringlet', cluster));
    const [a, b] = nodes;
    if (!a || !b) throw new Error('cluster without two nodes');
    sample = await runRelayWorkload(
      {
        label: 'cross-node',
        makePair: (index) => ringletPair(a.url, b.url, index),
        cpu: async () => {
          const [cpuA, cpuB, cpuRedis] = await Promise.all([
            a.cpuMicros(),
            b.cpuMicros(),
            redisCpuMicros(redis),
          ]);
          const total = cpuA + cpuB + cpuRedis;
          readings.push({ total, redis: cpuRedis });
          return total;
        },
      },
      pairCount,
      timing,
    );
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
  }
  // The nodes are gone: their keys and node records would only weigh on the next measurements.
  await redis.command('FLUSHALL');
  const [start, end] = readings;
  const redisShare = start && end ? (end.redis - start.redis) / (end.total - start.total) : Number.NaN;
  return { ...sample, redisCpuMicrosPerMessage: sample.serverCpuMicrosPerMessage * redisShare };
}

export const redisBenchmark: Benchmark = {
  id: 'redis',
  title: 'Cross-node relay via Redis',
  baseline: 'one node without Redis (both participants on it), same workload',
  async run(ctx: BenchContext, result: BenchResult): Promise<void> {
    try {
      resolveRedisServer();
    } catch (error) {
      result.status = 'skipped';
      result.notes.push(errorMessage(error));
      return;
    }
    const pairCounts = [1, 10, 100];
    const timing = relayTiming(ctx.quick);
    const samples: Record<string, Record<Setup, RedisRunSample[]>> = {};
    const redis = await startRedis();
    try {
      for (const pairCount of pairCounts) {
        const bySetup: Record<Setup, RedisRunSample[]> = { single: [], cross: [] };
        samples[pairCount] = bySetup;
        for (let run = 0; run < ctx.runs; run++) {
          for (const setup of kindsForRun(run, ['single', 'cross'] as const)) {
            const sample =
              setup === 'single'
                ? await measureSingle(pairCount, timing)
                : await measureCross(redis, pairCount, timing);
            bySetup[setup].push(sample);
            const redisShare =
              sample.redisCpuMicrosPerMessage === undefined
                ? ''
                : ` (Redis ${sample.redisCpuMicrosPerMessage.toFixed(1)} us/msg)`;
            ctx.log(
              `redis ${pairCount} pairs, run ${run + 1}/${ctx.runs}, ${setup}: ${describeSample(sample)}${redisShare}`,
            );
          }
        }
        result.metrics.push(
          ...relayMetrics(pairCount, bySetup.cross, bySetup.single, { throughput: ratioAtLeast(0.7) }),
        );
        const saturated = saturationNote(pairCount, [...bySetup.cross, ...bySetup.single]);
        if (saturated) result.notes.push(saturated);
      }
    } finally {
      await redis.stop();
    }
    result.details = {
      window: WINDOW,
      signalBytes: SIGNAL_BYTES,
      timing,
      perRun: samples,
    };
    result.notes.push(
      'Ringlet column: two nodes sharing one local redis-server (REDIS_URL, Socket.IO Redis adapter), each call ' +
        "with its caller on one node and its callee on the other, so every signal is looked up in Redis's call state " +
        'and crosses nodes through Redis pub/sub. Baseline: one node, in-memory state, no Redis. ' +
        `Same workload as the relay benchmark (${WINDOW} signals in flight per direction per pair; RTT: one signal per ` +
        `pair bounced back and forth), each fresh setup first relaying for ${timing.serverWarmupMs / 1000} s over ` +
        `${WARMUP_PAIRS} warm-up pairs. Server CPU = user + system time of the node(s), plus Redis's (INFO cpu) for ` +
        'the cross-node setup.',
    );
    const cores = cpus().length;
    if (cores < 4) {
      result.notes.push(
        `This machine has ${cores} cores for two nodes, Redis and the bench's clients at once, against one node and ` +
          'the clients for the baseline: the cross-node figures are held down by CPU contention here more than they ' +
          'would be with a node per machine.',
      );
    }
  },
};
