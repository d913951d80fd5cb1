// Runs the node:test suites (TypeScript through tsx), one file at a time: the tests start real servers,
// Redis and coturn on free ports, and running files in parallel would only make timing-sensitive tests flaky.
// Usage: node scripts/run-node-tests.mjs [filter...] [--node-option...]
//   a filter is a test file path or a substring of one (e.g. `calls` or `test/server/auth.test.ts`);
//   arguments starting with `-` go to node (e.g. `--test-name-pattern=glare`, `--test-only`).
// Node 20's `--test` does not expand globs, hence the file collection here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const TEST_DIRS = ['test/server', 'test/node'];
// A hung test fails after this long instead of stalling the whole run; override with --test-timeout=<ms>.
const DEFAULT_TIMEOUT_MS = 120_000;

function collect(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(dir, name));
}

const args = process.argv.slice(2);
const nodeOptions = args.filter((arg) => arg.startsWith('-'));
const filters = args.filter((arg) => !arg.startsWith('-'));

const all = TEST_DIRS.flatMap(collect).sort();
const files =
  filters.length === 0
    ? all
    : filters.flatMap((filter) =>
        existsSync(filter) ? [resolve(filter)] : all.filter((file) => file.includes(filter)),
      );

if (files.length === 0) {
  const where = filters.length ? `matching ${filters.join(' ')}` : `under ${TEST_DIRS.join(', ')}`;
  console.error(`No test files (*.test.ts) ${where}: nothing ran, which counts as a failure.`);
  process.exit(1);
}

// spec for people; a TAP copy to a file gives the counts for one plain closing line.
const tapDir = mkdtempSync(join(tmpdir(), 'ringlet-node-tests-'));
const tapFile = join(tapDir, 'report.tap');
const { status, signal } = spawnSync(
  process.execPath,
  [
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
const count = (name) => tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? '?';
console.log(
  `node tests: ${count('pass')} passed, ${count('fail')} failed, ${count('cancelled')} cancelled, ` +
    `${count('skipped')} skipped${signal ? ` (runner killed by ${signal})` : ''}`,
);
process.exit(status ?? 1);
