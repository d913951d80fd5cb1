import type { CallLifecycle, CallLifecycleEvent } from '../../widget/engine/call-lifecycle.js';
import { acquireRoomSession, type RoomConfig } from '../../widget/engine/room-registry.js';
import type { RoomSession } from '../../widget/engine/room-session.js';
import { testConfig, uniqueId } from './test-config.js';

/** One user of the engine in one room, recording its lifecycle events. */
export interface TestPeer {
  userId: string;
  userName: string;
  session: RoomSession;
  moments: CallLifecycleEvent[];
  release(): void;
}

const live = new Set<TestPeer>();

/** Joins `roomId` as a fresh user named `userName` (its id is made unique). */
export function joinAs(userName: string, roomId: string, overrides: Partial<RoomConfig> = {}): TestPeer {
  const userId = uniqueId(userName.toLowerCase());
  const lease = acquireRoomSession({ server: testConfig.serverUrl, roomId, userId, userName, ...overrides });
  const moments: CallLifecycleEvent[] = [];
  lease.value.events.on('lifecycle', (event) => moments.push(event));
  const peer: TestPeer = {
    userId,
    userName,
    session: lease.value,
    moments,
    release: () => {
      live.delete(peer);
      lease.release();
    },
  };
  live.add(peer);
  return peer;
}

/** Releases every peer a test left behind (call from `afterEach`). */
export function releaseAllPeers(): void {
  for (const peer of [...live]) peer.release();
}

/** Polls `predicate` until it holds; fails with `message` after `timeout` ms. */
export async function until(predicate: () => boolean, message: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out: ${message}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until every peer has joined and sees all the others in the room. */
export async function allJoined(...peers: TestPeer[]): Promise<void> {
  const seesEveryone = (peer: TestPeer) =>
    peer.session.joined &&
    peers.every((other) => peer.session.members.some((m) => m.userId === other.userId));
  try {
    await until(() => peers.every(seesEveryone), 'peers did not all join and see each other');
  } catch (error) {
    const report = peers.map((peer) => ({
      user: peer.userId,
      connection: peer.session.connectionState,
      joined: peer.session.joined,
      joinError: peer.session.joinError?.code,
      members: peer.session.members.map((m) => m.userId),
    }));
    throw new Error(`${String(error)}: ${JSON.stringify(report)}`, { cause: error });
  }
}

export function momentTypes(peer: TestPeer): CallLifecycle[] {
  return peer.moments.map((moment) => moment.type);
}

/** Video frames decoded so far on the connection's inbound video streams. */
export async function framesDecoded(connection: RTCPeerConnection): Promise<number> {
  const stats = await connection.getStats();
  let frames = 0;
  stats.forEach((report: { type: string; kind?: string; framesDecoded?: number }) => {
    if (report.type === 'inbound-rtp' && report.kind === 'video') frames += report.framesDecoded ?? 0;
  });
  return frames;
}

/** Waits until the connection has decoded video frames from the other side. */
export async function untilVideoDecodes(connection: RTCPeerConnection | null, label: string): Promise<void> {
  if (!connection) throw new Error(`${label}: no peer connection`);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if ((await framesDecoded(connection)) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${label}: no video frame decoded`);
}
