/**
 * The pages of the call-setup benchmark, on their own origin (`localhost`, a secure context for the camera)
 * while the service is reached as `127.0.0.1`: `/widget?room&user` is a host page with the documented script
 * tag and elements; `/bare` an empty page for the RTCPeerConnection baseline.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostSite {
  url: string;
  widgetPage(room: string, userId: string, userName: string): string;
  barePage(): string;
  close(): Promise<void>;
}

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function widgetHtml(serviceUrl: string, room: string, userId: string, userName: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(userName)}</title>
    <script src="${escapeHtml(serviceUrl)}/widget.js" defer></script>
  </head>
  <body>
    <video-call-button room="${escapeHtml(room)}" user-id="${escapeHtml(userId)}" user-name="${escapeHtml(userName)}"></video-call-button>
    <video-call-window room="${escapeHtml(room)}"></video-call-window>
  </body>
</html>
`;
}

const BARE_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>bare</title></head><body></body></html>\n';

export async function startHostSite(serviceUrl: string): Promise<HostSite> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (html: string): void => {
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
        .end(html);
    };
    if (url.pathname === '/bare') return send(BARE_HTML);
    const room = url.searchParams.get('room');
    const user = url.searchParams.get('user');
    const name = url.searchParams.get('name');
    if (url.pathname === '/widget' && room && user && name)
      return send(widgetHtml(serviceUrl, room, user, name));
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  return {
    url,
    widgetPage: (room, userId, userName) =>
      `${url}/widget?${new URLSearchParams({ room, user: userId, name: userName })}`,
    barePage: () => `${url}/bare`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
