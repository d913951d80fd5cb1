// Makes sure the Debian packages the tests need are installed (first step of `npm test`).
// As root it installs what is missing with apt-get; otherwise it prints the one command to run and fails.
// Extend REQUIRED to add a package: `bin` is what the tests run, `pkg` the Debian package providing it.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

const REQUIRED = [
  { bin: process.env.CHROME_PATH || '/usr/bin/chromium', pkg: 'chromium' },
  { bin: 'redis-server', pkg: 'redis-server' },
  { bin: 'turnserver', pkg: 'coturn' },
  { bin: 'ip', pkg: 'iproute2' }, // brings up loopback in the tests' network namespace
  { bin: 'unshare', pkg: 'util-linux' },
];

// Packages whose install may start a system service; the tests start their own instances instead.
const SERVICES = { 'redis-server': 'redis-server', coturn: 'coturn' };

// sbin directories are often missing from a non-root PATH although the binaries there are usable.
const SEARCH_DIRS = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function found(bin) {
  return isAbsolute(bin) ? isExecutable(bin) : SEARCH_DIRS.some((dir) => dir && isExecutable(join(dir, bin)));
}

function missingPackages() {
  return [...new Set(REQUIRED.filter(({ bin }) => !found(bin)).map(({ pkg }) => pkg))];
}

function run(cmd, args, env = process.env) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const { status, error } = spawnSync(cmd, args, { stdio: 'inherit', env });
  return status === 0 && !error;
}

// Stop and disable a service the package install started, so nothing keeps running after the tests.
function stopService(name) {
  const quiet = { stdio: 'ignore' };
  if (existsSync('/run/systemd/system')) {
    spawnSync('systemctl', ['disable', '--now', name], quiet);
  } else {
    spawnSync('service', [name, 'stop'], quiet);
    spawnSync('update-rc.d', [name, 'disable'], quiet);
  }
}

const missing = missingPackages();
if (missing.length === 0) process.exit(0);

console.log(`Missing system packages for the tests: ${missing.join(' ')}`);
if (!found('apt-get')) {
  console.error('apt-get not found: install these packages with your system package manager, then rerun.');
  process.exit(1);
}
if (process.getuid?.() !== 0) {
  console.error('Run this once, then rerun the tests:');
  console.error(`  sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}

const aptEnv = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const installed = run('apt-get', ['update'], aptEnv) && run('apt-get', ['install', '-y', ...missing], aptEnv);
for (const pkg of missing) if (SERVICES[pkg]) stopService(SERVICES[pkg]);

const stillMissing = REQUIRED.filter(({ bin }) => !found(bin)).map(({ bin }) => bin);
if (!installed || stillMissing.length > 0) {
  console.error(`Installing system packages failed; still missing: ${stillMissing.join(' ') || 'none'}`);
  if (process.env.CHROME_PATH) console.error(`(CHROME_PATH is set to ${process.env.CHROME_PATH})`);
  process.exit(1);
}
console.log('System packages installed.');
