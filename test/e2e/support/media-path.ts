import assert from 'node:assert/strict';
import type { UserPage } from './user-page.js';

/** The selected ICE candidate pair of each open peer connection on the page (see page-probe.js). */
export function selectedCandidatePairs(
  user: UserPage,
): Promise<({ state: string; local: string | null; remote: string | null } | null)[]> {
  return user.page.evaluate(() => window.__ringletE2e.selectedCandidatePairs());
}

/** Waits until the page's one open connection has selected a pair of these candidate types. */
export async function usesCandidatePair(
  user: UserPage,
  local: string,
  remote: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pairs = await selectedCandidatePairs(user);
  while (!(pairs.length === 1 && pairs[0]?.local === local && pairs[0]?.remote === remote)) {
    if (Date.now() > deadline) {
      assert.fail(`${user.name}: expected one ${local}/${remote} pair, got ${JSON.stringify(pairs)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    pairs = await selectedCandidatePairs(user);
  }
}

/** Video frames this page has decoded so far (all its open peer connections). */
export function framesDecoded(user: UserPage): Promise<number> {
  return user.page.evaluate(() => window.__ringletE2e.framesDecoded());
}

/** Waits until the page has decoded more than `than` video frames; returns the new count. */
export async function framesGrowBeyond(user: UserPage, than: number, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frames = await framesDecoded(user);
    if (frames > than) return frames;
    if (Date.now() > deadline) {
      assert.fail(`${user.name}: video frames stuck at ${frames} (expected more than ${than})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
