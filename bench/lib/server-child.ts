/**
 * A server under test, alone in its own process so its CPU time and memory are its own:
 * `node --expose-gc --import tsx bench/lib/server-child.ts <ringlet|bare> [<redis-url> <key-prefix>]`, spawned
 * by server-process.ts; with a Redis URL, Ringlet runs as one node of a cluster sharing that Redis.
 * Reports `{ type: 'ready', url }` over IPC, then answers `cpu` and `memory` requests; the parent kills it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { createSignalingServer } from '../../server/index.js';
import type { BareClientToServer, BareServerToClient } from './bare-protocol.js';
import {
  CLUSTER_RESUME_SECRET,
  isChildRequest,
  LIFTED_LIMITS,
  type ChildReply,
  type ClusterOptions,
  type ServerKind,
} from './server-protocol.js';

async function startRinglet(cluster: ClusterOptions | undefined): Promise<string> {
  const server = createSignalingServer({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    ...LIFTED_LIMITS,
    ...(cluster ? { ...cluster, resumeSecret: CLUSTER_RESUME_SECRET } : {}),
  });
  const { url } = await server.listen();
  return url;
}

/** The minimal Socket.IO relay Ringlet is measured against: same transport, same engine defaults. */
async function startBare(): Promise<string> {
  const httpServer = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const io = new Server<BareClientToServer, BareServerToClient>(httpServer, {
    serveClient: false,
    cors: { origin: true },
  });
  io.on('connection', (socket) => {
    socket.on('join-room', ({ roomId }, ack) => {
      void socket.join(roomId);
      ack({ ok: true });
    });
    socket.on('msg', (payload) => {
      io.to(payload.to).emit('msg', payload);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

function reply(message: ChildReply): void {
  process.send?.(message);
}

/** Full collections until the heap stops shrinking (at most a few rounds), so RSS reflects live data. */
async function collectGarbage(): Promise<void> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('server-child needs --expose-gc');
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const used = process.memoryUsage().heapUsed;
    if (used >= previous * 0.99) break;
    previous = used;
  }
}

const [, , kindArg, redisUrl, redisKeyPrefix] = process.argv;
const kind = kindArg as ServerKind;
if (kind !== 'ringlet' && kind !== 'bare') {
  console.error(`server-child: unknown kind ${String(kind)}`);
  process.exit(2);
}
if (redisUrl !== undefined && (kind !== 'ringlet' || redisKeyPrefix === undefined)) {
  console.error('server-child: a Redis URL wants a ringlet server and a key prefix');
  process.exit(2);
}
const cluster =
  redisUrl !== undefined && redisKeyPrefix !== undefined ? { redisUrl, redisKeyPrefix } : undefined;

process.on('message', (message: unknown) => {
  if (!isChildRequest(message)) return;
  const { id } = message;
  switch (message.type) {
    case 'cpu': {
      const { user, system } = process.cpuUsage();
      reply({ type: 'cpu', id, micros: user + system });
      break;
    }
    case 'memory':
      void collectGarbage().then(() => {
        const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
        reply({ type: 'memory', id, memory: { rss, heapUsed, external, arrayBuffers } });
      });
      break;
  }
});
// The parent going away takes this process with it.
process.on('disconnect', () => process.exit(0));

const url = await (kind === 'ringlet' ? startRinglet(cluster) : startBare());
reply({ type: 'ready', url });
