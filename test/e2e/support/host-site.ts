import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One person on a host page: who they are, which room, and whether the page places a call window. */
export interface HostPageSpec {
  userId: string;
  userName: string;
  room: string;
  /** Place a `<video-call-window>` (default); without one the button must open its own overlay. */
  withWindow?: boolean;
  /** Send a strict Content-Security-Policy: scripts and connections from the service only, nothing inline. */
  strictCsp?: boolean;
  /** More attributes for the `<video-call-button>`, e.g. `{ 'ice-transport-policy': 'relay' }`. */
  buttonAttributes?: Record<string, string>;
}

export interface HostSite {
  /** This site's origin, deliberately another origin than the service's. */
  url: string;
  pageUrl(spec: HostPageSpec): string;
  close(): Promise<void>;
}

const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** What a careful site would allow for the widget: its script and its connections, nothing inline. */
export function strictCspFor(serviceUrl: string): string {
  const websocket = serviceUrl.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    `script-src ${serviceUrl}`,
    `connect-src ${serviceUrl} ${websocket}`,
    "style-src 'none'",
    "img-src 'none'",
    "media-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** A site owner's page: the documented script tag and the elements with attributes, nothing else. */
export function hostPageHtml(serviceUrl: string, spec: HostPageSpec): string {
  const room = escapeAttribute(spec.room);
  const window =
    spec.withWindow === false ? '' : `\n    <video-call-window room="${room}"></video-call-window>`;
  const more = Object.entries(spec.buttonAttributes ?? {})
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeAttribute(spec.userName)} on a host site</title>
    <script src="${escapeAttribute(serviceUrl)}/widget.js" defer></script>
  </head>
  <body>
    <video-call-button room="${room}" user-id="${escapeAttribute(spec.userId)}" user-name="${escapeAttribute(
      spec.userName,
    )}"${more}></video-call-button>${window}
  </body>
</html>
`;
}

/**
 * A tiny static site on its own port, served as `localhost` while the service is reached as `127.0.0.1`:
 * another origin, so the widget's cross-origin path (CORS, `server` defaulting to the script's origin) is what
 * runs. `GET /page?spec=<json>` renders {@link hostPageHtml}.
 */
export async function startHostSite(serviceUrl: string): Promise<HostSite> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const spec = url.pathname === '/page' ? url.searchParams.get('spec') : null;
    if (spec === null) {
      // Browsers ask for a favicon; a 404 would show up as a console error.
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    const page = JSON.parse(spec) as HostPageSpec;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      ...(page.strictCsp ? { 'Content-Security-Policy': strictCspFor(serviceUrl) } : {}),
    });
    res.end(hostPageHtml(serviceUrl, page));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  return {
    url,
    pageUrl: (spec) => `${url}/page?${new URLSearchParams({ spec: JSON.stringify(spec) })}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
