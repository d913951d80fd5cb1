import { chromium, type Browser } from 'playwright-core';

/** Where Chromium lives; set CHROME_PATH to use a Chrome installed elsewhere. */
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

// TESTING.md: what works headless as root with a fake camera and microphone, and no traffic off loopback.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
];
const AUTOPLAY_WITHOUT_GESTURE = '--autoplay-policy=no-user-gesture-required';
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

const FAKE_DEVICES = '--use-fake-device-for-media-stream';

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
