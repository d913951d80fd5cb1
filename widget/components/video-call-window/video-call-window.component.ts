import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { CallDisplayController } from '../../controllers/call-display-controller.js';
import { TickerController } from '../../controllers/ticker-controller.js';
import type { Call } from '../../engine/call.js';
import { CallStatus } from '../../engine/call-status.js';
import { toRingletError, ClientErrorCode } from '../../engine/ringlet-error.js';
import { emit, RingletEvent, type RingletErrorEventDetail } from '../../events/ringlet-events.js';
import { en } from '../../i18n/en.js';
import { formatDuration } from '../../i18n/format-duration.js';
import { defaultServer } from '../../server-origin.js';
import { buttonStyles, themeStyles } from '../../styles/theme.styles.js';
import { hangUpIcon, micIcon, micOffIcon, videoIcon, videoOffIcon } from '../icons.js';
import { videoCallWindowStyles } from './video-call-window.styles.js';

/** What a window shows: nothing (hidden), a call being connected, or a call in progress. */
export type CallWindowState =
  typeof CallStatus.Idle | typeof CallStatus.Connecting | typeof CallStatus.InCall;

/**
 * Place one where calls should appear; it shows itself while a call of its room is accepted and hides
 * afterwards (it is never removed). Without one, `<video-call-button>` opens one as an overlay. It takes the
 * width of its container and shrinks with it; narrower than 480 px, its controls show their labels under
 * the icons, in one row down to about 260 px.
 *
 * @summary Shows the video call of its room: your mirrored preview, the other person's video and the call controls.
 *
 * @tag video-call-window
 *
 * @event {CustomEvent<RingletErrorEventDetail>} ringlet-error - Turning the camera back on, or taking a microphone to unmute, failed. `detail`: `{ code, message, callId, room }`, `message` being the sentence shown in the window.
 *
 * @csspart base - The window (a `<dialog>` in overlay mode).
 * @csspart header - The top bar with the other person's name and the duration.
 * @csspart peer-name - The other person's name.
 * @csspart duration - The call duration (`m:ss`).
 * @csspart stage - The video area.
 * @csspart remote-video - The other person's video.
 * @csspart local-video - Your mirrored preview.
 * @csspart connecting - The "Connecting…" notice.
 * @csspart remote-camera-off - Shown while the other person's camera is off.
 * @csspart remote-muted - Shown while the other person's microphone is off.
 * @csspart controls - The row of call controls.
 * @csspart mute-button - "Mute" / "Unmute".
 * @csspart camera-button - "Turn camera off" / "Turn camera on".
 * @csspart end-button - "End call".
 * @csspart tap-to-hear-button - "Tap to hear": shown when the browser refused to play the other person's sound
 *   (autoplay blocked: the page was never touched and captures no camera or microphone, e.g. a receive-only
 *   call answered by a script); the video plays muted meanwhile, and a tap turns the sound on.
 * @csspart notice - A plain-words notice: your camera or microphone stopped (unplugged), a control failed.
 *
 * @cssproperty --ringlet-accent - The avatar shown while the other camera is off. Default `#2563eb`.
 * @cssproperty --ringlet-accent-text - The avatar's initial. Default `#ffffff`.
 * @cssproperty --ringlet-danger - The End call button. Default `#dc2626`.
 * @cssproperty --ringlet-on-color - Text on the End call button. Default `#ffffff`.
 * @cssproperty --ringlet-surface - Window background. Default `#ffffff`, or `#18181b` in dark mode.
 * @cssproperty --ringlet-surface-raised - Control buttons. Default `#f4f4f5` / `#27272a`.
 * @cssproperty --ringlet-text - Text colour. Default `#18181b` / `#f4f4f5`.
 * @cssproperty --ringlet-text-muted - The duration. Default `#52525b` / `#a1a1aa`.
 * @cssproperty --ringlet-border - Border colour. Default `#d4d4d8` / `#3f3f46`.
 * @cssproperty --ringlet-focus-ring - Keyboard focus outline. Default `#2563eb` / `#93c5fd`.
 * @cssproperty --ringlet-radius - Corner radius. Default `14px`.
 * @cssproperty --ringlet-font - Font family. Default the system UI font.
 * @cssproperty --ringlet-video-background - Behind the videos. Default `#111114`.
 * @cssproperty --ringlet-video-aspect-ratio - The video area's shape in a placed window. Default `16 / 9`.
 * @cssproperty --ringlet-video-fit - `object-fit` of the other person's video. Default `contain` (`cover` full screen on phones).
 * @cssproperty --ringlet-shadow - The overlay's shadow. Default `0 10px 30px rgb(0 0 0 / 0.18)` (`0.5` in dark mode).
 */
