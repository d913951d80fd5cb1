// The signaling service restarts mid-call (close() and a new one on the same port). With a fixed RESUME_SECRET
// the call goes on: media never stops (it is peer to peer), the widget reconnects with backoff and jitter,
// joins its room again and rejoins the call with its signed resume token, and the call ends cleanly later.
// With another secret the new service knows nothing of the call: both sides end it cleanly, in plain words.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  callButton,
  callWindow,
  closeScenarios,
  control,
  hangUpEndsItOnBothSides,
  launchBrowser,
  mediaFlows,
  mediaReleased,
  remoteVideoPlays,
  restartService,
  startScenario,
  widgetEvents,
  type Scenario,
  type UserPage,
} from './harness.js';

const RECONNECTING_TO_SERVICE = 'Lost the connection to the call service. Reconnecting…';
const LOST = 'The call ended: the connection was lost.';
/** How long the service stays down in the resume tests (media is checked all along). */
const OUTAGE_MS = 3_000;

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
afterEach(closeScenarios);
after(() => browser.close());

/**
 * No uncaught error and no console error on the pages, except one kind: while the service is down Chromium
 * logs each refused reconnect attempt ("Failed to load resource: net::ERR_CONNECTION_REFUSED" for
 * /socket.io/). That is the outage under test, not a fault of the page.
 */
function assertNoProblemsButTheOutage(...users: UserPage[]): void {
  const outage = /ERR_CONNECTION_REFUSED.*\/socket\.io\/|\/socket\.io\/.*ERR_CONNECTION_REFUSED/;
  const problems = users.flatMap((user) =>
    user.problems.filter((problem) => !(problem.includes('console error:') && outage.test(problem))),
  );
  assert.deepEqual(problems, [], `errors on the pages:\n${problems.join('\n')}`);
}

function status(page: Page) {
  return page.locator('video-call-button').getByRole('status');
}

async function inCall({ alice, bob }: Scenario): Promise<void> {
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
}

for (const ender of ['Alice', 'Bob'] as const) {
  test(`with a fixed resume secret the call survives a restart of the service, media never stops, then ${ender} ends it cleanly`, async (t) => {
    const service = { resumeSecret: 'a-stable-resume-secret-for-the-test' };
    const scenario = await startScenario(browser, { service });
    const { alice, bob } = scenario;
    await inCall(scenario);

    let outage = 0;
    await restartService(scenario, service, async () => {
      // Service down: both widgets say so, and the call's media still flows peer to peer.
      await Promise.all([
        status(alice.page).getByText(RECONNECTING_TO_SERVICE).waitFor(),
        status(bob.page).getByText(RECONNECTING_TO_SERVICE).waitFor(),
      ]);
      // An outage of a few seconds, so the widgets' reconnect attempts (backoff with jitter) fail a few times.
      const down = Date.now();
      while (Date.now() - down < OUTAGE_MS) await mediaFlows(alice, bob);
      outage = Date.now() - down;
    });
    const listening = Date.now();
    // Back: reconnected (the status line no longer says so), the call still shown and still flowing.
    await Promise.all([
      status(alice.page).getByText(RECONNECTING_TO_SERVICE).waitFor({ state: 'hidden' }),
      status(bob.page).getByText(RECONNECTING_TO_SERVICE).waitFor({ state: 'hidden' }),
    ]);
    t.diagnostic(
      `service down ${outage} ms with media flowing; both reconnected ${Date.now() - listening} ms after it was back`,
    );
    await Promise.all([
      alice.page.locator('video-call-window[state="in-call"]').waitFor(),
      bob.page.locator('video-call-window[state="in-call"]').waitFor(),
    ]);
    await mediaFlows(alice, bob);

    // Both rejoined the call on the new service: it relays the hang-up to the other side.
    const [endingUser, otherUser] = ender === 'Alice' ? [alice, bob] : [bob, alice];
    await hangUpEndsItOnBothSides(endingUser, otherUser, ender);
    // Free again on the new service: presence says so, so they can call each other again.
    await Promise.all([callButton(alice.page).waitFor(), callButton(bob.page).waitFor()]);
    await alice.page
      .getByRole('button', { name: 'Call Bob' })
      .and(alice.page.locator('[aria-disabled="false"]'))
      .waitFor();
    assertNoProblemsButTheOutage(alice, bob);
  });
}

test('restarted with another secret, the service cannot resume the call: both sides end it cleanly, in plain words', async (t) => {
  const scenario = await startScenario(browser, {
    service: { resumeSecret: 'the-first-secret-of-the-service' },
  });
  const { alice, bob } = scenario;
  await inCall(scenario);

  await restartService(scenario, { resumeSecret: 'another-secret-after-the-restart' });
  const restarted = Date.now();
  // rejoin-call → call-not-found: each side ends the call itself, never hangs in it.
  await Promise.all([
    callWindow(alice.page).waitFor({ state: 'hidden' }),
    callWindow(bob.page).waitFor({ state: 'hidden' }),
  ]);
  await Promise.all([alice.page.getByText(LOST).waitFor(), bob.page.getByText(LOST).waitFor()]);
  t.diagnostic(`both ended ${Date.now() - restarted} ms after the new service listened`);
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assert.deepEqual((await widgetEvents(alice, 'ringlet-ended')).at(-1), 'ringlet-ended:disconnected');
  assert.deepEqual((await widgetEvents(bob, 'ringlet-ended')).at(-1), 'ringlet-ended:disconnected');
  // And they can call again on the new service.
  await callButton(alice.page).and(alice.page.locator('[aria-disabled="false"]')).waitFor();
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
  await control(bob.page, 'End call').click();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblemsButTheOutage(alice, bob);
});
