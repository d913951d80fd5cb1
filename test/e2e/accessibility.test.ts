// The widget on a plain host page, checked with axe-core (open shadow roots included) at each step of a call.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import {
  accessibilityViolations,
  assertNoProblems,
  callButton,
  closeScenarios,
  control,
  launchBrowser,
  mediaReleased,
  remoteVideoPlays,
  startScenario,
  type UserPage,
} from './harness.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
afterEach(closeScenarios);
after(() => browser.close());

async function assertAccessible(user: UserPage, step: string): Promise<void> {
  assert.deepEqual(await accessibilityViolations(user.page, { wcagOnly: true }), [], `${user.name}, ${step}`);
}

for (const withWindow of [true, false]) {
  test(`no axe violations while idle, ringing and in a call (${withWindow ? 'placed window' : 'overlay'})`, async () => {
    const { alice, bob } = await startScenario(browser, { withWindow });
    await callButton(alice.page).waitFor();
    await assertAccessible(alice, 'idle');

    await callButton(alice.page).click();
    await control(bob.page, 'Accept').waitFor();
    await assertAccessible(alice, 'ringing out');
    await assertAccessible(bob, 'ringing in');

    await control(bob.page, 'Accept').click();
    await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
    await control(alice.page, 'Mute').click();
    await bob.page.getByText('Alice is muted').waitFor();
    await assertAccessible(alice, 'in a call, muted');
    await assertAccessible(bob, 'in a call, the other side muted');
    assertNoProblems(alice, bob);
  });
}

/** Presses Tab until `target` has focus, as a keyboard user would; fails after `limit` presses. */
async function tabTo(user: UserPage, target: Locator, limit = 10): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element.matches(':focus'))) return;
    await user.page.keyboard.press('Tab');
  }
  assert.fail(`${user.name}: ${limit} Tab presses never reached ${target.toString()}`);
}

test('a keyboard user answers, mutes and ends a call without a mouse', async () => {
  const { alice, bob } = await startScenario(browser);
  await callButton(alice.page).click();

  await tabTo(bob, control(bob.page, 'Accept'));
  await bob.page.keyboard.press('Enter');
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);

  await tabTo(bob, control(bob.page, 'Mute'));
  await bob.page.keyboard.press('Enter');
  await alice.page.getByText('Bob is muted').waitFor();
  // The pressed control keeps focus under its new name, so the next press undoes it.
  assert.ok(await control(bob.page, 'Unmute').evaluate((element) => element.matches(':focus')));

  await tabTo(bob, control(bob.page, 'End call'));
  await bob.page.keyboard.press('Enter');
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});
