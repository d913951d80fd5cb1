// Runs the end-to-end tests (test/e2e/*.test.ts: real Chromium, real service, real calls) one file at a
// time inside a loopback-only network namespace (with-loopback-netns.mjs), then prints one plain closing line
// `e2e: N passed, N failed, N skipped`. The service serves dist/widget.js: build first (`npm run test:e2e` does).
// Usage: node scripts/run-e2e-tests.mjs [filter...] [--node-option...]
//   a filter is a test file path or a substring of one (e.g. `overlay`); `-` arguments go to node.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closingLine, collectTestFiles, parseArgs, root, runTests } from './lib/node-tests.mjs';

const TEST_DIR = 'test/e2e';
// A hung test fails after this long instead of stalling the run; each wait inside gives up sooner (20 s).
const DEFAULT_TIMEOUT_MS = 120_000;
const NOTHING_RAN = { passed: 0, failed: 1, skipped: 0 };

if (!existsSync(join(root, 'dist', 'widget.js'))) {
  console.error('e2e: dist/widget.js is missing: run `npm run build` first (npm run test:e2e does).');
  console.log(closingLine('e2e', NOTHING_RAN));
  process.exit(1);
}

const { filters, nodeOptions } = parseArgs(process.argv.slice(2));
const files = collectTestFiles([TEST_DIR], filters);
if (files.length === 0) {
  console.error(`e2e: no test files matching ${filters.join(' ')}: nothing ran, which counts as a failure.`);
  console.log(closingLine('e2e', NOTHING_RAN));
  process.exit(1);
}

const result = runTests({
  files,
  nodeOptions,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  prefix: [process.execPath, join(root, 'scripts', 'with-loopback-netns.mjs')],
});
console.log(closingLine('e2e', result));
process.exit(result.failed > 0 ? result.status || 1 : result.status);
