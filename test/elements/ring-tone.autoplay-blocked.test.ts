// Runs in a Chromium started WITHOUT --autoplay-policy=no-user-gesture-required (see the config's group):
// until the user interacts, the page may not start sound. Tests run in order: the gesture comes last.
import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import { fixture } from '../wtr/fixture.js';
import { sendMouse } from '@web/test-runner-commands';
import '../../widget/index.js';
import type { VideoCallButton } from '../../widget/index.js';
import { acquireSignaling } from '../../widget/engine/signaling-registry.js';
import { RingKind, RingTone } from '../../widget/sound/ring-tone.js';
import { getByRole, queryByRole } from '../wtr/by-role.js';
import { releaseAllPeers, until } from '../wtr/peers.js';
import { sameServiceOtherOrigin, testConfig, uniqueId } from '../wtr/test-config.js';

const server = testConfig.serverUrl;

async function clickLikeAUser(element: Element): Promise<void> {
  const box = element.getBoundingClientRect();
  await sendMouse({
    type: 'click',
    position: [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2)],
  });
}

describe('with autoplay blocked (no user gesture yet)', () => {
  const pageErrors: unknown[] = [];
  const onError = (event: ErrorEvent | PromiseRejectionEvent) =>
    pageErrors.push('reason' in event ? event.reason : event.error);
  before(() => {
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
  });
  after(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onError);
  });
  afterEach(releaseAllPeers);

  it('rings visually with a plain hint and no error while sound is not allowed', async () => {
    expect(navigator.userActivation.hasBeenActive).to.equal(false);
    const room = uniqueId('room');
    const me = uniqueId('me');
    const button = await fixture<VideoCallButton>(
      html`<video-call-button
        room=${room}
        user-id=${me}
        user-name="Me"
        server=${server}
      ></video-call-button>`,
    );
    // Bob calls with bare signaling: an engine would call getUserMedia, which counts as a user gesture here.
    const bobId = uniqueId('bob');
    const bob = acquireSignaling(sameServiceOtherOrigin(server), bobId, { userName: 'Bob' });
    try {
      await bob.value.request('join-room', { roomId: room });
      await until(
        () => button.state === 'idle' && queryByRole(button, 'button', 'Call Bob') !== null,
        'no Bob',
      );
      const ringing = await bob.value.request('video-call-request', {
        roomId: room,
        callerId: bobId,
        callerName: 'Bob',
      });
      await until(() => button.state === 'ringing-in', 'never rang');
      expect(navigator.userActivation.hasBeenActive).to.equal(false);
      expect(getByRole(button, 'alert').textContent?.trim()).to.equal('Bob is calling you');
      getByRole(button, 'button', 'Accept');
      await until(
        () =>
          button.shadowRoot?.textContent?.includes('Sound is off until you interact with the page.') ?? false,
        'no hint that the ring is silent',
      );

      if (ringing.role !== 'caller') throw new Error('unexpected glare');
      await bob.value.request('end-call', { callId: ringing.callId });
      await until(() => button.state === 'ended', 'the ring did not stop');
      expect(getByRole(button, 'status').textContent?.trim()).to.equal('Bob hung up before you answered.');
      expect(pageErrors).to.deep.equal([]);
    } finally {
      bob.release();
    }
  });

  it('RingTone stays silent while the AudioContext is suspended and sounds after a click', async () => {
    let changes = 0;
    const tone = new RingTone(() => {
      changes += 1;
    });
    const target = await fixture<HTMLButtonElement>(html`<button>somewhere on the page</button>`);
    tone.start(RingKind.Incoming);
    expect(tone.playing).to.equal('incoming');
    if (!navigator.userActivation.hasBeenActive) expect(tone.audible).to.equal(false);
    await clickLikeAUser(target);
    await until(() => tone.audible, 'the ring never became audible after the click');
    expect(changes).to.be.greaterThan(0);
    tone.stop();
    expect(tone.audible).to.equal(false);
    expect(tone.playing).to.equal(null);
    expect(pageErrors).to.deep.equal([]);
  });
});
