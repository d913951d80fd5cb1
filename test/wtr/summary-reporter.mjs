// A @web/test-runner reporter that ends the run with one plain line, `wtr: N passed, N failed, N skipped`,
// which CI reads (the runner's own summary shares a line with its progress bar). A test file that failed
// to load, or failed outside its tests, counts as one failure.

function countSuite(suite, totals) {
  for (const test of suite.tests) {
    if (test.skipped) totals.skipped += 1;
    else if (test.passed) totals.passed += 1;
    else totals.failed += 1;
  }
  for (const child of suite.suites) countSuite(child, totals);
}

export function summaryReporter() {
  return {
    stop({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = totals.failed;
        if (session.testResults) countSuite(session.testResults, totals);
        if (session.passed === false && totals.failed === before) totals.failed += 1;
      }
      const line = `wtr: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
      // At exit, after the runner's own (dynamic) summary, so this is the last line printed.
      process.once('exit', () => process.stdout.write(`${line}\n`));
    },
  };
}
