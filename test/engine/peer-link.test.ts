import { expect } from '@esm-bundle/chai';
import type { IceCandidate, SessionDescription } from '../../server/protocol.js';
import { PeerLink } from '../../widget/engine/peer-link.js';
import type { RingletError } from '../../widget/engine/ringlet-error.js';
import { framesDecoded, until } from '../wtr/peers.js';

type Signal = { description: SessionDescription } | { candidate: IceCandidate | null };

interface Side {
  link: PeerLink;
  sent: Signal[];
  errors: RingletError[];
  stream: MediaStream;
}

/**
 * Two links wired to each other in this page. Candidates travel at once and descriptions later,
 * so candidates reach the other side before its remote description: they must be buffered.
 */
function wirePair(callerStream: MediaStream, calleeStream: MediaStream): { caller: Side; callee: Side } {
  const sides: { caller?: Side; callee?: Side } = {};
  const make = (polite: boolean, stream: MediaStream, other: () => Side): Side => {
    const sent: Signal[] = [];
    const errors: RingletError[] = [];
    const link = new PeerLink({
      iceServers: [],
      polite,
      localStream: stream,
      signals: {
        description: (description) => {
          sent.push({ description });
          setTimeout(() => other().link.handleDescription(description), 60);
        },
        candidate: (candidate) => {
          sent.push({ candidate });
          setTimeout(() => other().link.handleCandidate(candidate), 0);
        },
      },
    });
    link.events.on('error', (error) => errors.push(error));
    return { link, sent, errors, stream };
  };
  const caller = make(false, callerStream, () => sides.callee as Side);
  const callee = make(true, calleeStream, () => sides.caller as Side);
  sides.caller = caller;
  sides.callee = callee;
  return { caller, callee };
}

async function media(constraints: MediaStreamConstraints): Promise<MediaStream> {
  return navigator.mediaDevices.getUserMedia(constraints);
}

describe('PeerLink: perfect negotiation', () => {
  const opened: PeerLink[] = [];
  const streams: MediaStream[] = [];
  afterEach(() => {
    for (const link of opened.splice(0)) link.close();
    for (const stream of streams.splice(0)) for (const track of stream.getTracks()) track.stop();
  });

  async function connectedPair(kind: 'audio' | 'audio+video'): Promise<{ caller: Side; callee: Side }> {
    const constraints = { audio: true, video: kind === 'audio+video' };
    const [a, b] = await Promise.all([media(constraints), media(constraints)]);
    streams.push(a, b);
    const pair = wirePair(a, b);
    opened.push(pair.caller.link, pair.callee.link);
    await until(
      () =>
        pair.caller.link.connectionState === 'connected' && pair.callee.link.connectionState === 'connected',
      'the pair never connected',
    );
    return pair;
  }

  it('connects; the callee answers first and offers nothing before; early candidates are buffered', async () => {
    const { caller, callee } = await connectedPair('audio+video');
    const calleeDescriptions = callee.sent.flatMap((signal) =>
      'description' in signal ? [signal.description] : [],
    );
    expect(calleeDescriptions[0]?.type).to.equal('answer');
    const callerDescriptions = caller.sent.flatMap((signal) =>
      'description' in signal ? [signal.description] : [],
    );
    expect(callerDescriptions[0]?.type).to.equal('offer');
    expect(caller.errors).to.deep.equal([]);
    expect(callee.errors).to.deep.equal([]);
    await until(() => caller.link.remoteStream.getVideoTracks().length === 1, 'caller got no video track');
    const deadline = Date.now() + 10_000;
    while ((await framesDecoded(caller.link.connection)) === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await framesDecoded(caller.link.connection)).to.be.greaterThan(0);
  });

  it('converges when both sides add a camera track at the same moment (offers cross)', async () => {
    const { caller, callee } = await connectedPair('audio');
    const [callerCamera, calleeCamera] = await Promise.all([media({ video: true }), media({ video: true })]);
    streams.push(callerCamera, calleeCamera);
    const callerTrack = callerCamera.getVideoTracks()[0] ?? null;
    const calleeTrack = calleeCamera.getVideoTracks()[0] ?? null;
    if (callerTrack) caller.stream.addTrack(callerTrack);
    if (calleeTrack) callee.stream.addTrack(calleeTrack);

    await Promise.all([caller.link.setVideoTrack(callerTrack), callee.link.setVideoTrack(calleeTrack)]);

    await until(
      () =>
        caller.link.connection.signalingState === 'stable' &&
        callee.link.connection.signalingState === 'stable' &&
        caller.link.remoteStream.getVideoTracks().length === 1 &&
        callee.link.remoteStream.getVideoTracks().length === 1,
      'the crossing offers did not converge',
    );
    const offers = (side: Side) =>
      side.sent.filter((signal) => 'description' in signal && signal.description.type === 'offer').length;
    // Both really offered at least once after the first exchange.
    expect(offers(caller)).to.be.greaterThan(1);
    expect(offers(callee)).to.be.greaterThan(0);
    const deadline = Date.now() + 10_000;
    while (
      ((await framesDecoded(caller.link.connection)) === 0 ||
        (await framesDecoded(callee.link.connection)) === 0) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await framesDecoded(caller.link.connection)).to.be.greaterThan(0);
    expect(await framesDecoded(callee.link.connection)).to.be.greaterThan(0);
  });

  it('close() closes the connection and empties the remote stream', async () => {
    const { caller } = await connectedPair('audio');
    caller.link.close();
    expect(caller.link.connection.connectionState).to.equal('closed');
    expect(caller.link.remoteStream.getTracks()).to.deep.equal([]);
  });
});
