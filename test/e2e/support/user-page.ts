import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Installed into every page of a test context: see page-probe.js. */
export const PAGE_PROBE = fileURLToPath(new URL('./page-probe.js', import.meta.url));
/** Each awaited condition (locator wait, waitForFunction) gives up after this long: generous, as a loaded
 * 2-core machine running Chromium twice can take seconds to connect a call. */
const CONDITION_TIMEOUT_MS = 20_000;

/** One person: their own browser context (cookies, permissions) and one page. */
export interface UserPage {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, as they happened. */
  problems: string[];
}

/** A browser context for one person: camera and microphone allowed, the page probe in every page. */
export async function newUserContext(
  browser: Browser,
  options: { clipboard?: boolean } = {},
): Promise<BrowserContext> {
  const permissions = ['camera', 'microphone'];
  if (options.clipboard) permissions.push('clipboard-read', 'clipboard-write');
  const context = await browser.newContext({ permissions });
  await context.addInitScript({ path: PAGE_PROBE });
  return context;
}

/** Starts recording a page's uncaught errors and console errors, and sets its wait timeout. */
export function watchPage(name: string, page: Page): UserPage {
  page.setDefaultTimeout(CONDITION_TIMEOUT_MS);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`${name}: page error: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url: source, lineNumber } = message.location();
    problems.push(`${name}: console error: ${message.text()} (${source}:${lineNumber})`);
  });
  return { name, context: page.context(), page, problems };
}

/** Opens `url` as a new person in a context of their own. */
export async function openUserPage(browser: Browser, name: string, url: string): Promise<UserPage> {
  const context = await newUserContext(browser);
  const user = watchPage(name, await context.newPage());
  await user.page.goto(url);
  return user;
}
