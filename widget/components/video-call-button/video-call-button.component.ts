import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { RoomMember } from '../../../server/protocol.js';
import { RoomController } from '../../controllers/room-controller.js';
import type { Call } from '../../engine/call.js';
import { callHub, roomKey } from '../../engine/call-hub.js';
import type { CallLifecycleEvent } from '../../engine/call-lifecycle.js';
import { CallStatus } from '../../engine/call-status.js';
import type { RoomConfig } from '../../engine/room-registry.js';
import type { RoomSession } from '../../engine/room-session.js';
import { ClientErrorCode, RingletError } from '../../engine/ringlet-error.js';
import { ConnectionState, type TokenProvider } from '../../engine/signaling-client.js';
import { normalizeServer } from '../../engine/signaling-registry.js';
import {
  emit,
  eventNameOf,
  RingletEvent,
  type RingletCallEventDetail,
  type RingletErrorEventDetail,
} from '../../events/ringlet-events.js';
import { en } from '../../i18n/en.js';
import { defaultServer } from '../../server-origin.js';
import { RingKind, RingTone } from '../../sound/ring-tone.js';
import { buttonStyles, themeStyles } from '../../styles/theme.styles.js';
import { hangUpIcon, phoneIcon, videoIcon } from '../icons.js';
import { outcomeMessage } from './outcome-message.js';
import { videoCallButtonStyles } from './video-call-button.styles.js';

const WINDOW_TAG = 'video-call-window';

function isInCall(state: CallStatus | undefined): boolean {
  return state === CallStatus.Connecting || state === CallStatus.InCall;
}

