// The camera is unplugged mid-call: its track ends. The window says so, the call goes on without video (audio
// kept), the other side is told the camera is off, and the camera can be turned back on.
//
// How the track ends here: Chromium's fake camera cannot be unplugged, CDP has no command for it, and neither
// track.stop() nor a revoked camera permission fires `ended` (both measured). So the page probe dispatches an
// `ended` Event on the real camera track, the event the browser fires when a device goes away; the widget must
// then stop and drop that track itself.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertNoProblems,
  callButton,
  callWindow,
  closeScenarios,
  control,
  framesDecoded,
  framesGrowBeyond,
  launchBrowser,
  mediaReport,
  mediaReleased,
  remoteVideoPlays,
  startScenario,
} from './harness.js';

const CAMERA_STOPPED = 'Your camera stopped. Turn it back on when it is ready.';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
afterEach(closeScenarios);
after(() => browser.close());

test('camera unplugged mid-call: a notice, the camera turns off, audio goes on, the other side sees the camera off', async () => {
  const { alice, bob } = await startScenario(browser);
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);

  const unplugged = await alice.page.evaluate(() => window.__ringletE2e.unplug('video'));
  assert.equal(unplugged, 1);

  await callWindow(alice.page).getByRole('alert').getByText(CAMERA_STOPPED).waitFor();
  await control(alice.page, 'Turn camera on').waitFor();
  await bob.page.getByText("Alice's camera is off").waitFor();
  // The call goes on, microphone on: Alice's camera track is gone, her microphone is live and not muted.
  assert.deepEqual((await mediaReport(alice.page)).liveLocalTracks, ['audio']);
  await control(alice.page, 'Mute').waitFor();
  assert.equal(await bob.page.getByText('Alice is muted').count(), 0);
  await Promise.all([
    alice.page.locator('video-call-window[state="in-call"]').waitFor(),
    bob.page.locator('video-call-window[state="in-call"]').waitFor(),
  ]);

  // Plugged back in: turning the camera on takes a fresh track; the notice goes, Bob sees her again.
  const framesBefore = await framesDecoded(bob);
  await control(alice.page, 'Turn camera on').click();
  await control(alice.page, 'Turn camera off').waitFor();
  await callWindow(alice.page).getByText(CAMERA_STOPPED).waitFor({ state: 'detached' });
  await bob.page.getByText("Alice's camera is off").waitFor({ state: 'hidden' });
  await framesGrowBeyond(bob, framesBefore);
  assert.deepEqual((await mediaReport(alice.page)).liveLocalTracks.sort(), ['audio', 'video']);

  await control(bob.page, 'End call').click();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});

test('microphone unplugged mid-call: a notice, the other side sees it muted, Unmute takes a microphone again', async () => {
  const { alice, bob } = await startScenario(browser);
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);

  assert.equal(await alice.page.evaluate(() => window.__ringletE2e.unplug('audio')), 1);
  await callWindow(alice.page).getByRole('alert').getByText('Your microphone stopped.').waitFor();
  await control(alice.page, 'Unmute').waitFor();
  await bob.page.getByText('Alice is muted').waitFor();
  assert.deepEqual((await mediaReport(alice.page)).liveLocalTracks, ['video']);

  await control(alice.page, 'Unmute').click();
  await control(alice.page, 'Mute').waitFor();
  await callWindow(alice.page).getByText('Your microphone stopped.').waitFor({ state: 'detached' });
  await bob.page.getByText('Alice is muted').waitFor({ state: 'hidden' });
  assert.deepEqual((await mediaReport(alice.page)).liveLocalTracks.sort(), ['audio', 'video']);

  await control(alice.page, 'End call').click();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});
