import type { Socket } from 'socket.io-client';
import type { SignalingClient } from '../../widget/engine/signaling-client.js';

/**
 * Cuts a client's transport as a network failure would; socket.io-client then reconnects by itself.
 * Reaches into the client on purpose: the engine offers no way to break itself.
 */
export function dropConnection(client: SignalingClient): void {
  const socket = Reflect.get(client, 'socket') as Socket;
  socket.io.engine.close();
}