export class VideoCallWindow extends LitElement {
  static override styles = [themeStyles, buttonStyles, videoCallWindowStyles];
  // Lit's reactive properties, declared without decorators (less code in the bundle); each field is
  // documented below. `state: true` ones are internal: they re-render but have no attribute.
  static override properties = {
    room: { reflect: true },
    server: { reflect: true },
    overlay: { type: Boolean, reflect: true },
    state: { reflect: true },
    cameraSwitching: { state: true },
    soundBlocked: { state: true },
    notice: { state: true },
  };

  /** The room whose calls this window shows (the `room` of the page's `<video-call-button>`). Required. */
  room?: string;
  /** The signaling service URL. Defaults to the origin that served widget.js. */
  server?: string;
  /** Show as a modal overlay (full screen on phones). Set on the window a button opens itself. */
  overlay = false;
  /**
   * Read only: what the window shows (`idle` is hidden), mirrored to the `state` attribute.
   * @type {'idle' | 'connecting' | 'in-call'}
   * @default 'idle'
   */
  state: CallWindowState = CallStatus.Idle;

  private cameraSwitching = false;
  /** The browser refused to play the other side's sound: the video plays muted until a tap. */
  private soundBlocked = false;
  /** A control failed (e.g. the camera could not be turned back on): said in plain words. */
  private notice: string | null = null;

