/**
 * Connect-and-join: how fast a server takes 2,000 clients that connect (websocket) and join a room, with
 * server CPU per client. Ringlet (connect, then `join-room` with its ack) is set against a bare Socket.IO
 * connect, as asked, and, for a like-for-like view, against bare Socket.IO connect plus a room join with ack.
 */
import {
  connectBare,
  connectRinglet,
  disconnectAll,
  joinBare,
  joinRinglet,
  pool,
  sleep,
  type BareClient,
  type RingletClient,
} from './lib/clients.js';
import { kindsForRun, ownCpuMicros } from './lib/load.js';
import { startServerProcess } from './lib/server-process.js';
import { metric } from './lib/stats.js';
import type { Benchmark, BenchContext, BenchResult } from './lib/types.js';

type Variant = 'ringlet' | 'bare-connect' | 'bare-join';

const CONCURRENCY = 100;

interface ConnectRun {
  clients: number;
  seconds: number;
  perSecond: number;
  serverCpuMicrosPerClient: number;
  /** CPU time of this process (every client) over wall time: near 1, the clients set the pace. */
  clientCpuShare: number;
}

async function connectAndMaybeJoin(
  variant: Variant,
  url: string,
  index: number,
  sockets: (RingletClient | BareClient)[],
): Promise<void> {
  const roomId = `room-${index >> 1}`;
  if (variant === 'ringlet') {
    const socket = await connectRinglet(url, `user-${index}`);
    sockets.push(socket);
    await joinRinglet(socket, roomId);
    return;
  }
  const socket = await connectBare(url);
  sockets.push(socket);
  if (variant === 'bare-join') await joinBare(socket, roomId);
}

async function measure(variant: Variant, clients: number, warmup: number): Promise<ConnectRun> {
  const server = await startServerProcess(variant === 'ringlet' ? 'ringlet' : 'bare');
  const sockets: (RingletClient | BareClient)[] = [];
  try {
    // A few clients first, so the measured ones meet warmed-up code, as on a running service.
    const warm: (RingletClient | BareClient)[] = [];
    await pool(warmup, CONCURRENCY, (index) =>
      connectAndMaybeJoin(variant, server.url, clients + index, warm),
    );
    disconnectAll(warm);
    await sleep(300);
    const cpu0 = await server.cpuMicros();
    const own0 = ownCpuMicros();
    const t0 = performance.now();
    await pool(clients, CONCURRENCY, (index) => connectAndMaybeJoin(variant, server.url, index, sockets));
    const t1 = performance.now();
    const own1 = ownCpuMicros();
    const cpu1 = await server.cpuMicros();
    const seconds = (t1 - t0) / 1000;
    return {
      clients,
      seconds,
      perSecond: clients / seconds,
      serverCpuMicrosPerClient: (cpu1 - cpu0) / clients,
      clientCpuShare: (own1 - own0) / (seconds * 1e6),
    };
  } finally {
    disconnectAll(sockets);
    await server.stop();
  }
}

export const connectBenchmark: Benchmark = {
  id: 'connect',
  title: 'Connect and join',
  baseline: 'bare Socket.IO connect (and connect + room join, for reference)',
  async run(ctx: BenchContext, result: BenchResult): Promise<void> {
    const clients = ctx.quick ? 100 : 2_000;
    const warmup = ctx.quick ? 20 : 300;
    const byVariant: Record<Variant, ConnectRun[]> = { ringlet: [], 'bare-connect': [], 'bare-join': [] };
    for (let run = 0; run < ctx.runs; run++) {
      for (const variant of kindsForRun<Variant>(run, ['bare-connect', 'ringlet', 'bare-join'])) {
        const sample = await measure(variant, clients, warmup);
        byVariant[variant].push(sample);
        ctx.log(
          `connect ${clients} clients, run ${run + 1}/${ctx.runs}, ${variant}: ${Math.round(sample.perSecond)} clients/s, ` +
            `${sample.serverCpuMicrosPerClient.toFixed(0)} us server CPU per client, ` +
            `bench CPU ${(sample.clientCpuShare * 100).toFixed(0)}%`,
        );
      }
    }
    const pick = (variant: Variant, key: 'perSecond' | 'serverCpuMicrosPerClient'): number[] =>
      byVariant[variant].map((s) => s[key]);
    result.metrics.push(
      metric({
        name: `connect+join rate, ${clients} clients`,
        unit: 'conn/s',
        ringlet: pick('ringlet', 'perSecond'),
        baseline: pick('bare-connect', 'perSecond'),
      }),
      metric({
        name: 'server CPU per connection',
        unit: 'us',
        ringlet: pick('ringlet', 'serverCpuMicrosPerClient'),
        baseline: pick('bare-connect', 'serverCpuMicrosPerClient'),
      }),
      metric({
        name: 'rate vs bare connect+join',
        unit: 'conn/s',
        ringlet: pick('ringlet', 'perSecond'),
        baseline: pick('bare-join', 'perSecond'),
      }),
      metric({
        name: 'CPU/conn vs bare connect+join',
        unit: 'us',
        ringlet: pick('ringlet', 'serverCpuMicrosPerClient'),
        baseline: pick('bare-join', 'serverCpuMicrosPerClient'),
      }),
    );
    result.details = { clients, concurrency: CONCURRENCY, warmup, perRun: byVariant };
    const all = [...byVariant.ringlet, ...byVariant['bare-connect'], ...byVariant['bare-join']];
    if (all.some((s) => s.clientCpuShare > 0.9)) {
      result.notes.push(
        'The bench process (every client) used > 90% of a core in some runs: rates may be capped by the load ' +
          'generator; server CPU per connection is the sturdier comparison.',
      );
    }
    result.notes.push(
      `${clients} clients, ${CONCURRENCY} handshakes in flight, after ${warmup} warm-up clients; ` +
        'Ringlet also answers join-room and broadcasts room presence, which a bare connect does not.',
    );
  },
};
