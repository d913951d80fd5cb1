// `npm run build`: compiles the server (and widget sources) with tsc, bundles the widget with rollup once
// rollup.config.mjs exists, writes custom-elements.json (`npm run analyze`, about 2 s), then writes
// dist/.build-stamp, which build-if-needed.mjs compares against.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const STAMP = join(root, 'dist', '.build-stamp');

function run(bin, args) {
  const { status, error } = spawnSync(join(root, 'node_modules', '.bin', bin), args, {
    cwd: root,
    stdio: 'inherit',
  });
  if (status !== 0 || error) {
    console.error(`build: ${bin} ${args.join(' ')} failed${error ? `: ${error.message}` : ''}`);
    process.exit(status || 1);
  }
}

// The stamp carries the start time, so a source saved during the build still counts as newer than it.
const startedAt = new Date();
run('tsc', ['-p', 'tsconfig.build.json']);
if (existsSync(join(root, 'rollup.config.mjs'))) run('rollup', ['-c']);
run('cem', ['analyze', '--quiet']);
mkdirSync(join(root, 'dist'), { recursive: true });
writeFileSync(STAMP, `${startedAt.toISOString()}\n`);
utimesSync(STAMP, startedAt, startedAt);
