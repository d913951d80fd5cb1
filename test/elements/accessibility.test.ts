import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import { expectNoAxeViolations } from '../wtr/axe.js';
import { fixture } from '../wtr/fixture.js';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import '../../widget/index.js';
import type { VideoCallButton, VideoCallWindow } from '../../widget/index.js';
import { getByRole, queryByRole } from '../wtr/by-role.js';
import { joinAs, releaseAllPeers, until, type TestPeer } from '../wtr/peers.js';
import { sameServiceOtherOrigin, testConfig, uniqueId } from '../wtr/test-config.js';

const server = testConfig.serverUrl;

interface Scene {
  button: VideoCallButton;
  placed: VideoCallWindow;
  bob: TestPeer;
  me: string;
}

async function scene(): Promise<Scene> {
  const room = uniqueId('room');
  const me = uniqueId('me');
  const host = await fixture<HTMLElement>(
    html`<main>
      <video-call-button room=${room} user-id=${me} user-name="Me" server=${server}></video-call-button>
      <video-call-window room=${room} server=${server}></video-call-window>
    </main>`,
  );
  const button = host.querySelector('video-call-button');
  const placed = host.querySelector('video-call-window');
  if (!button || !placed) throw new Error('missing elements');
  const bob = joinAs('Bob', room, { server: sameServiceOtherOrigin(server) });
  await until(() => bob.session.others.some((m) => m.userId === me), 'bob does not see me');
  await until(() => button.state === 'idle' && queryByRole(button, 'button', 'Call Bob') !== null, 'ready');
  return { button, placed, bob, me };
}

/** axe-core over the element (shadow DOM included): no violations at all. */
async function expectAccessible(element: Element): Promise<void> {
  await expectNoAxeViolations(element);
}

for (const colorScheme of ['light', 'dark'] as const) {
  describe(`accessibility audit (${colorScheme})`, () => {
    before(() => emulateMedia({ colorScheme }));
    after(() => emulateMedia({ colorScheme: 'light' }));
    afterEach(releaseAllPeers);

    it('has no violations idle, ringing in, and in a call', async () => {
      const { button, placed, bob, me } = await scene();
      await expectAccessible(button);

      await bob.session.call(me);
      await until(() => button.state === 'ringing-in', 'never rang');
      await expectAccessible(button);

      await button.accept();
      await until(() => placed.state === 'in-call', 'never in call');
      await expectAccessible(placed);
      await expectAccessible(button);
    });

    it('has no violations while ringing out', async () => {
      const { button, bob } = await scene();
      await button.call();
      await until(() => bob.session.ringingCall !== null, 'bob never rang');
      await expectAccessible(button);
    });
  });
}

describe('layout on a 375 px phone', () => {
  before(() => setViewport({ width: 375, height: 700 }));
  after(() => setViewport({ width: 800, height: 600 }));
  afterEach(releaseAllPeers);

  it('fits the button and the overlay call window without sideways scrolling', async () => {
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
    const bob = joinAs('Bob', room, { server: sameServiceOtherOrigin(server) });
    await until(() => bob.session.others.some((m) => m.userId === me), 'bob does not see me');
    await bob.session.call(me);
    await until(() => button.state === 'ringing-in', 'never rang');
    expect(button.getBoundingClientRect().right).to.be.at.most(375);
    await button.accept();
    const overlay = document.querySelector<VideoCallWindow>('video-call-window[overlay]');
    if (!overlay) throw new Error('no overlay');
    await until(() => overlay.state === 'in-call', 'never in call');
    for (const name of ['Mute', 'Turn camera off', 'End call']) {
      const control = getByRole(overlay, 'button', name).getBoundingClientRect();
      expect(control.left, name).to.be.at.least(0);
      expect(control.right, name).to.be.at.most(375);
      expect(control.height, name).to.be.at.least(44);
    }
    expect(document.documentElement.scrollWidth).to.be.at.most(375);
    await overlay.hangUp();
  });
});
