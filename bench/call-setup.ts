/**
 * Call setup in headless Chromium: from the callee's click on Accept to the first decoded remote video frame,
 * through the widget (two pages, one per user, each with `<video-call-button>` and `<video-call-window>`
 * from the service's /widget.js), against a bare RTCPeerConnection pair in one page (fake camera,
 * `iceServers: []`, offer/answer exchanged in the page). Both are timed by the same page code
 * (lib/page-probe.js). Reported: the callee's first remote frame, and the moment both sides have one.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHostSite, type HostSite } from './lib/host-site.js';
import { kindsForRun } from './lib/load.js';
import { startServerProcess } from './lib/server-process.js';
import { metric, ratioAtMost } from './lib/stats.js';
import type { Benchmark, BenchContext, BenchResult } from './lib/types.js';
import { AUTOPLAY_WITHOUT_GESTURE, CHROME_PATH, CHROMIUM_ARGS } from '../scripts/chromium.mjs';

const PAGE_PROBE = fileURLToPath(new URL('./lib/page-probe.js', import.meta.url));
const STEP_TIMEOUT_MS = 20_000;

type Kind = 'widget' | 'bare';

interface CallSample {
  /** Accept (or its bare equivalent) to the callee's first remote frame, ms. */
  calleeMs: number;
  /** ... to the moment both sides have shown a remote frame, ms. */
  bothMs: number;
  how: string;
  /** What the pages saw, in ms from the start: `+12 callee getUserMedia resolved`. */
  timeline: string[];
}

interface TraceEntry {
  at: number;
  what: string;
}

/**
 * The page probe's trace entries, labelled with `who`, plus the first frames, sorted into one timeline
 * from `start`.
 */
function timeline(
  start: number,
  frames: { callee: number; caller: number },
  ...traces: [who: string, value: unknown][]
): string[] {
  const entries: (TraceEntry & { who: string })[] = [
    { at: frames.callee, what: 'callee first remote frame', who: '' },
    { at: frames.caller, what: 'caller first remote frame', who: '' },
  ];
  for (const [who, value] of traces) {
    const trace = isRecord(value) ? value.trace : undefined;
    if (!Array.isArray(trace)) continue;
    for (const entry of trace as unknown[]) {
      if (isRecord(entry) && typeof entry.at === 'number' && typeof entry.what === 'string') {
        entries.push({ at: entry.at, what: entry.what, who });
      }
    }
  }
  return entries
    .sort((a, b) => a.at - b.at)
    .map((entry) => `${(entry.at - start).toFixed(0)} ${entry.who ? `${entry.who} ` : ''}${entry.what}`);
}

class WidgetNotReady extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function numberField(value: unknown, key: string): number {
  const field = isRecord(value) ? value[key] : undefined;
  if (typeof field !== 'number' || !Number.isFinite(field)) {
    throw new Error(`page probe: expected a number "${key}" in ${JSON.stringify(value)}`);
  }
  return field;
}

function stringField(value: unknown, key: string): string {
  const field = isRecord(value) ? value[key] : undefined;
  return typeof field === 'string' ? field : '';
}

async function newUserContext(browser: Browser, log: (message: string) => void): Promise<BrowserContext> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript({ path: PAGE_PROBE });
  context.on('weberror', (error) => log(`page error: ${error.error().message}`));
  return context;
}

async function openWidgetPage(
  browser: Browser,
  site: HostSite,
  room: string,
  userId: string,
  contexts: BrowserContext[],
  log: (message: string) => void,
): Promise<Page> {
  const context = await newUserContext(browser, log);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(site.widgetPage(room, userId, userId.charAt(0).toUpperCase() + userId.slice(1)));
  const ready: unknown = await page.evaluate(`window.__ringletBench.widgetReady(${STEP_TIMEOUT_MS / 2})`);
  if (ready !== true)
    throw new WidgetNotReady('/widget.js did not define <video-call-button> and <video-call-window>');
  return page;
}

