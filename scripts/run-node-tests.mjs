// Runs the node:test suites (TypeScript through tsx), one file at a time: the tests start real servers,
// Redis and coturn on free ports, and running files in parallel would only make timing-sensitive tests flaky.
// Usage: node scripts/run-node-tests.mjs [--two-nodes] [filter...] [--node-option...]
//   --two-nodes: the protocol suites again, each service being two nodes sharing a real Redis, with the
//   clients spread over both (see test/helpers/two-nodes.ts); suites about one node's own counts, limits
//   and restarts are left out.
//   a filter is a test file path or a substring of one (e.g. `calls` or `test/server/auth.test.ts`);
//   arguments starting with `-` go to node (e.g. `--test-name-pattern=glare`, `--test-only`).
import { closingLine, collectTestFiles, parseArgs, runTests } from './lib/node-tests.mjs';

const TEST_DIRS = ['test/server', 'test/node'];
// A hung test fails after this long instead of stalling the whole run; override with --test-timeout=<ms>.
const DEFAULT_TIMEOUT_MS = 120_000;

const TWO_NODE_SUITES = [
  'abuse-relay',
  'auth',
  'call-flow',
  'fuzz',
  'glare',
  'isolation',
  'rejoin',
  'ringing',
  'rooms',
  'validation',
].map((name) => `test/server/${name}.test.ts`);

const args = process.argv.slice(2);
const twoNodes = args.includes('--two-nodes');
const { filters, nodeOptions } = parseArgs(args.filter((arg) => arg !== '--two-nodes'));
if (twoNodes) process.env.RINGLET_TEST_NODES = '2';
const files = twoNodes
  ? TWO_NODE_SUITES.filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  : collectTestFiles(TEST_DIRS, filters);
if (files.length === 0) {
  const where = filters.length ? `matching ${filters.join(' ')}` : `under ${TEST_DIRS.join(', ')}`;
  console.error(`No test files (*.test.ts) ${where}: nothing ran, which counts as a failure.`);
  console.log(closingLine('node', { passed: 0, failed: 1, skipped: 0 }));
  process.exit(1);
}

const result = runTests({ files, nodeOptions, timeoutMs: DEFAULT_TIMEOUT_MS });
console.log(closingLine(twoNodes ? 'two-nodes' : 'node', result));
process.exit(result.failed > 0 ? result.status || 1 : result.status);
