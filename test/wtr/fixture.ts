import { render, type TemplateResult } from 'lit';

const containers = new Set<HTMLElement>();

function isUpdating(element: Element): element is Element & { updateComplete: Promise<unknown> } {
  return 'updateComplete' in element;
}

/**
 * Renders a Lit template into the document and resolves with its first element once every Lit
 * element in it has rendered. Removed again after each test.
 */
export async function fixture<T extends Element>(template: TemplateResult): Promise<T> {
  const container = document.createElement('div');
  document.body.append(container);
  containers.add(container);
  render(template, container);
  const element = container.firstElementChild;
  if (!element) throw new Error('the template rendered no element');
  const all = [element, ...Array.from(element.querySelectorAll('*'))];
  await Promise.all(all.filter(isUpdating).map((child) => child.updateComplete));
  return element as T;
}

afterEach(() => {
  for (const container of containers) container.remove();
  containers.clear();
});
