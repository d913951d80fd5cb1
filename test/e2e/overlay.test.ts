// CONTRACT §2: <video-call-button> alone is enough; without a placed window it opens one as an overlay.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertNoProblems,
  callButton,
  callWindow,
  closeScenarios,
  control,
  launchBrowser,
  mediaReleased,
  remoteVideoPlays,
  startScenario,
} from './harness.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
afterEach(closeScenarios);
after(() => browser.close());

test('a page with only the button shows the call in an overlay window and removes it afterwards', async () => {
  const { alice, bob } = await startScenario(browser, { withWindow: false });
  assert.equal(await callWindow(alice.page).count(), 0);
  assert.equal(await callWindow(bob.page).count(), 0);

  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  // The overlay is a modal dialog in the top layer, named after the other person.
  await Promise.all([
    alice.page.getByRole('dialog', { name: 'Video call with Bob' }).waitFor(),
    bob.page.getByRole('dialog', { name: 'Video call with Alice' }).waitFor(),
  ]);
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);

  await control(bob.page, 'End call').click();
  await Promise.all([
    callWindow(alice.page).waitFor({ state: 'detached' }),
    callWindow(bob.page).waitFor({ state: 'detached' }),
  ]);
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});

test('a declined call never opens an overlay', async () => {
  const { alice, bob } = await startScenario(browser, { withWindow: false });
  await callButton(alice.page).click();
  await control(bob.page, 'Decline').click();
  await alice.page.getByText('Bob declined the call.').waitFor();
  assert.equal(await callWindow(alice.page).count(), 0);
  assert.equal(await callWindow(bob.page).count(), 0);
  assertNoProblems(alice, bob);
});
