// Runs the end-to-end tests (test/e2e/*.test.ts: real Chromium, real service, real calls) one file at a
// time inside a loopback-only network namespace (with-loopback-netns.mjs), then prints one plain closing line
// `e2e: N passed, N failed, N skipped`. The service serves dist/widget.js: build first (`npm run test:e2e` does).
// Usage: node scripts/run-e2e-tests.mjs [filter...] [--node-option...]
//   a filter is a test file path or a substring of one (e.g. `overlay`); `-` arguments go to node.
// Node 20's `--test` does not expand globs, hence the file collection here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const TEST_DIR = 'test/e2e';
// A hung test fails after this long instead of stalling the run; each wait inside gives up sooner (20 s).
const DEFAULT_TIMEOUT_MS = 120_000;

if (!existsSync(join(root, 'dist', 'widget.js'))) {
  console.error('e2e: dist/widget.js is missing: run `npm run build` first (npm run test:e2e does).');
  console.log('e2e: 0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

const args = process.argv.slice(2);
const nodeOptions = args.filter((arg) => arg.startsWith('-'));
const filters = args.filter((arg) => !arg.startsWith('-'));
const all = readdirSync(join(root, TEST_DIR), { recursive: true })
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => join(TEST_DIR, name))
  .sort();
const files =
  filters.length === 0
    ? all
    : filters.flatMap((filter) =>
        filter.endsWith('.test.ts') && existsSync(filter)
          ? [resolve(filter)]
          : all.filter((file) => file.includes(filter)),
      );
if (files.length === 0) {
  console.error(`e2e: no test files matching ${filters.join(' ')}: nothing ran, which counts as a failure.`);
  console.log('e2e: 0 passed, 1 failed, 0 skipped');
  process.exit(1);
}

// spec for people; a TAP copy to a file gives the counts for the closing line.
const tapDir = mkdtempSync(join(tmpdir(), 'ringlet-e2e-'));
const tapFile = join(tapDir, 'report.tap');
const { status, signal } = spawnSync(
  process.execPath,
  [
    join(root, 'scripts', 'with-loopback-netns.mjs'),
    process.execPath,
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    `--test-timeout=${DEFAULT_TIMEOUT_MS}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...nodeOptions,
    ...new Set(files),
  ],
  { cwd: root, stdio: 'inherit' },
);

const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
rmSync(tapDir, { recursive: true, force: true });
const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
// A run that died before reporting, or ran no test at all, counts as a failure whatever the counts say.
const ranNothing = count('tests') === 0;
const diedUncounted = status !== 0 && count('fail') + count('cancelled') === 0;
const failed = count('fail') + count('cancelled') + (ranNothing || diedUncounted ? 1 : 0);
console.log(
  `e2e: ${count('pass')} passed, ${failed} failed, ${count('skipped')} skipped` +
    (signal ? ` (runner killed by ${signal})` : ''),
);
process.exit(failed > 0 ? status || 1 : (status ?? 1));
