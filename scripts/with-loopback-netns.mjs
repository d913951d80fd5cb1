// Runs a command in a fresh network namespace that has only loopback, so Chromium gathers no ICE candidates
// on this machine's other interfaces and no test traffic can leave it. Everything the command starts (test
// runner, signaling server, Redis, coturn, Chromium) lives inside the namespace with it.
// Creating a namespace needs root (or unprivileged user namespaces); where `unshare` is not permitted the
// command runs plainly, so the tests still work for a user without root.
// Usage: node scripts/with-loopback-netns.mjs <command> [args...]   (meant to wrap the browser tests)
import { spawnSync } from 'node:child_process';

const UP_LOOPBACK = 'ip link set lo up';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-loopback-netns.mjs <command> [args...]');
  process.exit(2);
}

// Probe with the exact setup step, which also proves `ip` (iproute2) is there.
const probe = spawnSync('unshare', ['--net', '--', 'sh', '-c', UP_LOOPBACK], { stdio: 'ignore' });
const isolated = probe.status === 0;
if (!isolated) console.error('with-loopback-netns: cannot create a network namespace; running without one.');

const [cmd, args] = isolated
  ? ['unshare', ['--net', '--', 'sh', '-c', `${UP_LOOPBACK} && exec "$@"`, 'sh', ...command]]
  : [command[0], command.slice(1)];
const { status, signal, error } = spawnSync(cmd, args, { stdio: 'inherit' });
if (error) console.error(`with-loopback-netns: ${error.message}`);
if (signal) console.error(`with-loopback-netns: command killed by ${signal}`);
process.exit(status ?? 1);
