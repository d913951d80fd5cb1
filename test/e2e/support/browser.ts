import { chromium, type Browser } from 'playwright-core';
import {
  AUTOPLAY_WITHOUT_GESTURE,
  CHROME_PATH,
  CHROMIUM_ARGS,
  FAKE_DEVICES,
} from '../../../scripts/chromium.mjs';

export { CHROME_PATH };

// Desktop Chrome's own default, spelled out: headless may differ, and `user-gesture-required` lets a main
// frame's AudioContext start untouched.
const AUTOPLAY_AFTER_GESTURE = '--autoplay-policy=document-user-activation-required';

export interface BrowserOptions {
  /**
   * Let media play without a user gesture (default). `false` keeps Chromium's real policy, under which a
   * ring sound on an untouched page cannot start.
   */
  autoplay?: boolean;
  /**
   * Give every page Chromium's fake camera and microphone (default). `false` leaves the machine's real
   * devices, which on a server are none: getUserMedia then fails with `NotFoundError`.
   */
  fakeDevices?: boolean;
}

export function launchBrowser({
  autoplay = true,
  fakeDevices = true,
}: BrowserOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROME_PATH,
    args: [
      ...CHROMIUM_ARGS.filter((arg) => fakeDevices || arg !== FAKE_DEVICES),
      autoplay ? AUTOPLAY_WITHOUT_GESTURE : AUTOPLAY_AFTER_GESTURE,
    ],
  });
}
