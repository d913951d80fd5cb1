// The ways a call ends before anyone talks: declined, cancelled by the caller, or not answered in time.
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
  startScenario,
  widgetEvents,
} from './harness.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
afterEach(closeScenarios);
after(() => browser.close());

test('Decline: the caller is told plainly and both are free again', async () => {
  const { alice, bob } = await startScenario(browser);
  await callButton(alice.page).click();
  await control(alice.page, 'Cancel').waitFor();
  await control(bob.page, 'Decline').click();

  await alice.page.getByText('Bob declined the call.').waitFor();
  await Promise.all([
    control(bob.page, 'Accept').waitFor({ state: 'detached' }),
    callButton(alice.page).waitFor(),
  ]);
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  await Promise.all([
    callWindow(alice.page).waitFor({ state: 'hidden' }),
    callWindow(bob.page).waitFor({ state: 'hidden' }),
  ]);
  assertNoProblems(alice, bob);
});

test('Cancel: the callee stops ringing', async () => {
  const { alice, bob } = await startScenario(browser);
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').waitFor();
  await control(alice.page, 'Cancel').click();

  await Promise.all([
    control(bob.page, 'Accept').waitFor({ state: 'detached' }),
    control(bob.page, 'Decline').waitFor({ state: 'detached' }),
  ]);
  await bob.page.getByRole('alert').waitFor({ state: 'detached' });
  await bob.page.getByText('Alice hung up before you answered.').waitFor();
  await alice.page.getByText('Call cancelled.').waitFor();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assert.deepEqual(await widgetEvents(alice, 'ringlet-cancelled'), [
    'ringlet-outgoing',
    'ringlet-cancelled:cancelled',
  ]);
  assert.deepEqual(await widgetEvents(bob, 'ringlet-cancelled'), [
    'ringlet-incoming',
    'ringlet-cancelled:cancelled',
  ]);
  assertNoProblems(alice, bob);
});

test('no answer: after the ring timeout the caller hears so and the callee stops ringing', async () => {
  const { alice, bob } = await startScenario(browser, { service: { ringTimeoutMs: 1_500 } });
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').waitFor();

  await alice.page.getByText("Bob didn't answer.").waitFor();
  await control(bob.page, 'Accept').waitFor({ state: 'detached' });
  await bob.page.getByText('Missed call from Alice.').waitFor();
  await Promise.all([mediaReleased(alice), mediaReleased(bob), callButton(alice.page).waitFor()]);
  assert.deepEqual(await widgetEvents(alice, 'ringlet-declined'), [
    'ringlet-outgoing',
    'ringlet-declined:timeout',
  ]);
  assert.deepEqual(await widgetEvents(bob, 'ringlet-missed'), ['ringlet-incoming', 'ringlet-missed:timeout']);
  assertNoProblems(alice, bob);
});
