/**
 * A long fuzz run against an in-process signaling service, with the generator and checks of
 * test/server/fuzz.test.ts (test/helpers/fuzz-packets.ts, test/helpers/fuzz-runner.ts). Not part of
 * `npm test` or `npm run bench`.
 *
 *   npx tsx bench/fuzz.ts [--packets 200000] [--seed N] [--sockets 8] [--users 5] [--batch 25]
 *                         [--max-message-bytes 65536]
 *
 * Exits non-zero if the service answered anything outside the protocol (an `internal` error, a malformed
 * ack), left a request unanswered, logged an error, kept state after every fuzzer left, or stopped
 * serving a normal call. Prints the seed; pass it back with --seed (or FUZZ_SEED) to replay.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { expectServiceWorks, health } from '../test/helpers/abuse.js';
import { fuzzSeed } from '../test/helpers/fuzz-packets.js';
import { runFuzz } from '../test/helpers/fuzz-runner.js';
import { findGc, settledHeap } from '../test/helpers/heap.js';
import { closeAll, startServer } from '../test/helpers/index.js';

const { values } = parseArgs({
  options: {
    packets: { type: 'string', default: '200000' },
    seed: { type: 'string' },
    sockets: { type: 'string', default: '8' },
    users: { type: 'string', default: '5' },
    batch: { type: 'string', default: '25' },
    'max-message-bytes': { type: 'string', default: '65536' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    'usage: npx tsx bench/fuzz.ts [--packets N] [--seed N] [--sockets N] [--users N] [--batch N] [--max-message-bytes N]',
  );
  process.exit(0);
}

function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`--${name} must be a positive integer, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
}

const packets = positive('packets', values.packets);
const seed = fuzzSeed(values.seed ?? process.env.FUZZ_SEED);
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

async function main(): Promise<number> {
  console.log(`fuzz: ${packets} packets, seed ${seed} (replay with --seed ${seed})`);
  const serverErrors: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void serverErrors.push(line) });
  const { url } = await startServer({
    logger,
    ringTimeoutMs: 400,
    rejoinGraceMs: 150,
    maxMessageBytes: positive('max-message-bytes', values['max-message-bytes']),
  });
  const gc = findGc();
  await expectServiceWorks(url);
  await sleep(200);
  const baseline = await settledHeap(gc, 100);

  const started = Date.now();
  let lastPrint = 0;
  const report = await runFuzz({
    url,
    packets,
    seed,
    sockets: positive('sockets', values.sockets),
    users: positive('users', values.users),
    batch: positive('batch', values.batch),
    onProgress: (sent) => {
      if (Date.now() - lastPrint < 2_000 && sent < packets) return;
      lastPrint = Date.now();
      const rate = Math.round(sent / ((Date.now() - started) / 1000));
      console.log(`  ${sent}/${packets} sent, ${rate}/s, heapUsed ${mb(process.memoryUsage().heapUsed)}`);
    },
  });

  const problems: string[] = [];
  if (report.violations.length > 0) problems.push(`${report.violations.length} protocol violations`);
  if (report.unanswered.length > 0) problems.push(`${report.unanswered.length} unanswered requests`);
  if (serverErrors.length > 0) problems.push(`${serverErrors.length} errors logged by the service`);
  try {
    await expectServiceWorks(url);
  } catch (err) {
    problems.push(`no normal call afterwards: ${(err as Error).message}`);
  }
  let left = await health(url);
  for (let i = 0; i < 50 && (left.connections > 0 || left.rooms > 0 || left.calls.active > 0); i += 1) {
    await sleep(100);
    left = await health(url);
  }
  if (left.connections > 0 || left.rooms > 0 || left.calls.ringing > 0 || left.calls.active > 0) {
    problems.push(`state left behind: ${JSON.stringify(left)}`);
  }
  const heap = await settledHeap(gc, 100);
  if (heap > 2 * baseline) problems.push(`heapUsed grew from ${mb(baseline)} to ${mb(heap)}`);

  console.log(
    [
      `sent ${report.sent} packets in ${(report.durationMs / 1000).toFixed(1)} s (${Math.round(report.sent / (report.durationMs / 1000))}/s)`,
      `acks answered ${report.acksAnswered}/${report.acksExpected}; answers ${JSON.stringify(report.answers)}`,
      `calls seen ${report.callsSeen}; connections closed by the service (and replaced) ${report.reconnects}; client-side send errors ${report.clientErrors}`,
      `heapUsed ${mb(baseline)} before, ${mb(heap)} after${gc ? ' (after gc)' : ''}; healthz ${JSON.stringify(left)}`,
    ].join('\n'),
  );
  for (const line of [...report.violations, ...report.unanswered, ...serverErrors].slice(0, 20)) {
    console.log(`  ! ${line}`);
  }
  await closeAll();
  if (problems.length > 0) {
    console.error(`FAILED (seed ${seed}): ${problems.join('; ')}`);
    return 1;
  }
  console.log(`OK (seed ${seed})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fuzz crashed (seed ${seed}):`, err);
    process.exit(1);
  },
);
