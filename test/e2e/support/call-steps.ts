import assert from 'node:assert/strict';
import { mediaReleased, widgetEvents } from './checks.js';
import { framesDecoded, framesGrowBeyond } from './media-path.js';
import { callWindow, control } from './ui.js';
import type { UserPage } from './user-page.js';

/** Media keeps coming: both pages decode new frames (twice, so it is a flow, not a last burst). */
export async function mediaFlows(...users: UserPage[]): Promise<void> {
  for (let round = 0; round < 2; round++) {
    await Promise.all(users.map(async (user) => framesGrowBeyond(user, await framesDecoded(user))));
  }
}

/**
 * `ending` (shown to the other as `endingName`) clicks End call: the other side is told in plain words, both
 * windows close, both release camera and microphone, and the other side's widget reports a hang-up.
 */
export async function hangUpEndsItOnBothSides(
  ending: UserPage,
  other: UserPage,
  endingName: string,
): Promise<void> {
  await control(ending.page, 'End call').click();
  await other.page.getByText(`${endingName} ended the call.`).waitFor();
  await Promise.all([
    callWindow(ending.page).waitFor({ state: 'hidden' }),
    callWindow(other.page).waitFor({ state: 'hidden' }),
  ]);
  await Promise.all([mediaReleased(ending), mediaReleased(other)]);
  assert.deepEqual(
    (await widgetEvents(other, 'ringlet-ended')).filter((event) => event.startsWith('ringlet-ended')),
    ['ringlet-ended:hangup'],
  );
}