  readonly #display = new CallDisplayController(
    this,
    () => (this.room ? { server: this.server || defaultServer, roomId: this.room } : null),
    () => this.#attachRemoteStream(true),
  );
  readonly #ticker = new TickerController(this);
  #returnFocusTo: HTMLElement | null = null;
  #attachedLocalTrack: string | null = null;

  get #base(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.base') ?? null;
  }

  get #remoteVideo(): HTMLVideoElement | null {
    return this.renderRoot?.querySelector<HTMLVideoElement>('.remote-video') ?? null;
  }

  get #localVideo(): HTMLVideoElement | null {
    return this.renderRoot?.querySelector<HTMLVideoElement>('.local-video') ?? null;
  }

  /** Read only: the call shown, if any (`null` while hidden). */
  get call(): Call | null {
    return this.#display.call;
  }

  /** Hangs up the call shown; resolves once the window has updated. */
  async hangUp(): Promise<void> {
    await this.call?.hangUp();
    await this.updateComplete;
  }

  /** Mutes (`false`) or unmutes (`true`) your microphone; the other side is told. */
  setMicrophoneEnabled(enabled: boolean): void {
    const call = this.call;
    if (!call) return;
    // No microphone to unmute (receive-only, or unplugged): ask for one.
    if (enabled && !call.hasMicrophone) {
      this.notice = null;
      call.addMicrophone().catch((error: unknown) => this.#reportFailure(error));
      return;
    }
    call.setMicrophoneEnabled(enabled);
  }

  /** Turns the camera off, or on again (which may ask for the camera). Rejects with a coded error. */
  async setCameraEnabled(enabled: boolean): Promise<void> {
    const call = this.call;
    if (!call) return;
    this.cameraSwitching = true;
    try {
      await call.setCameraEnabled(enabled);
    } finally {
      this.cameraSwitching = false;
    }
    await this.updateComplete;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#restoreFocus();
  }

  protected override willUpdate(): void {
    this.#display.sync();
    const status = this.call?.status;
    this.state =
      status === CallStatus.InCall
        ? CallStatus.InCall
        : status === CallStatus.Connecting
          ? CallStatus.Connecting
          : CallStatus.Idle;
    this.#ticker.setRunning(this.state === CallStatus.InCall);
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.#attachLocalStream();
    this.#attachRemoteStream(false);
    if (!changed.has('state')) return;
    // The first update reports no previous value: the window starts hidden.
    const previous = changed.get('state') ?? CallStatus.Idle;
    if (previous === this.state) return;
    if (previous === CallStatus.Idle) this.#onShown();
    if (this.state === CallStatus.Idle) this.#onHidden();
  }

  protected override render(): TemplateResult | typeof nothing {
    const call = this.call;
    if (!call || this.state === CallStatus.Idle) return nothing;
    const peerName = call.peer?.userName ?? en.someone;
    const content = html`${this.#renderHeader(call, peerName)}${this.#renderStage(call, peerName)}${this.#renderControls(call)}`;
    if (this.overlay) {
      return html`<dialog
        part="base"
        class="base"
        aria-label=${en.callWindowLabel(peerName)}
        @cancel=${(event: Event) => event.preventDefault()}
      >
        ${content}
      </dialog>`;
    }
    return html`<section part="base" class="base" aria-label=${en.callWindowLabel(peerName)} tabindex="-1">
      ${content}
    </section>`;
  }

  #renderHeader(call: Call, peerName: string): TemplateResult {
    const duration =
      this.state === CallStatus.InCall && call.startedAt !== null
        ? formatDuration(Date.now() - call.startedAt)
        : '';
    return html`<div part="header" class="header">
      <h2 part="peer-name" class="peer-name">${peerName}</h2>
      <span part="duration" class="duration" role="timer" aria-label=${en.duration}>${duration}</span>
    </div>`;
  }

  #renderStage(call: Call, peerName: string): TemplateResult {
    const connecting = this.state === CallStatus.Connecting;
    const localVideoOn = call.localMedia.video;
    return html`<div part="stage" class="stage">
      <video
        part="remote-video"
        class="remote-video"
        autoplay
        playsinline
        aria-label=${en.theirVideo(peerName)}
      ></video>
      ${
        !connecting && !call.remoteMedia.video
          ? html`<div part="remote-camera-off" class="overlay-message">
              <span class="avatar" aria-hidden="true">${initial(peerName)}</span>
              <p>${en.theirCameraOff(peerName)}</p>
            </div>`
          : nothing
      }
      ${
        connecting
          ? html`<div part="connecting" class="overlay-message" role="status">
              <span class="spinner" aria-hidden="true"></span>
              <p>${call.startedAt === null ? en.connecting : en.reconnecting}</p>
            </div>`
          : nothing
      }
      <div class="badges">
        ${
          !call.remoteMedia.audio
            ? html`<p part="remote-muted" class="badge">${micOffIcon}${en.theirMicOff(peerName)}</p>`
            : nothing
        }
        ${!call.localMedia.audio ? html`<p class="badge">${micOffIcon}${en.yourMicOff}</p>` : nothing}
        ${
          call.receiveOnly
            ? html`<p class="badge">${videoOffIcon}${en.receiveOnly}</p>`
            : call.audioOnly && !localVideoOn
              ? html`<p class="badge">${videoOffIcon}${en.noCamera}</p>`
              : nothing
        }
        ${this.#renderNotice(call)}
        ${
          this.soundBlocked && (call.remoteStream?.getAudioTracks().length ?? 0) > 0
            ? html`<button
                part="tap-to-hear-button"
                class="button button--accent"
                type="button"
                title=${en.soundBlockedInCall}
                @click=${() => this.#tapToHear()}
              >
                ${en.tapToHear}
              </button>`
            : nothing
        }
      </div>
      <video
        part="local-video"
        class="local-video"
        autoplay
        playsinline
        muted
        .muted=${true}
        ?data-off=${!localVideoOn}
        aria-label=${en.yourVideo}
      ></video>
    </div>`;
  }

  #renderControls(call: Call): TemplateResult {
    const { audio, video } = call.localMedia;
    return html`<div part="controls" class="controls">
      <button
        part="mute-button"
        class="button"
        type="button"
        @click=${() => this.setMicrophoneEnabled(!audio)}
      >
        ${audio ? micIcon : micOffIcon}${audio ? en.mute : en.unmute}
      </button>
      <button
        part="camera-button"
        class="button"
        type="button"
        ?disabled=${this.cameraSwitching}
        @click=${() => this.#toggleCamera(!video)}
      >
        ${video ? videoIcon : videoOffIcon}${video ? en.cameraOff : en.cameraOn}
      </button>
      <button
        part="end-button"
        class="button button--danger"
        type="button"
        @click=${() => void this.hangUp()}
      >
        ${hangUpIcon}${en.endCall}
      </button>
    </div>`;
  }

  /** A control that failed, or a device that stopped by itself (unplugged): said once, in plain words. */
  #renderNotice(call: Call): TemplateResult | typeof nothing {
    const lost =
      call.lostDevice === 'camera'
        ? en.cameraStopped
        : call.lostDevice === 'microphone'
          ? en.microphoneStopped
          : null;
    const text = this.notice ?? lost;
    return text ? html`<p part="notice" class="badge" role="alert">${text}</p>` : nothing;
  }

  #toggleCamera(enabled: boolean): void {
    this.notice = null;
    this.setCameraEnabled(enabled).catch((error: unknown) => this.#reportFailure(error));
  }

  /** A control failed (a camera or microphone that cannot start): say so here and tell the host page. */
  #reportFailure(error: unknown): void {
    const failure = toRingletError(error, ClientErrorCode.DeviceBusy);
    this.notice = en.errors[failure.code];
    const detail: RingletErrorEventDetail = {
      code: failure.code,
      message: en.errors[failure.code],
      callId: this.call?.id ?? null,
      room: this.room ?? '',
    };
    emit(this, RingletEvent.Error, detail);
  }

  #attachLocalStream(): void {
    const video = this.#localVideo;
    const stream = this.call?.localStream ?? null;
    if (!video) return;
    // A camera turned back on is a new track: attach again so the preview shows it.
    const trackId = stream?.getVideoTracks()[0]?.id ?? null;
    if (video.srcObject === stream && trackId === this.#attachedLocalTrack) return;
    this.#attachedLocalTrack = trackId;
    video.srcObject = stream;
  }

  #attachRemoteStream(force: boolean): void {
    const video = this.#remoteVideo;
    const stream = this.call?.remoteStream ?? null;
    if (!video || (video.srcObject === stream && !force)) return;
    // Re-attaching makes the element pick up tracks added since (e.g. a camera turned on later).
    video.srcObject = null;
    video.srcObject = stream;
    // An empty stream waits for its tracks (they re-attach it): Chromium refuses an unmuted play() even
    // before it knows whether there is any sound.
    if (stream && stream.getTracks().length > 0) this.#playRemote(video);
  }

  /**
   * Chromium lets a MediaStream play with sound while the page captures camera or microphone, as it does in
   * most calls. A page that was never touched and captures nothing (a receive-only call answered by a
   * script) is refused with `NotAllowedError`: then play muted, so the video shows, and offer "Tap to hear".
   * Any other rejection is a re-attach interrupting play(), which the next attach repeats.
   */
  #playRemote(video: HTMLVideoElement): void {
    video.play().catch((error: unknown) => {
      if (!(error instanceof DOMException) || error.name !== 'NotAllowedError') return;
      if (video !== this.#remoteVideo) return;
      video.muted = true;
      this.soundBlocked = true;
      video.play().catch(() => undefined);
    });
  }

  /** The user's tap is the activation the browser wanted: play again, with sound. */
  #tapToHear(): void {
    const video = this.#remoteVideo;
    if (!video) return;
    video.muted = false;
    video.play().then(
      () => {
        this.soundBlocked = false;
      },
      () => {
        // Still refused (not a real user gesture): stay muted, keep offering the control.
        video.muted = true;
        video.play().catch(() => undefined);
      },
    );
  }

  #onShown(): void {
    const active = document.activeElement;
    this.#returnFocusTo = active instanceof HTMLElement && active !== document.body ? active : null;
    const base = this.#base;
    if (base instanceof HTMLDialogElement) {
      if (!base.open) base.showModal();
      return;
    }
    // Move focus in when the control that started the call is gone (Accept) or nothing has focus.
    if (!this.#returnFocusTo || this.#returnFocusTo.localName === 'video-call-button') base?.focus();
  }

  #onHidden(): void {
    this.notice = null;
    this.soundBlocked = false;
    this.#attachedLocalTrack = null;
    this.#restoreFocus();
  }

  #restoreFocus(): void {
    const target = this.#returnFocusTo;
    this.#returnFocusTo = null;
    if (!target?.isConnected) return;
    const active = document.activeElement;
    if (active === null || active === document.body || active === this) target.focus();
  }
}

function initial(name: string): string {
  return (name.trim()[0] ?? '?').toUpperCase();
}
