/**
 * The origin that served the widget, the default `server` of every element.
 * `document.currentScript` is only set while a classic script (the widget.js bundle) first runs,
 * so it is read once, here, at module evaluation.
 */
const loadingScript: HTMLScriptElement | SVGScriptElement | null =
  typeof document === 'undefined' ? null : document.currentScript;

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const { origin } = new URL(url);
    return origin.startsWith('http') ? origin : null;
  } catch {
    return null;
  }
}

function scriptUrl(): string | undefined {
  // `in` rather than `instanceof`: HTMLScriptElement does not exist when rendered on a server.
  return loadingScript && 'src' in loadingScript ? loadingScript.src : undefined;
}

function moduleUrl(): string | undefined {
  try {
    return import.meta.url;
  } catch {
    return undefined;
  }
}

/** The script's origin, else this module's (ESM builds), else the page's. */
export const defaultServer: string =
  originOf(scriptUrl()) ??
  originOf(moduleUrl()) ??
  (typeof location === 'undefined' ? 'http://localhost:3000' : location.origin);
