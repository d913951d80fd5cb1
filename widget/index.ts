/**
 * Ringlet's widget: `<video-call-button>` and `<video-call-window>`, defined on import.
 * The same module is the entry of the single-file `widget.js` bundle and of the ESM build.
 * @module
 */
export { VideoCallButton } from './components/video-call-button/video-call-button.js';
export { VideoCallWindow, type CallWindowState } from './components/video-call-window/video-call-window.js';
export { CallStatus } from './engine/call-status.js';
export { CallLifecycle } from './engine/call-lifecycle.js';
export { CallEndReason } from './engine/call-end-reason.js';
export { ClientErrorCode, RingletError, type RingletErrorCode } from './engine/ringlet-error.js';
export type { TokenProvider } from './engine/signaling-client.js';
export {
  RingletEvent,
  type RingletCallEvent,
  type RingletCallEventDetail,
  type RingletErrorEvent,
  type RingletErrorEventDetail,
} from './events/ringlet-events.js';
export { en, type RingletStrings } from './i18n/en.js';
