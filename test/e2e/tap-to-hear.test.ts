// Autoplay refused for real, and the "Tap to hear" control that fixes it.
//
// What we measured in this Chromium (`--autoplay-policy=document-user-activation-required`, the desktop
// default): a page without user activation is refused `play()` of a MediaStream with sound (NotAllowedError),
// EXCEPT while the page captures camera or microphone; then it may play with sound. In an ordinary call the
// page captures, so autoplay is never refused there. It is refused when the receiving side captures nothing:
// a computer without camera and microphone (a Chromium without fake devices on this server has none, and
// getUserMedia fails with NotFoundError). The widget now takes such calls receive-only (you see and hear the
// other side, who sees and hears nothing of you), and the page must not have been touched: here Bob's host page
// answers by script (`button.accept()`, as an auto-answering kiosk would), through a CDP session of our own,
// which unlike Playwright's evaluate does not count as a user gesture. Then the remote video plays muted,
// "Tap to hear" shows, and a real click turns the sound on.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertNoProblems,
  callButton,
  callWindow,
  closeScenarios,
  control,
  evaluateWithoutGesture,
  launchBrowser,
  mediaReleased,
  remoteVideoPlays,
  startScenario,
  waitForTextWithoutGesture,
} from './harness.js';

const RECEIVE_ONLY = "No camera or microphone: you can see and hear them, they can't see or hear you";

let aliceBrowser: Browser;
let bobBrowser: Browser;
before(async () => {
  [aliceBrowser, bobBrowser] = await Promise.all([
    launchBrowser(),
    // No camera, no microphone, and the browser's real autoplay policy.
    launchBrowser({ autoplay: false, fakeDevices: false }),
  ]);
});
afterEach(closeScenarios);
after(() => Promise.all([aliceBrowser.close(), bobBrowser.close()]));

interface RemoteVideo {
  found: boolean;
  muted: boolean;
  paused: boolean;
  hasAudio: boolean;
  activated: boolean;
  liveLocalTracks: number;
}

const REMOTE_VIDEO = `(() => {
  const video = document.querySelector('video-call-window')?.shadowRoot?.querySelector('[part="remote-video"]');
  return {
    found: Boolean(video && video.srcObject),
    muted: Boolean(video?.muted),
    paused: video ? video.paused : true,
    hasAudio: Boolean(video?.srcObject?.getAudioTracks().length),
    activated: navigator.userActivation.hasBeenActive,
    liveLocalTracks: window.__ringletE2e.liveLocalTracks().length,
  };
})()`;

test('no camera, no microphone, no user gesture: the call is receive-only, sound is refused, "Tap to hear" turns it on', async () => {
  const { alice, bob } = await startScenario(aliceBrowser, { browsers: { bob: bobBrowser } });
  await callButton(alice.page).click();

  // Bob's page is only watched and driven without a gesture until the control shows.
  await waitForTextWithoutGesture(bob.page, 'Alice is calling you');
  await evaluateWithoutGesture(
    bob.page,
    `document.querySelector('video-call-button').accept().then(() => true)`,
  );
  await waitForTextWithoutGesture(bob.page, 'Tap to hear');
  const blocked = await evaluateWithoutGesture<RemoteVideo>(bob.page, REMOTE_VIDEO);
  assert.deepEqual(
    blocked,
    { found: true, muted: true, paused: false, hasAudio: true, activated: false, liveLocalTracks: 0 },
    'Bob’s remote video should play muted, with sound refused, on an untouched page capturing nothing',
  );
  await waitForTextWithoutGesture(bob.page, RECEIVE_ONLY);
  // Alice is told that Bob sends nothing.
  await alice.page.getByText("Bob's camera is off").waitFor();
  await alice.page.getByText('Bob is muted').waitFor();

  // The tap is the user activation the browser wanted: sound on, control gone.
  await callWindow(bob.page).getByRole('button', { name: 'Tap to hear' }).click();
  await callWindow(bob.page).getByRole('button', { name: 'Tap to hear' }).waitFor({ state: 'detached' });
  const heard = await evaluateWithoutGesture<RemoteVideo>(bob.page, REMOTE_VIDEO);
  assert.deepEqual(heard, { ...blocked, muted: false, activated: true });
  await remoteVideoPlays(bob);

  await control(alice.page, 'End call').click();
  await bob.page.getByText('Alice ended the call.').waitFor();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});
