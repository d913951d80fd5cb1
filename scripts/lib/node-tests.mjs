// Shared by run-node-tests.mjs and run-e2e-tests.mjs: collecting `*.test.ts` files (Node 20's `--test` does
// not expand globs) and running them with node:test through tsx, one file at a time, counting the results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..', '..');

/** Splits argv into filters (a test file path or a substring of one) and options for node (`-…`). */
export function parseArgs(args) {
  return {
    filters: args.filter((arg) => !arg.startsWith('-')),
    nodeOptions: args.filter((arg) => arg.startsWith('-')),
  };
}

/** The test files under `dirs` that match any filter (all of them without filters), sorted. */
export function collectTestFiles(dirs, filters) {
  const all = dirs
    .filter((dir) => existsSync(join(root, dir)))
    .flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true })
        .filter((name) => name.endsWith('.test.ts'))
        .map((name) => join(dir, name)),
    )
    .sort();
  if (filters.length === 0) return all;
  const matched = filters.flatMap((filter) =>
    filter.endsWith('.test.ts') && existsSync(filter)
      ? [resolve(filter)]
      : all.filter((file) => file.includes(filter)),
  );
  return [...new Set(matched)];
}

/**
 * Runs the files with the spec reporter for people and a TAP copy for the counts. `prefix` is a command to
 * run node under (e.g. the loopback namespace wrapper). Returns the exit status and the counts.
 */
export function runTests({ files, nodeOptions, timeoutMs, prefix = [] }) {
  const tapDir = mkdtempSync(join(tmpdir(), 'ringlet-tests-'));
  const tapFile = join(tapDir, 'report.tap');
  const [command, ...commandArgs] = [...prefix, process.execPath];
  const { status, signal } = spawnSync(
    command,
    [
      ...commandArgs,
      '--import',
      'tsx',
      '--test',
      '--test-concurrency=1',
      `--test-timeout=${timeoutMs}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tapFile}`,
      ...nodeOptions,
      ...files,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const tap = existsSync(tapFile) ? readFileSync(tapFile, 'utf8') : '';
  rmSync(tapDir, { recursive: true, force: true });
  const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  // A run that died before reporting, or ran no test at all, counts as a failure whatever the counts say.
  const uncounted = count('tests') === 0 || (status !== 0 && count('fail') + count('cancelled') === 0);
  return {
    status: status ?? 1,
    signal,
    passed: count('pass'),
    failed: count('fail') + count('cancelled') + (uncounted ? 1 : 0),
    skipped: count('skipped') + count('todo'),
  };
}

/** The one plain closing line a run prints, e.g. `node: 12 passed, 0 failed, 0 skipped`. */
export function closingLine(label, { passed, failed, skipped, signal }) {
  return `${label}: ${passed} passed, ${failed} failed, ${skipped} skipped${signal ? ` (runner killed by ${signal})` : ''}`;
}
