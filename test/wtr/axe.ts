// axe-core's browser build registers `window.axe` (typed by axe-core's own declarations) when loaded.
import 'axe-core/axe.min.js';

/** Runs axe-core over the element (shadow DOM included) and throws, listing them, on any violation. */
export async function expectNoAxeViolations(element: Element): Promise<void> {
  const { violations } = await window.axe.run(element);
  if (violations.length === 0) return;
  const report = violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help}\n` +
      violation.nodes.map((node) => `  ${node.html}\n  ${node.failureSummary ?? ''}`).join('\n'),
  );
  throw new Error(`Accessibility violations:\n${report.join('\n')}`);
}
