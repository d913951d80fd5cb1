// The demo page at `/`: a newcomer opens it, tries a call in two tabs, and copies the snippet for their site.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  accessibilityViolations,
  assertNoProblems,
  callButton,
  control,
  launchBrowser,
  mediaReleased,
  newUserContext,
  remoteVideoPlays,
  startService,
  watchPage,
  type RunningService,
  type UserPage,
} from './harness.js';

/** What a careful site would send: only its own scripts, styles and connections; nothing inline. */
const STRICT_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "media-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let browser: Browser;
let service: RunningService;
const contexts: BrowserContext[] = [];
before(async () => {
  browser = await launchBrowser();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await service.close();
});
after(() => browser.close());

async function openDemo(path = '/', options: { clipboard?: boolean } = {}): Promise<UserPage> {
  service = await startService();
  const context = await newUserContext(browser, options);
  contexts.push(context);
  const visitor = watchPage('visitor', await context.newPage());
  await visitor.page.goto(`${service.url}${path}`);
  return visitor;
}

/** Follows a link that opens a new tab, and watches that tab. */
async function openInNewTab(page: Page, linkName: string, name: string): Promise<UserPage> {
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: linkName }).click(),
  ]);
  const user = watchPage(name, tab);
  await tab.waitForLoadState();
  return user;
}

test('the chooser opens Alice and Bob for the room typed in, and rejects a room id the service would refuse', async () => {
  const { page, ...visitor } = await openDemo();
  const alice = page.getByRole('link', { name: 'Open as Alice' });
  const bob = page.getByRole('link', { name: 'Open as Bob' });
  assert.equal(await alice.getAttribute('href'), '?user=alice&name=Alice&room=demo');

  await page.getByLabel('Room').fill('team-7');
  assert.equal(await alice.getAttribute('href'), '?user=alice&name=Alice&room=team-7');
  assert.equal(await bob.getAttribute('href'), '?user=bob&name=Bob&room=team-7');
  assert.equal(await alice.getAttribute('target'), '_blank');

  await page.getByLabel('Room').fill('team 7');
  await page.getByText('Use 1 to 64 letters').waitFor();
  assert.equal(await page.getByLabel('Room').getAttribute('aria-invalid'), 'true');
  assert.equal(await alice.getAttribute('aria-disabled'), 'true');
  assertNoProblems({ page, ...visitor });
});

test('the snippet names this service and copies to the clipboard', async () => {
  const visitor = await openDemo('/', { clipboard: true });
  const { page } = visitor;
  const snippet = (await page.locator('#snippet').textContent()) ?? '';
  assert.ok(snippet.startsWith(`<script src="${service.url}/widget.js" defer></script>\n`), snippet);
  assert.match(
    snippet,
    /<video-call-button room="chat123" user-id="user1" user-name="John"><\/video-call-button>/,
  );

  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('status').getByText('Copied the snippet to the clipboard.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
  assertNoProblems(visitor);
});

test('two demo tabs call each other, under a strict Content-Security-Policy', async () => {
  const visitor = await openDemo();
  // Send every page of the service with the CSP; a violation would show up as a console error. A page a
  // route fulfils has no server address, so Chromium files it as public and would hold its connections to
  // 127.0.0.1 for a local-network permission: grant that, as the real page (loopback itself) never needs it.
  await visitor.context.grantPermissions(['local-network-access']);
  await visitor.context.route(
    (url) => url.origin === service.url,
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      return route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': STRICT_CSP },
      });
    },
  );
  const landing = await visitor.page.reload();
  assert.equal(landing?.headers()['content-security-policy'], STRICT_CSP);
  await visitor.page.getByLabel('Room').fill('csp-room');
  const alice = await openInNewTab(visitor.page, 'Open as Alice', 'Alice');
  const bob = await openInNewTab(visitor.page, 'Open as Bob', 'Bob');
  assert.equal(await alice.page.title(), 'Alice · Ringlet demo');
  await alice.page.getByRole('heading', { name: 'You are Alice' }).waitFor();

  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
  await bob.page.getByText('Events this page received').click();
  await bob.page.locator('#event-list').getByText('ringlet-started').waitFor();
  await control(bob.page, 'End call').click();
  await Promise.all([mediaReleased(alice), mediaReleased(bob)]);
  assertNoProblems(visitor, alice, bob);
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const [what, path] of [
    ['the chooser', '/'],
    ['a user tab', '/?user=alice&name=Alice&room=axe'],
  ] as const) {
    test(`${what} has no accessibility violations (axe), ${colorScheme}, phone and desktop`, async () => {
      const visitor = await openDemo(path);
      await visitor.page.emulateMedia({ colorScheme });
      for (const width of [375, 1280]) {
        await visitor.page.setViewportSize({ width, height: 800 });
        if (path !== '/') await callButton(visitor.page).waitFor();
        assert.deepEqual(await accessibilityViolations(visitor.page), [], `at ${width} px`);
      }
      assertNoProblems(visitor);
    });
  }
}
