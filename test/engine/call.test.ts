import { expect } from '@esm-bundle/chai';
import { CallStatus } from '../../widget/engine/call-status.js';
import {
  allJoined,
  framesDecoded,
  joinAs,
  momentTypes,
  releaseAllPeers,
  until,
  untilVideoDecodes,
} from '../wtr/peers.js';
import { dropConnection } from '../wtr/drop-connection.js';
import { testConfig, uniqueId } from '../wtr/test-config.js';

describe('engine: a real call through the real service', () => {
  afterEach(releaseAllPeers);

  it('connects two engines with video decoding both ways, then hangs up cleanly', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    await allJoined(alice, bob);

    await alice.session.call(bob.userId);
    expect(alice.session.status).to.equal(CallStatus.RingingOut);
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    expect(bob.session.ringingCall?.peer).to.deep.equal({ userId: alice.userId, userName: 'Alice' });

    await bob.session.accept();
    await until(
      () => alice.session.status === CallStatus.InCall && bob.session.status === CallStatus.InCall,
      'the call never connected',
    );
    const aliceCall = alice.session.activeCall;
    const bobCall = bob.session.activeCall;
    expect(aliceCall?.peer).to.deep.equal({ userId: bob.userId, userName: 'Bob' });
    await untilVideoDecodes(aliceCall?.peerConnection ?? null, 'alice');
    await untilVideoDecodes(bobCall?.peerConnection ?? null, 'bob');

    // The remote stream really plays in a <video>.
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = aliceCall?.remoteStream ?? null;
    document.body.append(video);
    await video.play();
    await until(() => video.videoWidth > 0, 'remote video has no size');
    video.remove();

    const tracks = aliceCall?.localStream?.getTracks() ?? [];
    const connection = aliceCall?.peerConnection;
    await alice.session.hangUp();
    await until(() => bob.session.status === CallStatus.Ended, 'bob never saw the hang-up');

    expect(momentTypes(alice)).to.deep.equal(['outgoing', 'accepted', 'started', 'ended']);
    expect(momentTypes(bob)).to.deep.equal(['incoming', 'accepted', 'started', 'ended']);
    expect(bob.moments.at(-1)?.reason).to.equal('hangup');
    expect(tracks.length).to.be.greaterThan(0);
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
    expect(connection?.connectionState).to.equal('closed');
    expect(alice.session.activeCall).to.equal(null);
  });

  it('both sides renegotiating at once (ICE restart on both) converge and keep the media flowing', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    await allJoined(alice, bob);
    await alice.session.call();
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    await bob.session.accept();
    await until(
      () => alice.session.status === CallStatus.InCall && bob.session.status === CallStatus.InCall,
      'the call never connected',
    );
    const aliceConnection = alice.session.activeCall?.peerConnection;
    const bobConnection = bob.session.activeCall?.peerConnection;
    if (!aliceConnection || !bobConnection) throw new Error('no connections');
    const ufragBefore = bobConnection.remoteDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1];

    alice.session.activeCall?.restartIce();
    bob.session.activeCall?.restartIce();

    await until(() => {
      const ufrag = bobConnection.remoteDescription?.sdp.match(/a=ice-ufrag:(\S+)/)?.[1];
      return (
        ufrag !== ufragBefore &&
        aliceConnection.signalingState === 'stable' &&
        bobConnection.signalingState === 'stable' &&
        aliceConnection.connectionState === 'connected' &&
        bobConnection.connectionState === 'connected'
      );
    }, 'the crossing renegotiations did not converge');
    const before = await framesDecoded(aliceConnection);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await framesDecoded(aliceConnection)).to.be.greaterThan(before);
  });

  it('tells the caller in plain reasons: declined', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    await allJoined(alice, bob);
    await alice.session.call(bob.userId);
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    const tracks = alice.session.activeCall?.localStream?.getTracks() ?? [];
    await bob.session.decline();
    await until(() => alice.session.status === CallStatus.Ended, 'alice never heard of the decline');
    expect(alice.session.outcome).to.include({ reason: 'declined', by: 'them', accepted: false });
    expect(alice.moments.at(-1)).to.include({ type: 'declined', reason: 'declined' });
    expect(bob.moments.at(-1)).to.include({ type: 'declined', reason: 'declined' });
    expect(tracks.every((track) => track.readyState === 'ended')).to.equal(true);
  });

  it('cancels a ringing call on both sides', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    await allJoined(alice, bob);
    await alice.session.call(bob.userId);
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    await alice.session.hangUp();
    await until(() => bob.session.ringingCall === null, 'bob kept ringing');
    expect(alice.moments.at(-1)).to.include({ type: 'cancelled', reason: 'cancelled' });
    expect(bob.moments.at(-1)).to.include({ type: 'cancelled', reason: 'cancelled' });
    expect(bob.session.status).to.equal(CallStatus.Ended);
  });

  it('says "no answer" to the caller and "missed" to the callee when the ring times out', async () => {
    const room = uniqueId('room');
    const server = testConfig.quickServerUrl;
    const alice = joinAs('Alice', room, { server });
    const bob = joinAs('Bob', room, { server });
    await allJoined(alice, bob);
    await alice.session.call(bob.userId);
    await until(() => alice.session.status === CallStatus.Ended, 'the ring never timed out', 8_000);
    expect(alice.moments.at(-1)).to.include({ type: 'declined', reason: 'timeout' });
    await until(() => bob.moments.at(-1)?.type === 'missed', 'bob never missed the call');
  });

  it('tells the caller when the callee is busy in another call', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    const carol = joinAs('Carol', room);
    await allJoined(alice, bob, carol);
    await carol.session.call(bob.userId);
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    await bob.session.accept();
    await until(
      () => alice.session.members.find((m) => m.userId === bob.userId)?.status === 'in-call',
      'alice never saw bob in a call',
    );
    await alice.session.call(bob.userId).catch(() => undefined);
    await until(() => alice.session.status === CallStatus.Ended, 'alice never heard bob is busy');
    expect(alice.moments.at(-1)).to.include({ type: 'declined', reason: 'busy' });
    expect(bob.session.activeCall?.peer?.userId).to.equal(carol.userId);
  });

  it('tells the caller the callee is unavailable when they leave while ringing', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    await allJoined(alice, bob);
    await alice.session.call(bob.userId);
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    bob.release();
    await until(() => alice.session.status === CallStatus.Ended, 'alice never heard bob left');
    expect(alice.moments.at(-1)).to.include({ type: 'declined', reason: 'unavailable' });
  });

  it('turns calls that cross (glare) into one call', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    await allJoined(alice, bob);
    await Promise.all([alice.session.call(bob.userId), bob.session.call(alice.userId)]);
    await until(
      () => alice.session.status === CallStatus.InCall && bob.session.status === CallStatus.InCall,
      'the crossing calls did not become one call',
    );
    expect(alice.session.activeCall?.id).to.equal(bob.session.activeCall?.id);
  });

  it('relays camera and microphone state to the other side', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    await allJoined(alice, bob);
    await alice.session.call();
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    await bob.session.accept();
    await until(() => alice.session.status === CallStatus.InCall, 'the call never connected');
    const aliceCall = alice.session.activeCall;
    const bobCall = bob.session.activeCall;
    if (!aliceCall || !bobCall) throw new Error('no calls');

    aliceCall.setMicrophoneEnabled(false);
    await aliceCall.setCameraEnabled(false);
    await until(
      () => !bobCall.remoteMedia.audio && !bobCall.remoteMedia.video,
      'bob never saw alice go dark',
    );
    expect(aliceCall.localMedia).to.deep.equal({ audio: false, video: false });

    await aliceCall.setCameraEnabled(true);
    aliceCall.setMicrophoneEnabled(true);
    await until(
      () => bobCall.remoteMedia.audio && bobCall.remoteMedia.video,
      'bob never saw alice come back',
    );
    expect(aliceCall.localStream?.getVideoTracks()[0]?.readyState).to.equal('live');
  });

  it('keeps an accepted call through a signaling reconnect (rejoin-call), then hangs up', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    await allJoined(alice, bob);
    await alice.session.call(bob.userId);
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    await bob.session.accept();
    await until(() => alice.session.status === CallStatus.InCall, 'the call never connected');
    const callId = alice.session.activeCall?.id;

    dropConnection(alice.session.signaling);
    await until(() => !alice.session.joined, 'the drop went unnoticed');
    await until(() => alice.session.joined, 'alice never came back');
    // Past the default 5 s grace the service would have ended it; it must still be the same call.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alice.session.activeCall?.id).to.equal(callId);
    expect(bob.session.activeCall?.id).to.equal(callId);

    await alice.session.hangUp();
    await until(
      () => bob.session.status === CallStatus.Ended,
      'bob never heard the hang-up after the reconnect',
    );
    expect(bob.moments.at(-1)).to.include({ type: 'ended', reason: 'hangup' });
  });

  it('updates presence: a member in a call is shown in-call, then available again', async () => {
    const room = uniqueId('room');
    const alice = joinAs('Alice', room);
    const bob = joinAs('Bob', room);
    const carol = joinAs('Carol', room);
    await allJoined(alice, bob, carol);
    await alice.session.call(bob.userId);
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    await bob.session.accept();
    const statusOf = (userId: string) => carol.session.members.find((m) => m.userId === userId)?.status;
    await until(() => statusOf(alice.userId) === 'in-call' && statusOf(bob.userId) === 'in-call', 'presence');
    await bob.session.hangUp();
    await until(() => statusOf(alice.userId) === 'available' && statusOf(bob.userId) === 'available', 'back');
  });
});
