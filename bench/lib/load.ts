/** Small pieces the load benchmarks share: run ordering, timings, the bench process's own CPU use. */
import type { ServerKind } from './server-process.js';

/** Rotates which server goes first from run to run, so drift on a busy machine hits each alike. */
export function kindsForRun<K extends string = ServerKind>(run: number, kinds: readonly K[]): K[] {
  const shift = run % kinds.length;
  return [...kinds.slice(shift), ...kinds.slice(0, shift)];
}

/** Waits until `done()` holds, polling; resolves `false` if it still does not after `timeoutMs`. */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** CPU time of this (the load-generating) process, user + system, in microseconds. */
export function ownCpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
