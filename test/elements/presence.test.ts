import { expect } from '@esm-bundle/chai';
import { html } from 'lit';
import { fixture } from '../wtr/fixture.js';
import '../../widget/index.js';
import type { VideoCallButton } from '../../widget/index.js';
import { getByRole, queryByRole } from '../wtr/by-role.js';
import { joinAs, releaseAllPeers, until, type TestPeer } from '../wtr/peers.js';
import { sameServiceOtherOrigin, testConfig, uniqueId } from '../wtr/test-config.js';

const server = testConfig.serverUrl;

function otherUser(name: string, room: string): TestPeer {
  return joinAs(name, room, { server: sameServiceOtherOrigin(server) });
}

async function placeButton(room: string, userId: string): Promise<VideoCallButton> {
  return fixture<VideoCallButton>(
    html`<video-call-button
      room=${room}
      user-id=${userId}
      user-name="Me"
      server=${server}
    ></video-call-button>`,
  );
}

/** What the member list says about `name`, e.g. "(available)", and the chip's `data-ringing` (empty: not listed). */
function presenceOf(button: VideoCallButton, name: string): { label: string; ringing: string | null } {
  const list = queryByRole(button, 'list', 'People in this room');
  const member = Array.from(list?.querySelectorAll<HTMLElement>('[part="member"]') ?? []).find((item) =>
    item.textContent?.includes(name),
  );
  if (!member) return { label: '', ringing: null };
  return {
    label: member.querySelector('.member-status')?.textContent?.trim() ?? '',
    ringing: member.getAttribute('data-ringing'),
  };
}

async function presenceBecomes(button: VideoCallButton, name: string, label: string): Promise<void> {
  await until(() => presenceOf(button, name).label === label, `${name} never shown as ${label}`);
}

describe('<video-call-button> presence while a call rings', () => {
  afterEach(releaseAllPeers);

  it('shows the member calling you as "(calling you)", and "(available)" again once they cancel', async () => {
    const room = uniqueId('room');
    const me = uniqueId('me');
    const button = await placeButton(room, me);
    const bob = otherUser('Bob', room);
    await presenceBecomes(button, 'Bob', '(available)');
    expect(presenceOf(button, 'Bob').ringing).to.equal(null);

    await until(() => bob.session.others.some((m) => m.userId === me), 'bob does not see me');
    await bob.session.call(me);
    await until(() => button.state === 'ringing-in', 'never rang');
    expect(presenceOf(button, 'Bob')).to.deep.equal({ label: '(calling you)', ringing: 'calling-you' });
    // The member list says so in words, not only with a colour.
    expect(getByRole(button, 'list', 'People in this room').textContent).to.match(/Bob\s*\(calling you\)/);

    await bob.session.hangUp();
    await presenceBecomes(button, 'Bob', '(available)');
    expect(presenceOf(button, 'Bob').ringing).to.equal(null);
  });

  it('shows the member you ring as "(ringing)" until they answer', async () => {
    const room = uniqueId('room');
    const button = await placeButton(room, uniqueId('me'));
    const bob = otherUser('Bob', room);
    await until(() => queryByRole(button, 'button', 'Call Bob') !== null, 'no "Call Bob"');
    getByRole(button, 'button', 'Call Bob').click();
    await until(() => bob.session.ringingCall !== null, 'bob never rang');
    await presenceBecomes(button, 'Bob', '(ringing)');
    expect(presenceOf(button, 'Bob').ringing).to.equal('ringing');

    await bob.session.decline();
    await until(() => button.state === 'ended', 'the decline never arrived');
    await presenceBecomes(button, 'Bob', '(available)');
  });

  it('a call to everyone shows every free member as "(ringing)", a busy one stays "(in a call)"', async () => {
    const room = uniqueId('room');
    const button = await placeButton(room, uniqueId('me'));
    const bob = otherUser('Bob', room);
    const carol = otherUser('Carol', room);
    const dave = otherUser('Dave', room);
    const erin = otherUser('Erin', room);
    // Dave and Erin are in a call with each other.
    await until(() => dave.session.others.some((m) => m.userId === erin.userId), 'dave does not see erin');
    await dave.session.call(erin.userId);
    await until(() => erin.session.ringingCall !== null, 'erin never rang');
    await erin.session.accept();
    await presenceBecomes(button, 'Dave', '(in a call)');
    await presenceBecomes(button, 'Erin', '(in a call)');

    await until(() => queryByRole(button, 'button', 'Call') !== null, 'no plain "Call"');
    getByRole(button, 'button', 'Call').click();
    await until(
      () => bob.session.ringingCall !== null && carol.session.ringingCall !== null,
      'bob and carol never rang',
    );
    await presenceBecomes(button, 'Bob', '(ringing)');
    await presenceBecomes(button, 'Carol', '(ringing)');
    expect(presenceOf(button, 'Dave')).to.deep.equal({ label: '(in a call)', ringing: null });
    await button.hangUp();
    await presenceBecomes(button, 'Bob', '(available)');
  });
});
