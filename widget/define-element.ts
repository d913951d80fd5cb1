/**
 * Defines a custom element unless the page already has one by that name (the script loaded
 * twice, or another build of Ringlet), and does nothing where there is no `customElements`
 * (server-side rendering).
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  if (typeof customElements === 'undefined' || customElements.get(tag)) return;
  customElements.define(tag, element);
}
