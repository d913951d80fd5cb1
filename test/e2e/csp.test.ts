// A site with a strict Content-Security-Policy allows the widget's script and connections and nothing else:
// no inline script or style, no eval, no images or media from anywhere. Calls must still work, without one
// violation (Chromium reports each as a console error, which fails the test).
import { after, afterEach, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  assertNoProblems,
  callButton,
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

for (const withWindow of [true, false]) {
  test(`a call works on host pages with a strict CSP (${withWindow ? 'placed window' : 'overlay'})`, async () => {
    const { alice, bob } = await startScenario(browser, { strictCsp: true, withWindow });
    await callButton(alice.page).click();
    await control(bob.page, 'Accept').click();
    await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
    await control(alice.page, 'Mute').click();
    await bob.page.getByText('Alice is muted').waitFor();
    await control(bob.page, 'End call').click();
    await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
    assertNoProblems(alice, bob);
  });
}
