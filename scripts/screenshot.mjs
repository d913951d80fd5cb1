// Renders docs/screenshot-call.png and docs/screenshot-demo.png from a real call between two demo tabs (and
// demo-page variants for review into [dir], default a temporary folder). Builds first when needed, and runs
// inside the loopback-only network namespace like the end-to-end tests.
// Usage: node scripts/screenshot.mjs [dir]
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

const built = run([join(root, 'scripts', 'build-if-needed.mjs')]);
if (built !== 0) process.exit(built);
process.exit(
  run([
    join(root, 'scripts', 'with-loopback-netns.mjs'),
    process.execPath,
    '--import',
    'tsx',
    join(root, 'test', 'e2e', 'screenshots.ts'),
    ...process.argv.slice(2),
  ]),
);
