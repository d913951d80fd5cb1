// Chromium's real autoplay policy: a page nobody has touched cannot start sound. The incoming call must still
// be plain to see (an alert with Accept and Decline), and nothing may throw.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertNoProblems,
  callButton,
  closeScenarios,
  control,
  evaluateWithoutGesture,
  launchBrowser,
  mediaReleased,
  remoteVideoPlays,
  startScenario,
  waitForTextWithoutGesture,
} from './harness.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser({ autoplay: false });
});
afterEach(closeScenarios);
after(() => browser.close());

test('with sound blocked, an incoming call still shows an alert with Accept and Decline, and the call works', async () => {
  const { alice, bob } = await startScenario(browser);
  await callButton(alice.page).click();

  // Until the ring is up, Bob's page is only watched without a gesture: nobody has touched it.
  await waitForTextWithoutGesture(bob.page, 'Sound is off until you interact with the page.');
  assert.equal(
    await evaluateWithoutGesture<boolean>(bob.page, 'navigator.userActivation.hasBeenActive'),
    false,
    'Bob’s page had a user gesture, so autoplay was not blocked: the test proves nothing',
  );
  const alert = bob.page.getByRole('alert');
  await alert.getByText('Alice is calling you').waitFor();
  await control(bob.page, 'Decline').waitFor();
  await control(bob.page, 'Accept').click();

  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
  await control(alice.page, 'End call').click();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});
