import type { Page } from 'playwright-core';

/**
 * Playwright runs every evaluate and locator check as a user gesture (CDP `userGesture: true`), and a gesture
 * unlocks autoplay for the page. To look at a page whose autoplay must stay locked, evaluate through a CDP
 * session of our own, which does not count as the user touching the page.
 */
export async function evaluateWithoutGesture<T>(page: Page, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) {
      throw new Error(
        `${expression} failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`,
      );
    }
    return result.value as T;
  } finally {
    await cdp.detach();
  }
}

/** Waits until `text` shows on the page (shadow roots included) without giving the page a user gesture. */
export async function waitForTextWithoutGesture(page: Page, text: string, timeoutMs = 20_000): Promise<void> {
  await evaluateWithoutGesture(page, `window.__ringletE2e.whenText(${JSON.stringify(text)}, ${timeoutMs})`);
}