async function widgetRun(
  browser: Browser,
  site: HostSite,
  run: string,
  log: (message: string) => void,
): Promise<CallSample> {
  const room = `bench-${process.pid}-${run}`;
  const contexts: BrowserContext[] = [];
  try {
    const [caller, callee] = await Promise.all([
      openWidgetPage(browser, site, room, 'alice', contexts, log),
      openWidgetPage(browser, site, room, 'bob', contexts, log),
    ]);
    // Enabled once both are in the room; Playwright's click waits for that.
    await caller.getByRole('button', { name: /^Call\b/ }).click({ timeout: STEP_TIMEOUT_MS });
    const accept = callee.getByRole('button', { name: 'Accept', exact: true });
    await accept.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    await Promise.all(
      [caller, callee].map((page) => page.evaluate(`window.__ringletBench.armWidget(${STEP_TIMEOUT_MS})`)),
    );
    await accept.click({ timeout: STEP_TIMEOUT_MS });
    const [atCaller, atCallee] = await Promise.all(
      [caller, callee].map((page): Promise<unknown> => page.evaluate('window.__ringletBench.widgetResult()')),
    );
    const clickAt = numberField(atCallee, 'clickAt');
    const calleeFrameAt = numberField(atCallee, 'frameAt');
    const callerFrameAt = numberField(atCaller, 'frameAt');
    return {
      calleeMs: calleeFrameAt - clickAt,
      bothMs: Math.max(calleeFrameAt, callerFrameAt) - clickAt,
      how: stringField(atCallee, 'how'),
      timeline: timeline(
        clickAt,
        { callee: calleeFrameAt, caller: callerFrameAt },
        ['caller', atCaller],
        ['callee', atCallee],
      ),
    };
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
}

async function bareRun(
  browser: Browser,
  site: HostSite,
  log: (message: string) => void,
): Promise<CallSample> {
  const context = await newUserContext(browser, log);
  try {
    const page = await context.newPage();
    await page.goto(site.barePage());
    const raw: unknown = await page.evaluate(`window.__ringletBench.bare(${STEP_TIMEOUT_MS})`);
    const startAt = numberField(raw, 'startAt');
    const calleeFrameAt = numberField(raw, 'calleeFrameAt');
    const callerFrameAt = numberField(raw, 'callerFrameAt');
    return {
      calleeMs: calleeFrameAt - startAt,
      bothMs: Math.max(calleeFrameAt, callerFrameAt) - startAt,
      how: stringField(raw, 'how'),
      timeline: timeline(startAt, { callee: calleeFrameAt, caller: callerFrameAt }, ['', raw]),
    };
  } finally {
    await context.close();
  }
}

export const callSetupBenchmark: Benchmark = {
  id: 'call-setup',
  title: 'Call setup in Chromium',
  baseline: 'bare RTCPeerConnection pair in one page (fake camera, iceServers: [])',
  async run(ctx: BenchContext, result: BenchResult): Promise<void> {
    const skip = (note: string): void => {
      result.status = 'skipped';
      result.notes.push(note);
    };
    if (!existsSync(join(ctx.root, 'dist', 'widget.js')))
      return skip('dist/widget.js does not exist: run `npm run build`.');
    if (!existsSync(join(ctx.root, 'widget', 'components', 'video-call-window'))) {
      return skip('the widget has no <video-call-window> yet (widget/components/video-call-window).');
    }
    if (!existsSync(CHROME_PATH)) {
      return skip(`no Chromium at ${CHROME_PATH}: apt-get install chromium, or set CHROME_PATH.`);
    }

    // The service in its own process, as in the other benchmarks: the browser driver here does not slow it.
    const service = await startServerProcess('ringlet');
    const site = await startHostSite(service.url);
    const browser = await chromium.launch({
      executablePath: CHROME_PATH,
      args: [...CHROMIUM_ARGS, AUTOPLAY_WITHOUT_GESTURE],
    });
    const samples: Record<Kind, CallSample[]> = { widget: [], bare: [] };
    try {
      const once = (kind: Kind, run: string): Promise<CallSample> =>
        kind === 'widget' ? widgetRun(browser, site, run, ctx.log) : bareRun(browser, site, ctx.log);
      // The browser's first camera and first connection pay one-off start-up costs: not counted.
      for (const kind of ['widget', 'bare'] as const) {
        const warm = await once(kind, 'warmup');
        ctx.log(`call setup warm-up, ${kind}: ${warm.calleeMs.toFixed(0)} ms (not counted)`);
      }
      for (let run = 0; run < ctx.runs; run++) {
        for (const kind of kindsForRun<Kind>(run, ['bare', 'widget'])) {
          const sample = await once(kind, String(run));
          samples[kind].push(sample);
          ctx.log(
            `call setup run ${run + 1}/${ctx.runs}, ${kind}: callee first frame ${sample.calleeMs.toFixed(0)} ms, ` +
              `both sides ${sample.bothMs.toFixed(0)} ms (${sample.how})`,
          );
          if (ctx.verbose) ctx.log(`  timeline (ms): ${sample.timeline.join('; ')}`);
        }
      }
    } catch (error) {
      if (!(error instanceof WidgetNotReady)) throw error;
      return skip(`the widget is not ready: ${error.message}`);
    } finally {
      await browser.close();
      await site.close();
      await service.stop();
    }
    const pick = (kind: Kind, key: 'calleeMs' | 'bothMs'): number[] => samples[kind].map((s) => s[key]);
    result.metrics.push(
      metric({
        name: 'Accept to first remote frame (callee)',
        unit: 'ms',
        ringlet: pick('widget', 'calleeMs'),
        baseline: pick('bare', 'calleeMs'),
        target: ratioAtMost(1.3),
      }),
      metric({
        name: 'Accept to remote frames on both sides',
        unit: 'ms',
        ringlet: pick('widget', 'bothMs'),
        baseline: pick('bare', 'bothMs'),
        target: ratioAtMost(1.3),
      }),
    );
    result.details = { chrome: CHROME_PATH, browserVersion: browser.version(), perRun: samples };
    result.notes.push(
      "The clock starts at the Accept click (bare: where Accept would be) and covers the callee's " +
        "getUserMedia; the caller's camera is already on in both, as the widget takes it when placing the call.",
    );
  },
};
