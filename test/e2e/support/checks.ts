import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { UserPage } from './user-page.js';

/** What page-probe.js reports about one remote video. */
interface RemoteVideoState {
  shown: boolean;
  width: number;
  framesShown: number;
  paused: boolean;
}

/** The API page-probe.js installs on every test page. */
/** A documented `ringlet-*` DOM event as the host page's `document` heard it. */
export interface WidgetEvent {
  type: string;
  detail: {
    callId?: string | null;
    room?: string;
    direction?: string;
    peer?: { userId: string; userName: string } | null;
    reason?: string | null;
    code?: string;
  };
}

interface PageProbe {
  widgetEvents(): WidgetEvent[];
  summary(): { states: string[]; text: string };
  remoteVideoStates(): RemoteVideoState[];
  liveLocalTracks(): string[];
  localStreamCount(): number;
  openPeerConnections(): number;
  peerConnectionCount(): number;
  selectedCandidatePairs(): Promise<
    ({ state: string; local: string | null; remote: string | null } | null)[]
  >;
  framesDecoded(): Promise<number>;
  unplug(kind: 'audio' | 'video'): number;
}

declare global {
  interface Window {
    __ringletE2e: PageProbe;
  }
}

interface MediaReport {
  /** The widget elements' `state` attributes and the page's text, to tell what the person saw. */
  seen: { states: string[]; text: string };
  remoteVideos: RemoteVideoState[];
  liveLocalTracks: string[];
  localStreams: number;
  openPeerConnections: number;
  peerConnections: number;
}

/** Everything the probe knows, for assertions and for failure messages. */
export function mediaReport(page: Page): Promise<MediaReport> {
  return page.evaluate(() => ({
    seen: window.__ringletE2e.summary(),
    remoteVideos: window.__ringletE2e.remoteVideoStates(),
    liveLocalTracks: window.__ringletE2e.liveLocalTracks(),
    localStreams: window.__ringletE2e.localStreamCount(),
    openPeerConnections: window.__ringletE2e.openPeerConnections(),
    peerConnections: window.__ringletE2e.peerConnectionCount(),
  }));
}

/** Waits for a page condition; on timeout, fails with what the probe saw instead of a bare timeout. */
async function waitForMedia(user: UserPage, what: string, condition: () => boolean): Promise<void> {
  try {
    await user.page.waitForFunction(condition);
  } catch (error) {
    const report = await mediaReport(user.page).catch(() => 'page gone');
    throw new Error(`${user.name}: ${what} did not happen; media: ${JSON.stringify(report)}`, {
      cause: error,
    });
  }
}

/**
 * The other person's video shows on this page and decodes frames: a shown <video> playing a video track
 * that did not come from this page's own camera, with a size and at least one frame presented.
 */
export function remoteVideoPlays(user: UserPage): Promise<void> {
  return waitForMedia(user, 'remote video playing', () =>
    window.__ringletE2e
      .remoteVideoStates()
      .some((video) => video.shown && !video.paused && video.width > 0 && video.framesShown > 0),
  );
}

/** After a call: every camera and microphone track this page opened has ended, every connection closed. */
export async function mediaReleased(user: UserPage): Promise<void> {
  await waitForMedia(
    user,
    'releasing camera, microphone and peer connection',
    () =>
      window.__ringletE2e.liveLocalTracks().length === 0 && window.__ringletE2e.openPeerConnections() === 0,
  );
}

/** The call really used this page's camera and a peer connection (so "released" above means something). */
export async function usedMedia(user: UserPage): Promise<void> {
  const report = await mediaReport(user.page);
  assert.ok(report.localStreams > 0, `${user.name} never opened the camera: ${JSON.stringify(report)}`);
  assert.ok(
    report.peerConnections > 0,
    `${user.name} never made a peer connection: ${JSON.stringify(report)}`,
  );
}

/**
 * The `ringlet-*` events this page's `document` heard, in order, once it has heard `last`; each as
 * `type` or `type:reason`, e.g. `ringlet-ended:hangup`.
 */
export async function widgetEvents(user: UserPage, last: string): Promise<string[]> {
  await user.page.waitForFunction(
    (type) => window.__ringletE2e.widgetEvents().some((event) => event.type === type),
    last,
  );
  const events = await user.page.evaluate(() => window.__ringletE2e.widgetEvents());
  return events.map((event) => (event.detail.reason ? `${event.type}:${event.detail.reason}` : event.type));
}

/** The details of the `ringlet-*` events this page's `document` heard so far. */
export function widgetEventDetails(user: UserPage): Promise<WidgetEvent[]> {
  return user.page.evaluate(() => window.__ringletE2e.widgetEvents());
}

/** No uncaught page error and no console error on any of these pages so far. */
export function assertNoProblems(...users: UserPage[]): void {
  const problems = users.flatMap((user) => user.problems);
  assert.deepEqual(problems, [], `errors on the pages:\n${problems.join('\n')}`);
}
