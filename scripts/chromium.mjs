// How every browser test and benchmark starts Chromium (see ../shared/TESTING.md): headless as root, a fake
// camera and microphone, and no traffic off loopback. One list, for @web/test-runner, playwright and bench.

/** Where Chromium lives; set CHROME_PATH to use a Chrome installed elsewhere. */
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export const FAKE_DEVICES = '--use-fake-device-for-media-stream';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-ui-for-media-stream',
  FAKE_DEVICES,
  '--allow-loopback-in-peer-connection',
];

/** Media plays without a user gesture; left out where a test proves the handling of blocked autoplay. */
export const AUTOPLAY_WITHOUT_GESTURE = '--autoplay-policy=no-user-gesture-required';
