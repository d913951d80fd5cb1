import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import { fixture } from '../wtr/fixture.js';
import '../../widget/index.js';
import type { VideoCallButton, VideoCallWindow } from '../../widget/index.js';
import { getByRole, queryByRole } from '../wtr/by-role.js';
import { joinAs, releaseAllPeers, until, type TestPeer } from '../wtr/peers.js';
import { recordAttribute, recordRingletEvents } from '../wtr/ringlet-events.js';
import { stubGetUserMedia } from '../wtr/stub-media.js';
import { sameServiceOtherOrigin, testConfig, uniqueId } from '../wtr/test-config.js';

const server = testConfig.serverUrl;

function otherUser(name: string, room: string): TestPeer {
  return joinAs(name, room, { server: sameServiceOtherOrigin(server) });
}

function overlayWindows(): VideoCallWindow[] {
  return Array.from(document.body.querySelectorAll<VideoCallWindow>(':scope > video-call-window[overlay]'));
}

function videoIn(window: VideoCallWindow, part: 'remote-video' | 'local-video'): HTMLVideoElement {
  const video = window.shadowRoot?.querySelector<HTMLVideoElement>(`[part="${part}"]`);
  if (!video) throw new Error(`no ${part}`);
  return video;
}

/** A button for "me" and Bob ringing me; resolves once the button rings. */
async function ringingButton(
  template: (room: string, me: string) => ReturnType<typeof html>,
): Promise<{ room: string; bob: TestPeer; button: VideoCallButton; host: HTMLElement }> {
  const room = uniqueId('room');
  const me = uniqueId('me');
  const host = await fixture<HTMLElement>(template(room, me));
  const button =
    host.localName === 'video-call-button'
      ? (host as VideoCallButton)
      : host.querySelector('video-call-button');
  if (!button) throw new Error('no button');
  const bob = otherUser('Bob', room);
  await until(() => bob.session.others.some((m) => m.userId === me), 'bob does not see me');
  await bob.session.call(me);
  await until(() => button.state === 'ringing-in', 'never rang');
  return { room, bob, button, host };
}

