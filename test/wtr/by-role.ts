/**
 * Find elements the way a screen reader user does: by role and accessible name, through shadow roots.
 * Uses Chromium's `computedRole` / `computedName` (the run enables ComputedAccessibilityInfo).
 */
interface AccessibleElement extends HTMLElement {
  computedRole?: string | null;
  computedName?: string | null;
}

function* deepElements(root: ParentNode): Generator<AccessibleElement> {
  // A custom element passed as the root: search its shadow tree too.
  if (root instanceof Element && root.shadowRoot) yield* deepElements(root.shadowRoot);
  for (const element of Array.from(root.querySelectorAll<AccessibleElement>('*'))) {
    yield element;
    if (element.shadowRoot) yield* deepElements(element.shadowRoot);
  }
}

function matches(actual: string, expected: string | RegExp): boolean {
  return typeof expected === 'string' ? actual === expected : expected.test(actual);
}

function isShown(element: HTMLElement): boolean {
  return element.checkVisibility();
}

export function queryAllByRole(root: ParentNode, role: string, name?: string | RegExp): AccessibleElement[] {
  const found: AccessibleElement[] = [];
  for (const element of deepElements(root)) {
    if (element.computedRole === undefined)
      throw new Error('computedRole is unavailable: enable ComputedAccessibilityInfo');
    if (element.computedRole !== role || !isShown(element)) continue;
    if (name === undefined || matches(element.computedName ?? '', name)) found.push(element);
  }
  return found;
}

export function queryByRole(
  root: ParentNode,
  role: string,
  name?: string | RegExp,
): AccessibleElement | null {
  return queryAllByRole(root, role, name)[0] ?? null;
}

/** The one element with this role and name; throws, listing what there is, when none or several match. */
export function getByRole(root: ParentNode, role: string, name?: string | RegExp): AccessibleElement {
  const found = queryAllByRole(root, role, name);
  if (found.length === 1 && found[0]) return found[0];
  const present = queryAllByRole(root, role).map((element) => `"${element.computedName ?? ''}"`);
  throw new Error(
    `${found.length === 0 ? 'No' : 'Several'} ${role} named ${String(name)}; ${role}s present: ${present.join(', ') || 'none'}`,
  );
}
