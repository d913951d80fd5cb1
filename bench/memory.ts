/**
 * Memory: the server's RSS growth per connected, joined, idle client, Ringlet against bare Socket.IO
 * (clients join a Socket.IO room there). Each server runs alone in a child process started with
 * --expose-gc; its memory is read after full collections, before the first client connects and again
 * once every client has joined and the server has settled. Rooms hold two users, as calls do.
 */
import {
  connectBare,
  connectRinglet,
  disconnectAll,
  joinBare,
  joinRinglet,
  loopbackAddress,
  pool,
  sleep,
  type BareClient,
  type RingletClient,
} from './lib/clients.js';
import { kindsForRun } from './lib/load.js';
import { startServerProcess, type MemorySample, type ServerKind } from './lib/server-process.js';
import { metric, ratioAtMost } from './lib/stats.js';
import type { Benchmark, BenchContext, BenchResult } from './lib/types.js';

const CONCURRENCY = 200;
/** Past this many clients, spread them over several loopback source addresses (ephemeral ports). */
const CLIENTS_PER_ADDRESS = 20_000;

interface MemoryRun {
  clients: number;
  before: MemorySample;
  after: MemorySample;
  rssPerClientKiB: number;
  heapPerClientKiB: number;
}

async function measure(kind: ServerKind, clients: number, settleMs: number): Promise<MemoryRun> {
  const server = await startServerProcess(kind);
  const sockets: (RingletClient | BareClient)[] = [];
  try {
    await sleep(300);
    const before = await server.memory();
    const spread = Math.ceil(clients / CLIENTS_PER_ADDRESS);
    await pool(clients, CONCURRENCY, async (index) => {
      const address = loopbackAddress(index, spread);
      const roomId = `room-${index >> 1}`;
      if (kind === 'ringlet') {
        const socket = await connectRinglet(server.url, `user-${index}`, address);
        sockets.push(socket);
        await joinRinglet(socket, roomId);
      } else {
        const socket = await connectBare(server.url, address);
        sockets.push(socket);
        await joinBare(socket, roomId);
      }
    });
    await sleep(settleMs);
    const after = await server.memory();
    return {
      clients,
      before,
      after,
      rssPerClientKiB: (after.rss - before.rss) / clients / 1024,
      heapPerClientKiB: (after.heapUsed - before.heapUsed) / clients / 1024,
    };
  } finally {
    disconnectAll(sockets);
    await server.stop();
  }
}

export const memoryBenchmark: Benchmark = {
  id: 'memory',
  title: 'Memory per idle client',
  baseline: 'bare Socket.IO, clients joined to a room',
  async run(ctx: BenchContext, result: BenchResult): Promise<void> {
    const counts = ctx.quick ? [100] : [1_000, 5_000];
    const settleMs = ctx.quick ? 300 : 1_000;
    const perRun: Record<string, Record<ServerKind, MemoryRun[]>> = {};
    for (const clients of counts) {
      const byKind: Record<ServerKind, MemoryRun[]> = { ringlet: [], bare: [] };
      perRun[clients] = byKind;
      for (let run = 0; run < ctx.runs; run++) {
        for (const kind of kindsForRun(run, ['bare', 'ringlet'] as const)) {
          const sample = await measure(kind, clients, settleMs);
          byKind[kind].push(sample);
          ctx.log(
            `memory ${clients} clients, run ${run + 1}/${ctx.runs}, ${kind}: RSS ${sample.rssPerClientKiB.toFixed(2)} KiB/client, ` +
              `heap ${sample.heapPerClientKiB.toFixed(2)} KiB/client`,
          );
        }
      }
      const pick = (kind: ServerKind, key: 'rssPerClientKiB' | 'heapPerClientKiB'): number[] =>
        byKind[kind].map((s) => s[key]);
      result.metrics.push(
        metric({
          name: `RSS per client, ${clients} clients`,
          unit: 'KiB',
          ringlet: pick('ringlet', 'rssPerClientKiB'),
          baseline: pick('bare', 'rssPerClientKiB'),
          target: ratioAtMost(1.1),
        }),
        metric({
          name: `JS heap per client, ${clients} clients`,
          unit: 'KiB',
          ringlet: pick('ringlet', 'heapPerClientKiB'),
          baseline: pick('bare', 'heapPerClientKiB'),
        }),
      );
    }
    result.details = { settleMs, concurrency: CONCURRENCY, perRun };
    result.notes.push(
      'Per client = (RSS after all joined - RSS before the first connect) / clients, both after forced GC; ' +
        'rooms of two users. RSS moves in allocator-sized steps, so small counts are coarse; the heap figure is steadier.',
    );
  },
};
