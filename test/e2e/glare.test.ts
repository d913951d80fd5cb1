// Glare: Alice and Bob press Call at the same moment. The service turns the second request into an accept of
// the first call, so there is exactly one call, in the browser, every time: 50 runs in a row on the same pages.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser, ElementHandle, Page } from 'playwright-core';
import {
  assertNoProblems,
  callWindow,
  closeScenarios,
  control,
  launchBrowser,
  mediaReleased,
  startScenario,
  widgetEventDetails,
  type UserPage,
  type WidgetEvent,
} from './harness.js';

const RUNS = 50;
/** Both clicks are scheduled for the same instant this far ahead, so both pages have the order in time. */
const CLICK_LEAD_MS = 150;

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
afterEach(closeScenarios);
after(() => browser.close());

/** "Call <name>" once presence says <name> is free (the button is aria-disabled until then). */
async function readyCallButton(page: Page, name: string): Promise<ElementHandle<HTMLElement>> {
  const button = page
    .getByRole('button', { name: `Call ${name}`, exact: true })
    .and(page.locator('[aria-disabled="false"]'));
  await button.waitFor();
  return (await button.elementHandle()) as ElementHandle<HTMLElement>;
}

/** Clicks `button` when the shared clock reaches `at` (ms since the epoch); resolves with the click time. */
function clickAt(page: Page, button: ElementHandle<HTMLElement>, at: number): Promise<number> {
  return page.evaluate(
    ([element, when]) =>
      new Promise<number>((resolve) => {
        setTimeout(
          () => {
            element.click();
            resolve(Date.now());
          },
          Math.max(0, when - Date.now()),
        );
      }),
    [button, at] as const,
  );
}

/** The widget events a page heard since `from`, and what they say about calls. */
async function eventsSince(user: UserPage, from: number): Promise<WidgetEvent[]> {
  return (await widgetEventDetails(user)).slice(from);
}

function describe(events: WidgetEvent[]): string {
  return events.map((e) => `${e.type}${e.detail.reason ? `:${e.detail.reason}` : ''}`).join(', ');
}

test(`both press Call at the same moment: exactly one call, ${RUNS} runs in a row`, async (t) => {
  const { alice, bob } = await startScenario(browser);
  const started = Date.now();
  const offsets = { alice: 0, bob: 0 };
  const gaps: number[] = [];

  for (let run = 1; run <= RUNS; run++) {
    const [aliceCall, bobCall] = await Promise.all([
      readyCallButton(alice.page, 'Bob'),
      readyCallButton(bob.page, 'Alice'),
    ]);
    const at = Date.now() + CLICK_LEAD_MS;
    const [aliceClicked, bobClicked] = await Promise.all([
      clickAt(alice.page, aliceCall, at),
      clickAt(bob.page, bobCall, at),
    ]);
    gaps.push(Math.abs(aliceClicked - bobClicked));

    // Nobody clicks Accept: both in the call means the second request answered the first call.
    await Promise.all([
      alice.page.locator('video-call-window[state="in-call"]').waitFor(),
      bob.page.locator('video-call-window[state="in-call"]').waitFor(),
    ]);
    const [aliceEvents, bobEvents] = await Promise.all([
      eventsSince(alice, offsets.alice),
      eventsSince(bob, offsets.bob),
    ]);
    const context = `run ${run}: Alice heard [${describe(aliceEvents)}], Bob heard [${describe(bobEvents)}]`;
    // One call: every event on both pages names the same callId, each page accepted and started it once,
    // and nothing was declined, cancelled or failed.
    const callIds = new Set([...aliceEvents, ...bobEvents].map((event) => event.detail.callId));
    assert.equal(callIds.size, 1, context);
    assert.ok([...callIds][0], context);
    for (const events of [aliceEvents, bobEvents]) {
      const types = events.map((event) => event.type);
      assert.equal(types.filter((type) => type === 'ringlet-accepted').length, 1, context);
      assert.equal(types.filter((type) => type === 'ringlet-started').length, 1, context);
      assert.deepEqual(
        types.filter(
          (type) =>
            !['ringlet-outgoing', 'ringlet-incoming', 'ringlet-accepted', 'ringlet-started'].includes(type),
        ),
        [],
        context,
      );
    }
    // One caller and one callee.
    assert.deepEqual(
      [aliceEvents[0]?.type, bobEvents[0]?.type].sort(),
      ['ringlet-incoming', 'ringlet-outgoing'],
      context,
    );

    // Hang up (each side in turn) and wait until both are free again.
    const ender = run % 2 === 0 ? alice : bob;
    await control(ender.page, 'End call').click();
    await Promise.all([
      callWindow(alice.page).waitFor({ state: 'hidden' }),
      callWindow(bob.page).waitFor({ state: 'hidden' }),
    ]);
    await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
    offsets.alice = (await widgetEventDetails(alice)).length;
    offsets.bob = (await widgetEventDetails(bob)).length;
  }
  gaps.sort((a, b) => a - b);
  t.diagnostic(
    `${RUNS} runs in ${Date.now() - started} ms; clicks apart by median ${gaps[RUNS >> 1]} ms, at most ${gaps.at(-1)} ms`,
  );
  assertNoProblems(alice, bob);
});
