// First step of `npm start`: runs `npm run build` unless dist/.build-stamp is newer than every build input.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const STAMP = join(root, 'dist', '.build-stamp');
// demo/ is served straight from source, so it is no build input.
const INPUT_DIRS = ['server', 'widget'];
const INPUT_FILES = [
  'package.json',
  'package-lock.json',
  'rollup.config.mjs',
  'custom-elements-manifest.config.mjs',
];
// Build inputs outside the root and the input directories.
const INPUT_PATHS = ['scripts/minify-template-literals.mjs'];

function inputs() {
  const dirs = INPUT_DIRS.map((dir) => join(root, dir)).filter(existsSync);
  const files = dirs.flatMap((dir) => readdirSync(dir, { recursive: true }).map((name) => join(dir, name)));
  const configs = readdirSync(root).filter(
    (name) => /^tsconfig.*\.json$/.test(name) || INPUT_FILES.includes(name),
  );
  return [
    ...files,
    ...configs.map((name) => join(root, name)),
    ...INPUT_PATHS.map((path) => join(root, path)).filter(existsSync),
  ];
}

function newestInput() {
  return inputs().reduce(
    (newest, file) => {
      const stat = statSync(file);
      return stat.isFile() && stat.mtimeMs > newest.mtimeMs ? { file, mtimeMs: stat.mtimeMs } : newest;
    },
    { file: '', mtimeMs: 0 },
  );
}

if (existsSync(STAMP)) {
  const newest = newestInput();
  if (newest.mtimeMs <= statSync(STAMP).mtimeMs) process.exit(0);
  console.log(`Rebuilding: ${newest.file.slice(root.length + 1)} changed since the last build.`);
} else {
  console.log('Building: no build yet.');
}
const { status } = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(status ?? 1);
