import { defineElement } from '../../define-element.js';
import { VideoCallWindow } from './video-call-window.component.js';

export { VideoCallWindow };
export type { CallWindowState } from './video-call-window.component.js';

defineElement('video-call-window', VideoCallWindow);

declare global {
  interface HTMLElementTagNameMap {
    'video-call-window': VideoCallWindow;
  }
}
