import { defineElement } from '../../define-element.js';
// The button opens a window as an overlay when the page has none: make sure it is defined.
import '../video-call-window/video-call-window.js';
import { VideoCallButton } from './video-call-button.component.js';

export { VideoCallButton };

defineElement('video-call-button', VideoCallButton);

declare global {
  interface HTMLElementTagNameMap {
    'video-call-button': VideoCallButton;
  }
}
