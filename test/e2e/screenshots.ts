// Renders the pictures of the docs from the real thing: `node scripts/screenshot.mjs [dir]`.
//   docs/screenshot-call.png  a live call between two demo tabs, Alice (light) and Bob (dark), side by side
//   docs/screenshot-demo.png  the demo page a newcomer lands on
// and, in <dir> (default: a temporary folder, printed), the demo page at 320, 375 and 1280 px, light and dark,
// chooser and in-call, for a look before a release.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  callButton,
  control,
  launchBrowser,
  PAGE_PROBE,
  remoteVideoPlays,
  startService,
  watchPage,
  type UserPage,
} from './harness.js';

type ColorScheme = 'light' | 'dark';

const docs = resolve(import.meta.dirname, '..', '..', 'docs');
const variantsDir = process.argv[2]
  ? resolve(process.argv[2])
  : mkdtempSync(join(tmpdir(), 'ringlet-shots-'));
mkdirSync(docs, { recursive: true });
mkdirSync(variantsDir, { recursive: true });

const service = await startService();
const browser = await launchBrowser();
try {
  await demoVariants(browser, service.url);
  await liveCall(browser, service.url);
} finally {
  await browser.close();
  await service.close();
}
console.log(`screenshots: docs/screenshot-call.png, docs/screenshot-demo.png and variants in ${variantsDir}`);

async function newContext(
  browser: Browser,
  width: number,
  colorScheme: ColorScheme,
  deviceScaleFactor = 1,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    permissions: ['camera', 'microphone'],
    viewport: { width, height: 900 },
    colorScheme,
    deviceScaleFactor,
  });
  await context.addInitScript({ path: PAGE_PROBE });
  return context;
}

async function openAs(
  context: BrowserContext,
  serviceUrl: string,
  name: string,
  room: string,
): Promise<UserPage> {
  const user = watchPage(name, await context.newPage());
  const params = new URLSearchParams({ user: name.toLowerCase(), name, room });
  await user.page.goto(`${serviceUrl}/?${params}`);
  return user;
}

/** The demo page in every size and scheme that matters, as a newcomer and in a call. */
async function demoVariants(browser: Browser, serviceUrl: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const width of [320, 375, 1280]) {
      const context = await newContext(browser, width, colorScheme);
      const landing = watchPage('visitor', await context.newPage());
      await landing.page.goto(serviceUrl);
      await landing.page.getByRole('link', { name: 'Open as Alice' }).waitFor();
      const shot = await landing.page.screenshot({ fullPage: true });
      writeFileSync(join(variantsDir, `demo-${colorScheme}-${width}.png`), shot);
      if (colorScheme === 'light' && width === 1280) writeFileSync(join(docs, 'screenshot-demo.png'), shot);

      const room = `variants-${colorScheme}-${width}`;
      const alice = await openAs(context, serviceUrl, 'Alice', room);
      const bob = await openAs(context, serviceUrl, 'Bob', room);
      await callButton(alice.page).click();
      await control(bob.page, 'Accept').waitFor();
      await bob.page.screenshot({
        path: join(variantsDir, `ringing-${colorScheme}-${width}.png`),
        fullPage: true,
      });
      await control(bob.page, 'Accept').click();
      await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
      await bob.page.screenshot({
        path: join(variantsDir, `in-call-${colorScheme}-${width}.png`),
        fullPage: true,
      });
      assertClean(landing, alice, bob);
      await context.close();
    }
  }
}

/** Two demo tabs in a call, each card captured while video flows, then laid side by side. */
async function liveCall(browser: Browser, serviceUrl: string): Promise<void> {
  const [aliceContext, bobContext] = await Promise.all([
    newContext(browser, 600, 'light', 2),
    newContext(browser, 600, 'dark', 2),
  ]);
  const alice = await openAs(aliceContext, serviceUrl, 'Alice', 'screenshot');
  const bob = await openAs(bobContext, serviceUrl, 'Bob', 'screenshot');
  await callButton(alice.page).click();
  await control(bob.page, 'Accept').click();
  await Promise.all([remoteVideoPlays(alice), remoteVideoPlays(bob)]);
  // Let the call run a moment, so the duration reads past 0:00 and both videos are well under way.
  await Promise.all(
    [alice, bob].map((user) =>
      user.page.waitForFunction(() =>
        window.__ringletE2e.remoteVideoStates().some((v) => v.framesShown > 45),
      ),
    ),
  );
  const [aliceCard, bobCard] = await Promise.all(
    [alice, bob].map((user) => user.page.locator('#call').screenshot({ animations: 'disabled' })),
  );
  assertClean(alice, bob);
  await Promise.all([aliceContext.close(), bobContext.close()]);

  const composer = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await composer.setContent(sideBySide(aliceCard, bobCard));
  await composer.locator('img').last().waitFor();
  await composer.waitForFunction(() => [...document.images].every((image) => image.complete));
  writeFileSync(join(docs, 'screenshot-call.png'), await composer.screenshot({ fullPage: true }));
  await composer.close();
}

function sideBySide(left: Buffer, right: Buffer): string {
  const figure = (png: Buffer, caption: string): string =>
    `<figure><img src="data:image/png;base64,${png.toString('base64')}" alt=""><figcaption>${caption}</figcaption></figure>`;
  return `<!doctype html><html><head><style>
    body { margin: 0; padding: 36px 32px 28px; background: linear-gradient(135deg, #eef0ff, #e0f2fe);
      font: 600 15px/1.4 system-ui, sans-serif; color: #3f4660; }
    main { display: grid; grid-template-columns: 1fr 1fr; gap: 28px; align-items: start; }
    figure { margin: 0; }
    img { display: block; width: 100%; border-radius: 16px; box-shadow: 0 12px 40px rgb(22 26 38 / 18%); }
    figcaption { margin-top: 12px; text-align: center; }
  </style></head><body><main>
    ${figure(left, 'Alice’s tab (light)')}${figure(right, 'Bob’s tab (dark)')}
  </main></body></html>`;
}

function assertClean(...users: UserPage[]): void {
  const problems = users.flatMap((user) => user.problems);
  if (problems.length > 0)
    throw new Error(`errors on the pages while taking screenshots:\n${problems.join('\n')}`);
}
