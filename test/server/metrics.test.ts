import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  closeAll,
  establishCall,
  expectOk,
  httpGet,
  nextEvent,
  request,
  ring,
  sdpOffer,
  startServer,
  userInRoom,
} from '../helpers/index.js';

/** The value of one sample line, e.g. `ringlet_calls{state="active"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  afterEach(closeAll);

  it('counts clients, rooms, calls by state, ring outcomes, relays and error acks', async () => {
    const { url } = await startServer();
    const alice = await userInRoom(url, 'alice', 'r1');
    const bob = await userInRoom(url, 'bob', 'r1');
    const declined = await ring(alice, 'r1', [bob]);
    expectOk(await request(bob, 'video-call-response', { roomId: 'r1', accepted: false, callId: declined }));
    await nextEvent(alice, 'video-call-rejected');
    const { callId } = await establishCall(alice, bob, 'r1');
    expectOk(await request(alice, 'offer', { callId, description: sdpOffer }));
    await request(alice, 'join-room', { roomId: 'not a valid id' });

    const res = await httpGet(`${url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
    const text = res.body;
    assert.equal(sample(text, 'ringlet_connected_clients'), 2);
    assert.equal(sample(text, 'ringlet_state_store_ready'), 1);
    assert.equal(sample(text, 'ringlet_rooms'), 1);
    assert.equal(sample(text, 'ringlet_calls{state="active"}'), 1);
    assert.equal(sample(text, 'ringlet_calls{state="ringing"}'), 0);
    assert.equal(sample(text, 'ringlet_ring_outcomes_total{outcome="declined"}'), 1);
    assert.equal(sample(text, 'ringlet_ring_outcomes_total{outcome="accepted"}'), 1);
    assert.equal(sample(text, 'ringlet_relayed_messages_total{event="offer"}'), 1);
    assert.equal(sample(text, 'ringlet_error_acks_total{code="invalid-payload"}'), 1);
    assert.ok((sample(text, 'ringlet_nodejs_eventloop_lag_seconds') ?? -1) >= 0, 'reports event-loop lag');
  });

  it('is off with metrics: false', async () => {
    const { url } = await startServer({ metrics: false });
    assert.equal((await httpGet(`${url}/metrics`)).status, 404);
  });
});
