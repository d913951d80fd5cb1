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
  /** More attributes on both `<video-call-button>`s, e.g. `{ 'ice-transport-policy': 'relay' }`. */
  buttonAttributes?: Record<string, string>;
  /** Another browser for one person (e.g. one without camera and microphone); default the one given. */
  browsers?: { alice?: Browser; bob?: Browser };
  /**
   * Several nodes: Alice's page uses one service node and Bob's another, both sharing this Redis (each on a
   * host site of its own).
   */
  redisUrl?: string;
}

/** Alice and Bob, each on a host page of a site that embeds the widget from the real service. */
export interface Scenario {
  /** Alice's service (the only one, unless `redisUrl` was given). */
  service: RunningService;
  site: HostSite;
  alice: UserPage;
  bob: UserPage;
  /** With `redisUrl`: Bob's node and the site whose pages use it. */
  bobNode?: { service: RunningService; site: HostSite };
}

const running = new Set<Scenario>();

export async function startScenario(browser: Browser, options: ScenarioOptions = {}): Promise<Scenario> {
  const clustered = options.redisUrl
    ? { resumeSecret: 'the secret the nodes share', ...options.service, redisUrl: options.redisUrl }
    : undefined;
  const service = await startService(clustered ?? options.service);
  const site = await startHostSite(service.url);
  const bobNode = clustered && (await startService(clustered));
  const bobSite = bobNode && (await startHostSite(bobNode.url));
  const room = options.room ?? 'room-1';
  const page = (on: HostSite, userId: string, userName: string): string =>
    on.pageUrl({
      userId,
      userName,
      room,
      withWindow: options.withWindow ?? true,
      strictCsp: options.strictCsp,
      ...(options.buttonAttributes ? { buttonAttributes: options.buttonAttributes } : {}),
    });
  const [alice, bob] = await Promise.all([
    openUserPage(options.browsers?.alice ?? browser, 'Alice', page(site, 'alice', 'Alice')),
    openUserPage(options.browsers?.bob ?? browser, 'Bob', page(bobSite ?? site, 'bob', 'Bob')),
  ]);
  const scenario: Scenario = {
    service,
    site,
    alice,
    bob,
    ...(bobNode && bobSite ? { bobNode: { service: bobNode, site: bobSite } } : {}),
  };
  running.add(scenario);
  return scenario;
}

/**
 * Stops the scenario's service (a graceful `close()`, as an operator's restart does) and starts a new one
 * on the same port with `options`, while the pages stay open; `closeScenarios` then closes the new one.
 * Resolves once the new one listens. `whileDown` runs in between, with the service gone.
 */
export async function restartService(
  scenario: Scenario,
  options: ServiceOptions,
  whileDown: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const { port } = scenario.service;
  await scenario.service.close();
  await whileDown();
  scenario.service = await startService({ ...options, port });
}

/** Closes every scenario's pages, host site and service (for `afterEach`). */
export async function closeScenarios(): Promise<void> {
  const closing = [...running].map(async ({ alice, bob, site, service, bobNode }) => {
    await Promise.all([alice.context.close(), bob.context.close()]);
    await Promise.all([site.close(), service.close(), bobNode?.site.close(), bobNode?.service.close()]);
  });
  running.clear();
  await Promise.all(closing);
}
