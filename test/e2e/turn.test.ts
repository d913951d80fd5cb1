// Calls through a real TURN relay (Debian's coturn on loopback), forced with ice-transport-policy="relay":
// the relay works, refuses wrong credentials with a plain message, and dies or comes back mid-call
// ("Reconnecting…", ICE restarts, then a recovery or a plain "the call dropped" after the reconnect bound).
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  assertNoProblems,
  callButton,
  callWindow,
  closeScenarios,
  control,
  framesDecoded,
  framesGrowBeyond,
  launchBrowser,
  mediaReleased,
  remoteVideoPlays,
  startScenario,
  startTurnServer,
  usesCandidatePair,
  widgetEventDetails,
  type Scenario,
  type TurnServer,
} from './harness.js';

const RELAY_REFUSED = "Couldn't connect the call: the relay server refused the credentials.";
const CALL_DROPPED = "The call dropped: the connection was lost and couldn't be restored.";
/** The reconnect bound of the give-up test (the `reconnect-timeout-ms` attribute). */
const RECONNECT_BOUND_MS = 4_000;

let browser: Browser;
const relays: TurnServer[] = [];
before(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  await closeScenarios();
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});
after(() => browser.close());

async function relayScenario({
  serviceSecret,
  attributes = {},
}: { serviceSecret?: string; attributes?: Record<string, string> } = {}): Promise<
  Scenario & { relay: TurnServer }
> {
  const relay = await startTurnServer();
  relays.push(relay);
  const scenario = await startScenario(browser, {
    service: { turn: { urls: [relay.url], secret: serviceSecret ?? relay.secret } },
    buttonAttributes: { 'ice-transport-policy': 'relay', ...attributes },
  });
  return { ...scenario, relay };
}

/** Alice calls, Bob accepts, video decodes both ways over a relay/relay pair. */
async function connectOverRelay({ alice, bob }: Scenario): Promise<void> {
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
  await Promise.all([usesCandidatePair(alice, 'relay', 'relay'), usesCandidatePair(bob, 'relay', 'relay')]);
}

function windowIn(page: Page, state: 'idle' | 'connecting' | 'in-call') {
  return page.locator(`video-call-window[state="${state}"]`);
}

test('forced through a real coturn relay, the call connects over a relay/relay pair and video decodes', async () => {
  const scenario = await relayScenario();
  const { alice, bob } = scenario;
  await connectOverRelay(scenario);
  await control(alice.page, 'End call').click();
  await bob.page.getByText('Alice ended the call.').waitFor();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});

test('wrong relay credentials: the call fails at once with a plain message, never waits for the connect timeout', async (t) => {
  // The service hands out credentials signed with another secret than coturn's: coturn answers 401.
  const { alice, bob } = await relayScenario({ serviceSecret: 'not-the-relay-secret' });
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  const accepted = Date.now();

  // Both sides gather against the same refusing relay; whichever learns it first fails the call and hangs
  // up, so the other may hear "… ended the call." first. Either way, at least one says why, at once.
  const [first] = await Promise.race([
    alice.page
      .getByText(RELAY_REFUSED)
      .waitFor()
      .then(() => [alice, bob] as const),
    bob.page
      .getByText(RELAY_REFUSED)
      .waitFor()
      .then(() => [bob, alice] as const),
  ]);
  const elapsed = Date.now() - accepted;
  // The connect timeout is 30 s; the refusal is known within a TURN round trip.
  assert.ok(elapsed < 10_000, `the failure took ${elapsed} ms`);
  t.diagnostic(`${first === alice ? 'Alice' : 'Bob'} saw "${RELAY_REFUSED}" ${elapsed} ms after Accept`);
  await Promise.all([
    callWindow(alice.page).waitFor({ state: 'hidden' }),
    callWindow(bob.page).waitFor({ state: 'hidden' }),
  ]);
  await alice.page.getByText(new RegExp(`${escape(RELAY_REFUSED)}|Bob ended the call\\.`)).waitFor();
  await bob.page.getByText(new RegExp(`${escape(RELAY_REFUSED)}|Alice ended the call\\.`)).waitFor();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  const errors = (await widgetEventDetails(first)).filter((event) => event.type === 'ringlet-error');
  assert.deepEqual(
    errors.map((event) => event.detail.code),
    ['relay-refused'],
  );
  const ended = (await widgetEventDetails(first)).find((event) => event.type === 'ringlet-ended');
  assert.equal(ended?.detail.reason, 'failed');
  assertNoProblems(alice, bob);
});

