import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import { fixture } from '../wtr/fixture.js';
import '../../widget/index.js';
import type { VideoCallButton } from '../../widget/index.js';
import { getByRole, queryByRole } from '../wtr/by-role.js';
import { joinAs, releaseAllPeers, until, type TestPeer } from '../wtr/peers.js';
import { recordRingletEvents } from '../wtr/ringlet-events.js';
import { stubGetUserMedia } from '../wtr/stub-media.js';
import { sameServiceOtherOrigin, testConfig, uniqueId } from '../wtr/test-config.js';

const server = testConfig.serverUrl;

/** Another user of the same room, connected as if from another page (another origin of the same service). */
function otherUser(name: string, room: string): TestPeer {
  return joinAs(name, room, { server: sameServiceOtherOrigin(server) });
}

async function placeButton(room: string, userId = uniqueId('me'), userName = 'Me'): Promise<VideoCallButton> {
  return fixture<VideoCallButton>(
    html`<video-call-button
      room=${room}
      user-id=${userId}
      user-name=${userName}
      server=${server}
    ></video-call-button>`,
  );
}

function statusText(button: VideoCallButton): string {
  return getByRole(button, 'status').textContent?.trim() ?? '';
}

describe('<video-call-button>', () => {
  let recorder: ReturnType<typeof recordRingletEvents>;
  beforeEach(() => {
    recorder = recordRingletEvents();
  });
  afterEach(() => {
    recorder.stop();
    releaseAllPeers();
  });

  it('reflects its attributes to properties and back; the state attribute mirrors the call', async () => {
    const room = uniqueId('room');
    const button = await placeButton(room, 'ann', 'Ann');
    expect(button.room).to.equal(room);
    expect(button.userId).to.equal('ann');
    expect(button.userName).to.equal('Ann');
    expect(button.server).to.equal(server);
    button.calleeId = 'bob';
    button.token = 'secret';
    await button.updateComplete;
    expect(button.getAttribute('callee-id')).to.equal('bob');
    expect(button.hasAttribute('token')).to.equal(false); // kept out of the DOM
    button.setAttribute('user-name', 'Annie');
    expect(button.userName).to.equal('Annie');
    expect(button.getAttribute('state')).to.equal('idle');
    expect(button.state).to.equal('idle');
  });

  it('without room and user-id it says so and cannot call', async () => {
    const button = await fixture<VideoCallButton>(html`<video-call-button></video-call-button>`);
    expect(statusText(button)).to.equal('This call button needs a room and a user id.');
    expect(getByRole(button, 'button', 'Call').getAttribute('aria-disabled')).to.equal('true');
    const failure = await button.call().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).to.have.property('code', 'not-configured');
  });

  it('shows who else is in the room and names the Call button after the one it rings', async () => {
    const room = uniqueId('room');
    const button = await placeButton(room);
    await until(
      () => button.shadowRoot?.textContent?.includes('No one else is here yet.') ?? false,
      'empty room',
    );
    expect(getByRole(button, 'button', 'Call').getAttribute('aria-disabled')).to.equal('true');

    const bob = otherUser('Bob', room);
    await until(() => queryByRole(button, 'button', 'Call Bob') !== null, 'no "Call Bob"');
    expect(getByRole(button, 'list', 'People in this room').textContent).to.match(/Bob\s*\(available\)/);
    expect(getByRole(button, 'button', 'Call Bob').getAttribute('aria-disabled')).to.equal('false');

    const carol = otherUser('Carol', room);
    await until(() => queryByRole(button, 'button', 'Call') !== null, 'two others: plain "Call"');
    button.calleeId = carol.userId;
    await until(() => queryByRole(button, 'button', 'Call Carol') !== null, 'callee-id names the button');
    expect(bob.session.joined).to.equal(true);
  });

  it('calls: rings with Cancel, then says the call was declined, with events and details', async () => {
    const room = uniqueId('room');
    const button = await placeButton(room, uniqueId('me'), 'Me');
    const bob = otherUser('Bob', room);
    await until(() => queryByRole(button, 'button', 'Call Bob') !== null, 'no "Call Bob"');

    getByRole(button, 'button', 'Call Bob').click();
    await until(
      () => button.state === 'ringing-out' && queryByRole(button, 'button', 'Cancel') !== null,
      'ringing',
    );
    await until(() => statusText(button) === 'Calling Bob…', 'calling text');
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    const outgoing = recorder.callEvent('ringlet-outgoing');
    expect(outgoing?.bubbles).to.equal(true);
    expect(outgoing?.composed).to.equal(true);
    expect(outgoing?.detail).to.deep.include({ room, direction: 'outgoing', reason: null });
    expect(outgoing?.detail.peer).to.deep.equal({ userId: bob.userId, userName: 'Bob' });
    expect(outgoing?.detail.callId).to.be.a('string');

    await bob.session.decline();
    await until(() => button.getAttribute('state') === 'ended', 'state never ended');
    expect(statusText(button)).to.equal('Bob declined the call.');
    const declined = recorder.callEvent('ringlet-declined');
    expect(declined?.detail).to.deep.include({ reason: 'declined', callId: outgoing?.detail.callId });
    expect(queryByRole(button, 'button', 'Call Bob')).to.not.equal(null);
  });

  it('says in plain words that camera access was refused, and dispatches ringlet-error', async () => {
    const room = uniqueId('room');
    const button = await placeButton(room);
    const bob = otherUser('Bob', room);
    await until(() => queryByRole(button, 'button', 'Call Bob') !== null, 'no "Call Bob"');
    const restore = stubGetUserMedia(() => {
      throw new DOMException('Permission denied', 'NotAllowedError');
    });
    try {
      getByRole(button, 'button', 'Call Bob').click();
      await until(() => button.state === 'error', 'state never became error');
    } finally {
      restore();
    }
    expect(statusText(button)).to.equal(
      'Camera and microphone access is blocked. Allow it in your browser settings and try again.',
    );
    const error = recorder.events.find((event) => event.type === 'ringlet-error');
    expect(error?.detail).to.deep.include({ code: 'permission-denied', room, callId: null });
    expect(bob.session.ringingCall).to.equal(null);
    expect(getByRole(button, 'button', 'Call Bob').getAttribute('aria-disabled')).to.equal('false');
  });

  it('Cancel stops the ringing on both sides', async () => {
    const room = uniqueId('room');
    const button = await placeButton(room);
    const bob = otherUser('Bob', room);
    await until(() => queryByRole(button, 'button', 'Call Bob') !== null, 'no "Call Bob"');
    await button.call();
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    getByRole(button, 'button', 'Cancel').click();
    await until(() => bob.session.ringingCall === null, 'bob kept ringing');
    await until(() => statusText(button) === 'Call cancelled.', 'cancelled text');
    expect(recorder.names()).to.deep.equal(['ringlet-outgoing', 'ringlet-cancelled']);
    expect(bob.moments.at(-1)?.type).to.equal('cancelled');
  });

  it('rings for an incoming call with an alert, Accept and Decline; Decline turns it down', async () => {
    const room = uniqueId('room');
    const me = uniqueId('me');
    const button = await placeButton(room, me);
    const bob = otherUser('Bob', room);
    await until(() => bob.session.others.some((m) => m.userId === me), 'bob does not see me');
    await bob.session.call(me);
    await until(() => button.state === 'ringing-in', 'never rang');
    expect(getByRole(button, 'alert').textContent?.trim()).to.equal('Bob is calling you');
    getByRole(button, 'button', 'Accept');
    const incoming = recorder.callEvent('ringlet-incoming');
    expect(incoming?.detail).to.deep.include({ room, direction: 'incoming' });
    expect(incoming?.detail.peer).to.deep.equal({ userId: bob.userId, userName: 'Bob' });

    getByRole(button, 'button', 'Decline').click();
    await until(() => bob.moments.at(-1)?.type === 'declined', 'bob never heard the decline');
    expect(bob.moments.at(-1)?.reason).to.equal('declined');
    await until(() => statusText(button) === 'You declined the call.', 'declined text');
    expect(recorder.names()).to.deep.equal(['ringlet-incoming', 'ringlet-declined']);
  });
});
