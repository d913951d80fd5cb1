// Runs the node:test suites (TypeScript through tsx), one file at a time: the tests start real servers,
// Redis and coturn on free ports, and running files in parallel would only make timing-sensitive tests flaky.
// Usage: node scripts/run-node-tests.mjs [filter...] [--node-option...]
//   a filter is a test file path or a substring of one (e.g. `calls` or `test/server/auth.test.ts`);
//   arguments starting with `-` go to node (e.g. `--test-name-pattern=glare`, `--test-only`).
import { closingLine, collectTestFiles, parseArgs, runTests } from './lib/node-tests.mjs';

const TEST_DIRS = ['test/server', 'test/node'];
// A hung test fails after this long instead of stalling the whole run; override with --test-timeout=<ms>.
const DEFAULT_TIMEOUT_MS = 120_000;

const { filters, nodeOptions } = parseArgs(process.argv.slice(2));
const files = collectTestFiles(TEST_DIRS, filters);
if (files.length === 0) {
  const where = filters.length ? `matching ${filters.join(' ')}` : `under ${TEST_DIRS.join(', ')}`;
  console.error(`No test files (*.test.ts) ${where}: nothing ran, which counts as a failure.`);
  console.log(closingLine('node', { passed: 0, failed: 1, skipped: 0 }));
  process.exit(1);
}

const result = runTests({ files, nodeOptions, timeoutMs: DEFAULT_TIMEOUT_MS });
console.log(closingLine('node', result));
process.exit(result.failed > 0 ? result.status || 1 : result.status);