test('the relay dies mid-call: "Reconnecting…", then after the reconnect bound a plain message on both sides', async (t) => {
  const scenario = await relayScenario({
    attributes: { 'reconnect-timeout-ms': String(RECONNECT_BOUND_MS) },
  });
  const { alice, bob, relay } = scenario;
  await connectOverRelay(scenario);

  await relay.kill();
  const killed = Date.now();
  await Promise.all([
    callWindow(alice.page).getByText('Reconnecting…').waitFor(),
    callWindow(bob.page).getByText('Reconnecting…').waitFor(),
  ]);
  const reconnecting = Date.now() - killed;
  await Promise.all([
    callWindow(alice.page).waitFor({ state: 'hidden' }),
    callWindow(bob.page).waitFor({ state: 'hidden' }),
  ]);
  const gaveUp = Date.now() - killed;
  // Each side gives up on its own bound; whoever is second may hear first that the other side ended it.
  const either = new RegExp(`${escape(CALL_DROPPED)}|(Alice|Bob) ended the call\\.`);
  await Promise.all([alice.page.getByText(either).waitFor(), bob.page.getByText(either).waitFor()]);
  const dropped = await Promise.all([alice, bob].map((user) => user.page.getByText(CALL_DROPPED).count()));
  assert.ok(
    dropped.some((count) => count > 0),
    'nobody was told the call dropped',
  );
  t.diagnostic(
    `"Reconnecting…" ${reconnecting} ms after the kill, gave up after ${gaveUp} ms; dropped shown: ${dropped.join('/')}`,
  );
  assert.ok(
    gaveUp - reconnecting >= RECONNECT_BOUND_MS - 1_000 && gaveUp < reconnecting + RECONNECT_BOUND_MS + 5_000,
    `"Reconnecting…" after ${reconnecting} ms, gave up after ${gaveUp} ms (bound ${RECONNECT_BOUND_MS} ms)`,
  );
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});

test('the relay comes back within the bound: ICE restarts recover the call, media flows again', async (t) => {
  const scenario = await relayScenario({ attributes: { 'reconnect-timeout-ms': '30000' } });
  const { alice, bob, relay } = scenario;
  await connectOverRelay(scenario);

  await relay.kill();
  await Promise.all([
    callWindow(alice.page).getByText('Reconnecting…').waitFor(),
    callWindow(bob.page).getByText('Reconnecting…').waitFor(),
  ]);
  const before = await Promise.all([framesDecoded(alice), framesDecoded(bob)]);
  const down = Date.now();
  await relay.restart();
  await Promise.all([windowIn(alice.page, 'in-call').waitFor(), windowIn(bob.page, 'in-call').waitFor()]);
  t.diagnostic(`in call again ${Date.now() - down} ms after the relay restarted`);
  await Promise.all([
    callWindow(alice.page).getByText('Reconnecting…').waitFor({ state: 'hidden' }),
    callWindow(bob.page).getByText('Reconnecting…').waitFor({ state: 'hidden' }),
  ]);
  // Through the new relay: fresh frames on the same peer connections, still relay/relay.
  await Promise.all([framesGrowBeyond(alice, before[0]), framesGrowBeyond(bob, before[1])]);
  await Promise.all([usesCandidatePair(alice, 'relay', 'relay'), usesCandidatePair(bob, 'relay', 'relay')]);

  await control(bob.page, 'End call').click();
  await alice.page.getByText('Bob ended the call.').waitFor();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(alice, bob);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
