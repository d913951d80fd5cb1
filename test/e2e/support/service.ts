import { createSignalingServer } from '../../../server/index.js';

type ServiceOptions = NonNullable<Parameters<typeof createSignalingServer>[0]>;

export interface RunningService {
  /** The origin pages load `widget.js` from, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Its port, to start another service in its place ({@link restartService}). */
  port: number;
  close(): Promise<void>;
}

/**
 * The real signaling service, in this process, on a free loopback port. It serves `dist/widget.js`, so the
 * widget must be built first (`npm run test:e2e` does).
 */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const server = createSignalingServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
  const { url, port } = await server.listen();
  return { url, port, close: () => server.close() };
}
