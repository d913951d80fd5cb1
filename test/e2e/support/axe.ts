import axe from 'axe-core';
import type { Page } from 'playwright-core';

declare global {
  interface Window {
    axe: typeof axe;
  }
}

/** The WCAG 2.x A and AA rules, without axe's best practices about the page around (landmarks, an h1). */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeScope {
  /** Only WCAG A/AA rules: for a bare host page, whose own structure is not under test. */
  wcagOnly?: boolean;
}

/** Runs axe-core on the page, open shadow roots included, and lists its violations, one line each. */
export async function accessibilityViolations(
  page: Page,
  { wcagOnly = false }: AxeScope = {},
): Promise<string[]> {
  await page.evaluate(axe.source);
  const options: axe.RunOptions = {
    resultTypes: ['violations'],
    ...(wcagOnly ? { runOnly: { type: 'tag', values: WCAG_TAGS } } : {}),
  };
  return page.evaluate(async (runOptions) => {
    const results = await window.axe.run(document, runOptions);
    return results.violations.map(
      (violation) =>
        `${violation.id} (${violation.impact ?? 'unknown'}): ${violation.help} at ` +
        violation.nodes.map((node) => JSON.stringify(node.target)).join(', '),
    );
  }, options);
}
