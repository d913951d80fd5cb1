import type { Locator, Page } from 'playwright-core';

/**
 * The widget's controls, reached only by role and the accessible names of CONTRACT.md section 2.
 * Locators pierce open shadow roots, so this is what a screen-reader user meets too.
 */
export type ControlName =
  'Accept' | 'Decline' | 'Cancel' | 'Mute' | 'Unmute' | 'Turn camera off' | 'Turn camera on' | 'End call';

export function control(page: Page, name: ControlName): Locator {
  return page.getByRole('button', { name, exact: true });
}

/** The button that places a call: "Call", optionally followed by whom ("Call Bob"). */
export function callButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Call\b/ });
}

/** The placed or overlay call window element itself. */
export function callWindow(page: Page): Locator {
  return page.locator('video-call-window');
}