/** A positive number of milliseconds, or `undefined` for the default. */
function validMs(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A call that rings between you and `member`: theirs ringing for you, or yours ringing them. */
function ringingWith(session: RoomSession, member: RoomMember): 'calling-you' | 'ringing' | null {
  if (session.incoming.some((call) => call.peer?.userId === member.userId)) return 'calling-you';
  const call = session.activeCall;
  if (call?.status !== CallStatus.RingingOut) return null;
  // A call to everyone rings every other member who is free.
  const rung = call.peer ? call.peer.userId === member.userId : member.status === 'available';
  return rung ? 'ringing' : null;
}

/**
 * Alone it is enough: when a call is accepted it shows in the page's `<video-call-window>` of the same
 * `room` (and `server`), or in an overlay window the button opens itself and removes after the call.
 * Ringing, both ways, happens in the button.
 *
 * @summary Shows who else is in a room, places video calls and rings for incoming ones.
 *
 * @tag video-call-button
 *
 * @event {CustomEvent<RingletCallEventDetail>} ringlet-outgoing - Your call rings. `detail`: `{ callId, room, direction: 'outgoing', peer, reason: null }` (`peer` is `null` while it rings every other member).
 * @event {CustomEvent<RingletCallEventDetail>} ringlet-incoming - Someone calls you. `detail.direction` is `incoming`, `detail.peer` the caller.
 * @event {CustomEvent<RingletCallEventDetail>} ringlet-accepted - The call was accepted (by you, or by the one you called); media is being connected.
 * @event {CustomEvent<RingletCallEventDetail>} ringlet-started - Media flows both ways (once per call).
 * @event {CustomEvent<RingletCallEventDetail>} ringlet-declined - Turned down: your call was refused (`detail.reason` `declined`, `busy`, `timeout` or `unavailable`), or you turned a call down (`declined`, or `failed` when your camera and microphone could not start).
 * @event {CustomEvent<RingletCallEventDetail>} ringlet-cancelled - The ringing was called off before an answer: you cancelled, the caller hung up (`cancelled`), or another tab answered (`answered-elsewhere`).
 * @event {CustomEvent<RingletCallEventDetail>} ringlet-missed - A call to you rang out unanswered (`detail.reason` `timeout`).
 * @event {CustomEvent<RingletCallEventDetail>} ringlet-ended - An accepted call is over (`detail.reason` `hangup`, `disconnected` or `failed`).
 * @event {CustomEvent<RingletErrorEventDetail>} ringlet-error - Something went wrong. `detail`: `{ code, message, callId, room }`, `message` being the sentence shown.
 *
 * @csspart base - The card around everything.
 * @csspart members - The list of the other members.
 * @csspart member - One member: a presence dot, the name and, in words, `(available)`, `(in a call)`, `(calling you)` or `(ringing)`.
 * @csspart status - The line that says what is happening (a polite live region).
 * @csspart actions - The row of buttons.
 * @csspart call-button - The "Call" button.
 * @csspart cancel-button - The "Cancel" button while your call rings.
 * @csspart incoming - The incoming-call notification.
 * @csspart accept-button - The "Accept" button.
 * @csspart decline-button - The "Decline" button.
 *
 * @cssproperty --ringlet-accent - Main action colour (the Call button). Default `#2563eb`.
 * @cssproperty --ringlet-accent-text - Text on the accent colour. Default `#ffffff`.
 * @cssproperty --ringlet-success - Accept and "available" colour. Default `#15803d`.
 * @cssproperty --ringlet-danger - Decline, Cancel and "in a call" colour. Default `#dc2626`.
 * @cssproperty --ringlet-on-color - Text on the success and danger colours. Default `#ffffff`.
 * @cssproperty --ringlet-surface - Background. Default `#ffffff`, or `#18181b` in dark mode.
 * @cssproperty --ringlet-surface-raised - Member chips, the incoming-call notification. Default `#f4f4f5` / `#27272a`.
 * @cssproperty --ringlet-text - Text colour. Default `#18181b` / `#f4f4f5`.
 * @cssproperty --ringlet-text-muted - Secondary text. Default `#52525b` / `#a1a1aa`.
 * @cssproperty --ringlet-border - Border colour. Default `#d4d4d8` / `#3f3f46`.
 * @cssproperty --ringlet-focus-ring - Keyboard focus outline. Default `#2563eb` / `#93c5fd`.
 * @cssproperty --ringlet-radius - Corner radius. Default `14px`.
 * @cssproperty --ringlet-font - Font family. Default the system UI font.
 */
export class VideoCallButton extends LitElement {
  static override styles = [themeStyles, buttonStyles, videoCallButtonStyles];
  // Lit's reactive properties, declared without decorators (less code in the bundle); each field is
  // documented below.
  static override properties = {
    room: { reflect: true },
    userId: { attribute: 'user-id', reflect: true },
    userName: { attribute: 'user-name', reflect: true },
    server: { reflect: true },
    token: {},
    tokenProvider: { attribute: false },
    calleeId: { attribute: 'callee-id', reflect: true },
    iceTransportPolicy: { attribute: 'ice-transport-policy', reflect: true },
    reconnectTimeoutMs: { attribute: 'reconnect-timeout-ms', type: Number, reflect: true },
    state: { reflect: true },
  };
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** The room id (1-64 characters of `A-Za-z0-9_.:@-`): everyone in the same room can ring each other. Required. */
  room?: string;
  /** Your user id in the room. Required (with `AUTH_SECRET` the token decides it). */
  userId?: string;
  /** Your display name, shown to the people you call. Defaults to `user-id`. */
  userName?: string;
  /** The signaling service URL. Defaults to the origin that served widget.js. */
  server?: string;
  /** A token for services that require one (`AUTH_SECRET`). Not reflected, to keep it out of the DOM. */
  token?: string;
  /**
   * Asked for a token before every (re)connect (may return a promise); wins over `token`.
   * @type {() => string | Promise<string>}
   */
  tokenProvider?: TokenProvider;
  /** Ring only this member; without it a call rings every other member of the room. */
  calleeId?: string;
  /**
   * `relay` sends the media of your calls only through the TURN servers the service hands out (`TURN_URLS`):
   * the other side never learns your address, and the call fails with a plain message ("the relay server
   * refused the credentials") rather than fall back to a direct path. `all` (the default) lets the browser
   * pick the best path. Read when a call connects.
   * @type {'all' | 'relay'}
   */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /**
   * How long, in milliseconds, a call whose media connection dropped keeps trying to come back ("Reconnecting…",
   * with ICE restarts) before it ends with a plain message. Default 20000.
   */
  reconnectTimeoutMs?: number;
  /**
   * Read only: the call state, mirrored to the `state` attribute for styling.
   * @type {'idle' | 'ringing-out' | 'ringing-in' | 'connecting' | 'in-call' | 'ended' | 'error'}
   * @default 'idle'
   */
  state: CallStatus = CallStatus.Idle;

  readonly #roomController = new RoomController(this, () => this.#roomConfig(), {
    lifecycle: (event) => this.#onLifecycle(event),
    error: (error, callId) => this.#onError(error, callId),
  });
  readonly #ringTone = new RingTone(() => this.requestUpdate());
  /** The window this button opened because the page has none for its room. */
  #overlayWindow: HTMLElement | null = null;
  #hadFocus = false;

  /**
   * Calls `callee-id`, or every other member. Resolves once it rings; rejects with a `RingletError`
   * (`code` as in `ringlet-error`) when the call cannot be placed.
   */
  async call(): Promise<void> {
    await this.#requireSession().call(this.calleeId || undefined);
    await this.updateComplete;
  }

  /** Answers the call ringing for you (or the one with `callId`). Rejects with a `RingletError`. */
  async accept(callId?: string): Promise<void> {
    await this.#requireSession().accept(callId);
    await this.updateComplete;
  }

  /** Declines the call ringing for you (or the one with `callId`). Rejects with a `RingletError`. */
  async decline(callId?: string): Promise<void> {
    await this.#requireSession().decline(callId);
    await this.updateComplete;
  }

  /** Cancels your ringing call, hangs up the call in progress, or declines the one ringing for you. */
  async hangUp(): Promise<void> {
    await this.#session?.hangUp();
    await this.updateComplete;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#ringTone.stop();
    this.#closeOverlayWindow();
  }

  protected override willUpdate(): void {
    this.#roomController.sync();
    this.state = this.#session?.status ?? CallStatus.Idle;
    // Before render, which says whether the ring can be heard.
    this.#updateRing();
    this.#hadFocus = this.shadowRoot?.activeElement != null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.#session?.activeCall?.wasAccepted) this.#closeOverlayWindow();
    if (!changed.has('state')) return;
    const callJustEnded = isInCall(changed.get('state')) && !isInCall(this.state);
    const focusLost = typeof document !== 'undefined' && document.activeElement === document.body;
    // The focused control was replaced (Call → Cancel...), or the call window that had focus closed:
    // bring keyboard focus back here rather than leave it on the page's body.
    if ((this.#hadFocus && !this.shadowRoot?.activeElement) || (callJustEnded && focusLost)) {
      this.renderRoot.querySelector<HTMLElement>('[data-primary]')?.focus();
    }
  }

  protected override render(): TemplateResult {
    const session = this.#session;
    const ringing = this.state === CallStatus.RingingIn ? session?.ringingCall : null;
    return html`<div part="base" class="base">
      ${session ? this.#renderMembers(session) : nothing} ${ringing ? this.#renderIncoming(ringing) : nothing}
      <p part="status" class="status" role="status">${this.#statusText(session) || nothing}</p>
      <div part="actions" class="actions">${this.#renderActions(session)}</div>
    </div>`;
  }

  get #session(): RoomSession | null {
    return this.#roomController.session;
  }

  get #effectiveServer(): string {
    return this.server || defaultServer;
  }

  #roomConfig(): RoomConfig | null {
    if (!this.room || !this.userId) return null;
    return {
      server: this.#effectiveServer,
      roomId: this.room,
      userId: this.userId,
      userName: this.userName || this.userId,
      token: this.token,
      tokenProvider: this.tokenProvider,
      iceTransportPolicy: this.iceTransportPolicy === 'relay' ? 'relay' : 'all',
      timing: { reconnectTimeoutMs: validMs(this.reconnectTimeoutMs) },
    };
  }

  #requireSession(): RoomSession {
    const session = this.#session;
    if (!session) throw new RingletError(ClientErrorCode.NotConfigured, en.notConfigured);
    return session;
  }

  #renderMembers(session: RoomSession): TemplateResult {
    const others = session.others;
    if (others.length === 0) return html`<p class="empty">${session.joined ? en.nobodyElse : nothing}</p>`;
    return html`<ul part="members" class="members" aria-label=${en.membersLabel}>
      ${others.map((member) => {
        const ringing = ringingWith(session, member);
        const label = ringing
          ? ringing === 'calling-you'
            ? en.callingYou
            : en.ringing
          : member.status === 'available'
            ? en.available
            : en.inCall;
        return html`<li
          part="member"
          class="member"
          data-status=${member.status}
          data-ringing=${ringing ?? nothing}
        >
          <span class="presence-dot" aria-hidden="true"></span>
          <span class="member-name">${member.userName}</span>
          <span class="member-status">(${label})</span>
        </li>`;
      })}
    </ul>`;
  }

  #renderIncoming(call: Call): TemplateResult {
    const name = call.peer?.userName ?? en.someone;
    const soundBlocked = this.#ringTone.playing !== null && !this.#ringTone.audible;
    return html`<div part="incoming" class="incoming" role="group" aria-label=${en.incomingTitle}>
      <p class="incoming-title" role="alert">${phoneIcon}<span>${en.incomingFrom(name)}</span></p>
      ${soundBlocked ? html`<p class="hint">${en.soundBlocked}</p>` : nothing}
      <div class="actions">
        <button
          part="accept-button"
          class="button button--success"
          type="button"
          ?disabled=${call.accepting}
          @click=${() => this.#run(() => this.accept(call.id))}
        >
          ${videoIcon}${en.accept}
        </button>
        <button
          part="decline-button"
          class="button button--danger"
          type="button"
          @click=${() => this.#run(() => this.decline(call.id))}
        >
          ${hangUpIcon}${en.decline}
        </button>
      </div>
    </div>`;
  }

  #renderActions(session: RoomSession | null): TemplateResult | typeof nothing {
    switch (this.state) {
      case CallStatus.RingingOut:
        return html`<button
          part="cancel-button"
          class="button button--danger"
          type="button"
          data-primary
          @click=${() => this.#run(() => this.hangUp())}
        >
          ${hangUpIcon}${en.cancel}
        </button>`;
      case CallStatus.RingingIn:
      case CallStatus.Connecting:
      case CallStatus.InCall:
        return nothing;
      default: {
        const callee = this.#calleeName(session);
        const canCall = this.#canCall(session);
        // aria-disabled, not disabled: the button keeps focus while no one can be called (e.g. right after
        // a call, until presence says the other side is available again).
        return html`<button
          part="call-button"
          class="button button--accent"
          type="button"
          data-primary
          aria-disabled=${canCall ? 'false' : 'true'}
          @click=${() => {
            if (canCall) this.#run(() => this.call());
          }}
        >
          ${videoIcon}${callee ? en.callPerson(callee) : en.call}
        </button>`;
      }
    }
  }

  #statusText(session: RoomSession | null): string {
    if (!session) return en.notConfigured;
    switch (session.connectionState) {
      case ConnectionState.Connecting:
        return en.connectingToService;
      case ConnectionState.Reconnecting:
        return en.reconnectingToService;
      case ConnectionState.Refused:
        return session.signaling.lastError
          ? en.errors[session.signaling.lastError.code]
          : en.errors['token-invalid'];
      default:
        break;
    }
    if (session.joinError) return en.errors[session.joinError.code];
    const peerName = session.activeCall?.peer?.userName ?? session.placingPeer?.userName ?? null;
    switch (this.state) {
      case CallStatus.RingingOut:
        return en.calling(peerName);
      case CallStatus.Connecting:
        return en.connecting;
      case CallStatus.InCall:
        return en.inCallWith(peerName ?? en.someone);
      case CallStatus.Ended:
      case CallStatus.Error:
        return session.outcome ? outcomeMessage(session.outcome, en) : '';
      default:
        return '';
    }
  }

  /** The name for "Call <name>": the `callee-id` member, or the only other member. */
  #calleeName(session: RoomSession | null): string | null {
    const others = session?.others ?? [];
    if (this.calleeId) return others.find((m) => m.userId === this.calleeId)?.userName ?? this.calleeId;
    return others.length === 1 ? (others[0]?.userName ?? null) : null;
  }

  #canCall(session: RoomSession | null): boolean {
    if (!session?.joined || session.connectionState !== ConnectionState.Connected) return false;
    const candidates = this.calleeId
      ? session.others.filter((m) => m.userId === this.calleeId)
      : session.others;
    return candidates.some((member) => member.status === 'available');
  }

  #updateRing(): void {
    if (this.state === CallStatus.RingingIn) this.#ringTone.start(RingKind.Incoming);
    else if (this.state === CallStatus.RingingOut && this.#session?.activeCall)
      this.#ringTone.start(RingKind.Outgoing);
    else this.#ringTone.stop();
  }

  #onLifecycle(event: CallLifecycleEvent): void {
    if (event.type === 'accepted') this.#openOverlayWindowIfNeeded();
    const detail: RingletCallEventDetail = {
      callId: event.callId,
      room: this.room ?? '',
      direction: event.direction,
      peer: event.peer,
      reason: event.reason,
    };
    emit(this, eventNameOf(event.type), detail);
  }

  #onError(error: RingletError, callId: string | null): void {
    const detail: RingletErrorEventDetail = {
      code: error.code,
      message: en.errors[error.code],
      callId,
      room: this.room ?? '',
    };
    emit(this, RingletEvent.Error, detail);
  }

  /** CONTRACT §2: the call shows in the page's window for this room, or in an overlay the button opens. */
  #openOverlayWindowIfNeeded(): void {
    if (!this.room || this.#overlayWindow || typeof document === 'undefined') return;
    if (callHub.hasDisplay(roomKey(normalizeServer(this.#effectiveServer), this.room))) return;
    const overlay = document.createElement(WINDOW_TAG);
    overlay.setAttribute('room', this.room);
    overlay.setAttribute('server', this.#effectiveServer);
    overlay.setAttribute('overlay', '');
    document.body.append(overlay);
    this.#overlayWindow = overlay;
  }

  #closeOverlayWindow(): void {
    this.#overlayWindow?.remove();
    this.#overlayWindow = null;
  }

  /** Runs a user action; its failure is already shown and dispatched as `ringlet-error`. */
  #run(action: () => Promise<void>): void {
    action().catch(() => undefined);
  }
}
