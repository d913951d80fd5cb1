/**
 * Fuzz: 10,000 random packets (test/helpers/fuzz-packets.ts) from several connections, some in rooms and
 * a pair in a call, with the rate limits lifted. Afterwards the service must be up, answer every request
 * with a well-formed ack (never `internal`), log no errors, serve a fresh call, hold no state once the
 * fuzzers are gone, and be back near its heap baseline.
 *
 * The seed is random and printed; replay a run with FUZZ_SEED=<seed>. A longer run: `npx tsx bench/fuzz.ts`.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { expectServiceWorks, health } from '../helpers/abuse.js';
import { fuzzSeed } from '../helpers/fuzz-packets.js';
import { runFuzz, type FuzzReport } from '../helpers/fuzz-runner.js';
import { findGc, settledHeap } from '../helpers/heap.js';
import { closeAll, getJson, startServer } from '../helpers/index.js';

after(closeAll);

const PACKETS = 10_000;

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)} after 5 s`);
    await sleep(50);
  }
}

test(`${PACKETS} random packets: no crash, no internal error, no leak`, { timeout: 60_000 }, async (t) => {
  const seed = fuzzSeed();
  t.diagnostic(`seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const serverErrors: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void serverErrors.push(line) });
  const { url } = await startServer({ logger, ringTimeoutMs: 400, rejoinGraceMs: 150 });

  const gc = findGc();
  await expectServiceWorks(url); // warm every code path once before the baseline
  await until(
    'the warm-up call',
    () => health(url),
    (h) => h.connections === 0 && h.rooms === 0,
  );
  const baseline = await settledHeap(gc);

  let report: FuzzReport | undefined;
  try {
    report = await runFuzz({ url, packets: PACKETS, seed });
    t.diagnostic(
      `${report.sent} packets in ${report.durationMs} ms; ${report.acksAnswered}/${report.acksExpected} acks; ` +
        `answers ${JSON.stringify(report.answers)}; ${report.callsSeen} calls seen; ${report.reconnects} reconnects`,
    );

    assert.deepEqual(report.violations, [], 'answers that break the protocol');
    assert.deepEqual(report.unanswered, [], 'requests the service never answered');
    assert.equal(report.acksAnswered, report.acksExpected);
    assert.ok(report.acksExpected > PACKETS / 3, 'most packets asked for an answer');
    assert.ok((report.answers.ok ?? 0) > 100, 'well-formed packets got through too');
    assert.deepEqual(serverErrors, [], 'the service logged errors');

    // Still up, and serving.
    const healthz = await getJson(`${url}/healthz`);
    assert.equal(healthz.status, 200);
    await expectServiceWorks(url);

    // Every fuzzer and the fresh pair are gone: no connection, room or call may be left behind
    // (calls wait out the short rejoin grace period first).
    const left = await until(
      'state after the fuzz',
      () => health(url),
      (h) => h.connections === 0 && h.rooms === 0 && h.calls.ringing === 0 && h.calls.active === 0,
    );
    assert.deepEqual(left, { connections: 0, rooms: 0, calls: { ringing: 0, active: 0 } });

    const heap = await settledHeap(gc);
    const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;
    t.diagnostic(`heapUsed ${mb(baseline)} before, ${mb(heap)} after${gc ? ' (after gc)' : ' (no gc)'}`);
    assert.ok(heap < 2 * baseline, `heap grew from ${mb(baseline)} to ${mb(heap)}`);
    assert.deepEqual(serverErrors, [], 'the service logged errors');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`fuzz failed with seed ${seed} (replay with FUZZ_SEED=${seed}): ${message}`, {
      cause: err,
    });
  }
});
