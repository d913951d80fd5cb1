/**
 * `npm run bench`: runs every benchmark in bench/, prints a table and writes bench/results/latest.json and
 * bench/results/README-table.md. Not part of `npm test`. Figures are medians of several runs with their
 * range, each against a baseline measured in the same run; targets are aims, not pass/fail.
 *
 *   tsx bench/run.ts [--quick] [--runs N] [--only relay,memory] [--no-netns] [--verbose]
 *
 * --quick: one run with small counts and short windows, to prove the harness works (its figures mean little).
 * By default the run happens in a network namespace with only loopback (scripts/with-loopback-netns.mjs), as
 * the browser tests do, so Chromium uses no other interface; --no-netns runs in place.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleBenchmark } from './bundle.js';
import { callSetupBenchmark } from './call-setup.js';
import { connectBenchmark } from './connect.js';
import { errorMessage } from './lib/load.js';
import { killAllServers } from './lib/server-process.js';
import { markdownTable, notesOf, textTable } from './lib/table.js';
import type { Benchmark, BenchContext, BenchResult } from './lib/types.js';
import { memoryBenchmark } from './memory.js';
import { redisBenchmark } from './redis.js';
import { relayBenchmark } from './relay.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const IN_NETNS = 'RINGLET_BENCH_IN_NETNS';

const BENCHMARKS: Benchmark[] = [
  bundleBenchmark,
  relayBenchmark,
  memoryBenchmark,
  connectBenchmark,
  callSetupBenchmark,
  redisBenchmark,
];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    'no-netns': { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    [
      'usage: tsx bench/run.ts [--quick] [--runs N] [--only id,id] [--no-netns] [--verbose]',
      `benchmarks: ${BENCHMARKS.map((b) => b.id).join(', ')}`,
    ].join('\n'),
  );
  process.exit(0);
}

if (!values['no-netns'] && process.env[IN_NETNS] !== '1') {
  // Again, inside a loopback-only network namespace (or in place where none can be made).
  const { status, signal } = spawnSync(
    process.execPath,
    [
      join(ROOT, 'scripts', 'with-loopback-netns.mjs'),
      process.execPath,
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      ...process.argv.slice(2),
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, [IN_NETNS]: '1' } },
  );
  if (signal) console.error(`bench: killed by ${signal}`);
  process.exit(status ?? 1);
}

const quick = values.quick;
const runs = values.runs === undefined ? (quick ? 1 : 5) : Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: --runs wants a positive integer, got ${values.runs}`);
  process.exit(2);
}
const only = values.only?.split(',').map((id) => id.trim()) ?? null;
const unknown = only?.filter((id) => !BENCHMARKS.some((b) => b.id === id)) ?? [];
if (unknown.length > 0) {
  console.error(
    `bench: unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.id).join(', ')}`,
  );
  process.exit(2);
}
const selected = BENCHMARKS.filter((b) => only === null || only.includes(b.id));
/** Each benchmark stops by itself well within this; it only guards against a hang. */
const BENCH_TIMEOUT_MS = (quick ? 5 : 40) * 60_000;

process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServers();
    process.exit(130);
  });
}

const startedAt = new Date();
const runStart = performance.now();
const load = loadavg();
const ctx: BenchContext = {
  quick,
  runs,
  root: ROOT,
  log: (message) => console.log(`  ${message}`),
  verbose: values.verbose,
};

console.log(
  `bench: ${quick ? 'QUICK (harness check, figures are rough) ' : ''}${runs} run${runs === 1 ? '' : 's'} per figure; ` +
    `${cpus().length} cores, load average ${load.map((l) => l.toFixed(2)).join(' ')}`,
);
if ((load[0] ?? 0) > cpus().length * 0.5) {
  console.log('bench: warning: the machine is busy; timing figures will be noisy.');
}

const results: BenchResult[] = [];
for (const benchmark of selected) {
  const result: BenchResult = {
    id: benchmark.id,
    title: benchmark.title,
    baseline: benchmark.baseline,
    status: 'ok',
    notes: [],
    metrics: [],
    details: {},
    durationMs: 0,
  };
  console.log(`\n${benchmark.title} (${benchmark.id})`);
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      benchmark.run(ctx, result),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${BENCH_TIMEOUT_MS / 60_000} min`)),
          BENCH_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    result.status = 'failed';
    result.notes.unshift(errorMessage(error));
    result.metrics = [];
    console.error(
      `  ${benchmark.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } finally {
    clearTimeout(timer);
    killAllServers();
  }
  result.durationMs = Math.round(performance.now() - t0);
  if (result.status !== 'ok')
    console.log(`  ${result.status === 'not-available' ? '' : `${result.status}: `}${result.notes[0] ?? ''}`);
  results.push(result);
}

const machine = {
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  loadAverageAtStart: load,
};
const heading =
  `Measured ${startedAt.toISOString()} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}` +
  `${quick ? ', QUICK mode (harness check only)' : ''}. Each figure: median of ${runs} run${runs === 1 ? '' : 's'} ` +
  '(min-max); ratio = Ringlet median / baseline median; targets are aims, not pass/fail.';
const notes = notesOf(results);

console.log(`\n${heading}\n`);
console.log(textTable(results));
if (notes.length > 0) console.log(`\n${notes.map((note) => `- ${note}`).join('\n')}`);

mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(
  join(RESULTS_DIR, 'latest.json'),
  `${JSON.stringify({ generatedAt: startedAt.toISOString(), quick, runs, machine, results }, null, 2)}\n`,
);
writeFileSync(
  join(RESULTS_DIR, 'README-table.md'),
  `${heading}\n\n${markdownTable(results)}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n`,
);
console.log(
  `\nbench: wrote ${join('bench', 'results', 'latest.json')} and ${join('bench', 'results', 'README-table.md')} ` +
    `(${Math.round((performance.now() - runStart) / 1000)} s)`,
);
process.exit(0);