describe('<video-call-window>', () => {
  let recorder: ReturnType<typeof recordRingletEvents>;
  beforeEach(() => {
    recorder = recordRingletEvents();
  });
  afterEach(() => {
    recorder.stop();
    releaseAllPeers();
    for (const overlay of overlayWindows()) overlay.remove();
  });

  it('is hidden without a call and reflects its attributes', async () => {
    const window = await fixture<VideoCallWindow>(
      html`<video-call-window room="r1" server=${server}></video-call-window>`,
    );
    expect(window.state).to.equal('idle');
    expect(window.getAttribute('state')).to.equal('idle');
    expect(window.checkVisibility()).to.equal(false);
    window.overlay = true;
    window.room = 'r2';
    await window.updateComplete;
    expect(window.hasAttribute('overlay')).to.equal(true);
    expect(window.getAttribute('room')).to.equal('r2');
  });

  it('without a placed window, Accept opens an overlay with the call, its controls and both videos; End call removes it', async () => {
    const { bob, button } = await ringingButton(
      (room, me) =>
        html`<video-call-button
          room=${room}
          user-id=${me}
          user-name="Me"
          server=${server}
        ></video-call-button>`,
    );
    getByRole(button, 'button', 'Accept').click();
    await until(() => overlayWindows().length === 1, 'no overlay window opened');
    const [overlay] = overlayWindows();
    if (!overlay) throw new Error('no overlay');
    const states = recordAttribute(overlay, 'state');
    await until(() => overlay.state === 'in-call' && button.state === 'in-call', 'never in call');
    expect(overlay.getAttribute('room')).to.equal(button.room);

    // Controls by exact accessible names; videos inline, autoplaying, local preview muted and mirrored.
    getByRole(overlay, 'dialog', 'Video call with Bob');
    getByRole(overlay, 'button', 'Mute');
    getByRole(overlay, 'button', 'Turn camera off');
    getByRole(overlay, 'button', 'End call');
    const remote = videoIn(overlay, 'remote-video');
    const local = videoIn(overlay, 'local-video');
    for (const video of [remote, local]) {
      expect(video.hasAttribute('playsinline')).to.equal(true);
      expect(video.autoplay).to.equal(true);
    }
    expect(local.muted).to.equal(true);
    expect(getComputedStyle(local).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
    await until(() => remote.videoWidth > 0 && !remote.paused, 'remote video does not play');
    await until(
      () => /^\d+:\d\d$/.test(getByRole(overlay, 'timer').textContent?.trim() ?? ''),
      'no duration',
    );

    // Mute / camera: names flip and the other side is told.
    const bobCall = bob.session.activeCall;
    getByRole(overlay, 'button', 'Mute').click();
    await until(() => queryByRole(overlay, 'button', 'Unmute') !== null, 'Mute did not flip');
    getByRole(overlay, 'button', 'Turn camera off').click();
    await until(() => queryByRole(overlay, 'button', 'Turn camera on') !== null, 'camera did not flip');
    await until(
      () => bobCall?.remoteMedia.audio === false && bobCall.remoteMedia.video === false,
      'bob not told',
    );

    // The other side's camera and microphone off are shown.
    await bobCall?.setCameraEnabled(false);
    bobCall?.setMicrophoneEnabled(false);
    await until(
      () => overlay.shadowRoot?.textContent?.includes("Bob's camera is off") ?? false,
      'no camera-off sign',
    );
    await until(() => overlay.shadowRoot?.textContent?.includes('Bob is muted') ?? false, 'no muted sign');

    getByRole(overlay, 'button', 'End call').click();
    await until(() => overlayWindows().length === 0, 'overlay not removed after the call');
    await until(() => document.activeElement === button, 'focus did not come back to the button');
    await until(() => bob.session.status === 'ended', 'bob not told');
    expect(bob.moments.at(-1)).to.include({ type: 'ended', reason: 'hangup' });
    expect(states.values).to.include('connecting');
    expect(recorder.names()).to.deep.equal([
      'ringlet-incoming',
      'ringlet-accepted',
      'ringlet-started',
      'ringlet-ended',
    ]);
  });

  it('goes ahead on audio only when there is no camera, and says so on both sides', async () => {
    const { bob, button, host } = await ringingButton(
      (room, me) =>
        html`<div>
          <video-call-button room=${room} user-id=${me} user-name="Me" server=${server}></video-call-button>
          <video-call-window room=${room} server=${server}></video-call-window>
        </div>`,
    );
    const placed = host.querySelector<VideoCallWindow>('video-call-window');
    if (!placed) throw new Error('no window');
    const restore = stubGetUserMedia((constraints) => {
      if (constraints?.video) throw new DOMException('Requested device not found', 'NotFoundError');
    });
    try {
      await button.accept();
      await until(() => placed.state === 'in-call', 'the audio-only call never connected');
    } finally {
      restore();
    }
    expect(placed.call?.audioOnly).to.equal(true);
    expect(placed.call?.localStream?.getVideoTracks()).to.deep.equal([]);
    await until(
      () => placed.shadowRoot?.textContent?.includes('No camera: you are on audio only') ?? false,
      'no audio-only notice',
    );
    getByRole(placed, 'button', 'Mute');
    getByRole(placed, 'button', 'Turn camera on');
    await until(
      () => bob.session.activeCall?.remoteMedia.video === false,
      'bob was not told there is no camera',
    );
    // The caller's video still comes through.
    const remote = placed.shadowRoot?.querySelector<HTMLVideoElement>('[part="remote-video"]');
    await until(() => (remote?.videoWidth ?? 0) > 0, 'no video from bob');
  });

  it('a placed window of the same room shows the call (no overlay) and only hides when it ends', async () => {
    const { bob, button, host } = await ringingButton(
      (room, me) =>
        html`<div>
          <video-call-button room=${room} user-id=${me} user-name="Me" server=${server}></video-call-button>
          <video-call-window room=${room} server=${server}></video-call-window>
        </div>`,
    );
    const placed = host.querySelector<VideoCallWindow>('video-call-window');
    if (!placed) throw new Error('no window');
    await button.accept();
    await until(() => placed.state === 'in-call', 'placed window never showed the call');
    expect(placed.checkVisibility()).to.equal(true);
    expect(overlayWindows()).to.deep.equal([]);
    getByRole(placed, 'region', 'Video call with Bob');

    await bob.session.hangUp();
    await until(() => placed.state === 'idle', 'placed window did not hide');
    expect(placed.isConnected).to.equal(true);
    expect(placed.checkVisibility()).to.equal(false);
    await until(() => getByRole(button, 'status').textContent?.trim() === 'Bob ended the call.', 'outcome');
    const ended = recorder.callEvent('ringlet-ended');
    expect(ended?.detail).to.deep.include({ reason: 'hangup', direction: 'incoming' });
  });

  it('the caller side also gets the call in a window once the callee accepts', async () => {
    const room = uniqueId('room');
    const host = await fixture<HTMLElement>(
      html`<div>
        <video-call-button
          room=${room}
          user-id=${uniqueId('me')}
          user-name="Me"
          server=${server}
        ></video-call-button>
        <video-call-window room=${room} server=${server}></video-call-window>
      </div>`,
    );
    const button = host.querySelector('video-call-button');
    const placed = host.querySelector('video-call-window');
    if (!button || !placed) throw new Error('missing elements');
    const bob = otherUser('Bob', room);
    await until(() => queryByRole(button, 'button', 'Call Bob') !== null, 'no "Call Bob"');
    getByRole(button, 'button', 'Call Bob').click();
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    expect(placed.state).to.equal('idle');
    await bob.session.accept();
    await until(() => placed.state === 'in-call', 'the window never showed the call');
    await placed.hangUp();
    await until(() => bob.session.status === 'ended' && placed.state === 'idle', 'hang-up from the window');
    expect(recorder.names()).to.deep.equal([
      'ringlet-outgoing',
      'ringlet-accepted',
      'ringlet-started',
      'ringlet-ended',
    ]);
  });
});
