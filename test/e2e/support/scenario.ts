import type { Browser } from 'playwright-core';
import { startHostSite, type HostSite } from './host-site.js';
import { startService, type RunningService } from './service.js';
import { openUserPage, type UserPage } from './user-page.js';

type ServiceOptions = Parameters<typeof startService>[0];

export interface ScenarioOptions {
  /** Settings for the signaling service, e.g. a short `ringTimeoutMs`. */
  service?: ServiceOptions;
  /** Whether the host pages place a `<video-call-window>` (default true). */
  withWindow?: boolean;
  /** Serve the host pages with a strict Content-Security-Policy (see `strictCspFor`). */
  strictCsp?: boolean;
  /** The room both people are in (default `room-1`). */
  room?: string;
}

/** Alice and Bob, each on a host page of a site that embeds the widget from the real service. */
export interface Scenario {
  service: RunningService;
  site: HostSite;
  alice: UserPage;
  bob: UserPage;
}

const running = new Set<Scenario>();

export async function startScenario(browser: Browser, options: ScenarioOptions = {}): Promise<Scenario> {
  const service = await startService(options.service);
  const site = await startHostSite(service.url);
  const room = options.room ?? 'room-1';
  const page = (userId: string, userName: string): string =>
    site.pageUrl({
      userId,
      userName,
      room,
      withWindow: options.withWindow ?? true,
      strictCsp: options.strictCsp,
    });
  const [alice, bob] = await Promise.all([
    openUserPage(browser, 'Alice', page('alice', 'Alice')),
    openUserPage(browser, 'Bob', page('bob', 'Bob')),
  ]);
  const scenario = { service, site, alice, bob };
  running.add(scenario);
  return scenario;
}

/** Closes every scenario's pages, host site and service (for `afterEach`). */
export async function closeScenarios(): Promise<void> {
  const closing = [...running].map(async ({ alice, bob, site, service }) => {
    await Promise.all([alice.context.close(), bob.context.close()]);
    await Promise.all([site.close(), service.close()]);
  });
  running.clear();
  await Promise.all(closing);
}
