/**
 * A server under test, alone in its own process so its CPU time and memory are its own:
 * `node --expose-gc --import tsx bench/lib/server-child.ts <ringlet|bare>`, spawned by server-process.ts.
 * Reports `{ type: 'ready', url }` over IPC, then answers `cpu` and `memory` requests; the parent kills it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { createSignalingServer } from '../../server/index.js';
import type { BareClientToServer, BareServerToClient } from './bare-protocol.js';
import { isChildRequest, LIFTED_LIMITS, type ChildReply, type ServerKind } from './server-protocol.js';

async function startRinglet(): Promise<string> {
  const server = createSignalingServer({
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    ...LIFTED_LIMITS,
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

const kind = process.argv[2] as ServerKind;
if (kind !== 'ringlet' && kind !== 'bare') {
  console.error(`server-child: unknown kind ${String(kind)}`);
  process.exit(2);
}

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

const url = await (kind === 'ringlet' ? startRinglet() : startBare());
reply({ type: 'ready', url });
