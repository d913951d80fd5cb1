// `npm test`: every suite in turn (node, browser, end to end), even after one fails, then one closing line
// `total: N passed, N failed, N skipped`. Each suite prints its own `…: N passed, N failed…` line last; the
// counts are read from there. Exits non-zero if any suite failed or could not report.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const SUITES = [
  { name: 'node', script: 'test:node' },
  { name: 'two-nodes', script: 'test:two-nodes' },
  { name: 'browser', script: 'test:browser' },
  { name: 'e2e', script: 'test:e2e' },
];
const SUMMARY = /(\d+) passed, (\d+) failed(?:, (\d+) cancelled)?(?:, (\d+) skipped)?/;

/** Runs one npm script with live output; resolves with its exit code and its last summary line's counts. */
function run(script) {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-4_096);
    });
    child.on('close', (code, signal) => {
      const lines = tail.split('\n').filter((line) => SUMMARY.test(line));
      const match = lines.at(-1)?.match(SUMMARY);
      const counts = match
        ? { passed: +match[1], failed: +match[2] + +(match[3] ?? 0), skipped: +(match[4] ?? 0) }
        : undefined;
      done({ code: code ?? (signal ? 1 : 0), counts });
    });
  });
}

const total = { passed: 0, failed: 0, skipped: 0 };
const results = [];
for (const suite of SUITES) {
  console.log(`\n==== ${suite.name} tests (npm run ${suite.script}) ====`);
  const { code, counts } = await run(suite.script);
  // A suite that failed without counting a failure (a crash, a build error) still counts as one.
  const failed = counts ? Math.max(counts.failed, code === 0 ? 0 : 1) : 1;
  total.passed += counts?.passed ?? 0;
  total.failed += failed;
  total.skipped += counts?.skipped ?? 0;
  results.push({ ...suite, code, counts, failed });
}

console.log('\n==== summary ====');
for (const { name, code, counts, failed } of results) {
  const detail = counts
    ? `${counts.passed} passed, ${failed} failed, ${counts.skipped} skipped`
    : 'no summary';
  console.log(`${name.padEnd(10)} ${code === 0 ? 'ok    ' : 'FAILED'} ${detail}`);
}
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
