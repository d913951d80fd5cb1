/** What the helpers that start real processes (Redis, service nodes) share: none may outlive the tests. */
import type { ChildProcess } from 'node:child_process';

/**
 * Whether the process (and its output pipes) keep the test process alive. Released once running, so a
 * forgotten one cannot hang the test file; held again while something waits for it to exit.
 */
export function keepAlive(child: ChildProcess, hold: boolean): void {
  for (const handle of [child, child.stdout, child.stderr] as unknown as ({
    ref(): void;
    unref(): void;
  } | null)[]) {
    if (hold) handle?.ref();
    else handle?.unref();
  }
}

const tracked = new Set<ChildProcess>();
const cleanups = new Set<() => void>();
let installed = false;

/** Kills `child` with SIGKILL if it still runs when the test process ends, however it ends. */
export function killOnExit(child: ChildProcess): void {
  tracked.add(child);
  child.once('exit', () => tracked.delete(child));
  install();
}

/** Runs `cleanup` (once, however often it is given) when the test process ends, after the kills. */
export function onExit(cleanup: () => void): void {
  cleanups.add(cleanup);
  install();
}

function install(): void {
  if (installed) return;
  installed = true;
  const killAll = (): void => {
    for (const child of tracked) child.kill('SIGKILL');
    for (const cleanup of cleanups) cleanup();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      // Keep the default behaviour (die by that signal) unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}
