// Browser tests (test/engine, test/elements) in real headless Chromium, against the real signaling service.
// `npm run test:browser` builds first: the service is started from dist/server (see test/wtr/).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { signalingServerPlugin } from './test/wtr/signaling-server-plugin.mjs';
import { summaryReporter } from './test/wtr/summary-reporter.mjs';
import { AUTOPLAY_WITHOUT_GESTURE, CHROME_PATH, CHROMIUM_ARGS } from './scripts/chromium.mjs';

const AUTOPLAY_BLOCKED_TESTS = 'test/elements/**/*.autoplay-blocked.test.ts';

function chromium({ autoplay }) {
  return chromeLauncher({
    launchOptions: {
      executablePath: CHROME_PATH,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        // element.computedRole / computedName: the tests find controls by role and accessible name.
        '--enable-blink-features=ComputedAccessibilityInfo',
        // Left out where a test proves the widget's handling of blocked autoplay.
        ...(autoplay ? [AUTOPLAY_WITHOUT_GESTURE] : []),
      ],
    },
  });
}

export default {
  files: ['test/engine/**/*.test.ts', 'test/elements/**/*.test.ts', `!${AUTOPLAY_BLOCKED_TESTS}`],
  groups: [
    { name: 'autoplay-blocked', files: AUTOPLAY_BLOCKED_TESTS, browsers: [chromium({ autoplay: false })] },
  ],
  browsers: [chromium({ autoplay: true })],
  nodeResolve: { browser: true, exportConditions: ['browser', 'production'] },
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json' }), signalingServerPlugin()],
  reporters: [defaultReporter(), summaryReporter()],
  // Real calls on a 2-core machine: one test file at a time, generous timeouts.
  concurrency: 1,
  testFramework: { config: { timeout: 20_000 } },
  testsFinishTimeout: 300_000,
};
