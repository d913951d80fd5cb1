/** Heap measurements for the fuzz test and the long fuzz run. */
import { setTimeout as sleep } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';

/** `global.gc`, even when node was started without --expose-gc; undefined if the runtime will not. */
export function findGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** heapUsed after full collections (and a moment for sockets' close handlers to run). */
export async function settledHeap(gc: (() => void) | undefined, pauseMs = 50): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    await sleep(pauseMs);
    gc?.();
  }
  return process.memoryUsage().heapUsed;
}
