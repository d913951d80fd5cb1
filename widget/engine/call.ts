import type {
  CallSession,
  IceServer,
  RelayedDescription,
  RelayedIceCandidate,
  RelayedMediaState,
} from '../../server/protocol.js';
import { ErrorCode } from '../../server/protocol.js';
import { CallEndReason, EndedBy } from './call-end-reason.js';
import { CallStatus, canTransition, isFinal } from './call-status.js';
import { LocalMedia, type LostDevice, type MediaState } from './local-media.js';
import { mediaErrorFrom } from './media-errors.js';
import { PeerLink } from './peer-link.js';
import { ClientErrorCode, RingletError, toRingletError } from './ringlet-error.js';
import type { SignalingClient } from './signaling-client.js';
import { TypedEmitter } from './typed-emitter.js';

export interface Participant {
  userId: string;
  userName: string;
}

export type CallDirection = 'outgoing' | 'incoming';

/** How a call ended; set once it is over. */
export interface CallEnding {
  reason: CallEndReason;
  by: EndedBy;
  /** Set when the call failed (status `error`). */
  error: RingletError | null;
}

export interface CallTiming {
  /** How long an accepted call may take to get media flowing. */
  connectTimeoutMs: number;
  /**
   * How long a call whose media path dropped may take to come back before it ends with
   * `connection-lost`; meanwhile the window says "Reconnecting…" and ICE restarts keep trying.
   */
  reconnectTimeoutMs: number;
  /** How long the media path may stay `disconnected` (often a transient hiccup) before an ICE restart. */
  iceRestartDelayMs: number;
  /** While the media path stays down, how often to try another ICE restart. */
  iceRestartRetryMs: number;
}

/** What a call needs from the room it belongs to. */
export interface CallContext {
  signaling: SignalingClient;
  roomId: string;
  self: Participant;
  /** The ICE servers of the latest `join-room` ack: never hard-coded. */
  iceServers(): IceServer[];
  /** `relay` forces media through TURN (read when the media connection is made). */
  iceTransportPolicy(): RTCIceTransportPolicy;
  /** Read at each use, so a changed setting applies to the call in progress. */
  timing: CallTiming;
}

export interface StatusChange {
  call: Call;
  from: CallStatus;
  to: CallStatus;
}

export interface CallEvents {
  /** Anything observable changed: status, media states, remote tracks. */
  change: Call;
  status: StatusChange;
  /** The other side's stream gained or lost a track; re-attach it to a video element. */
  'remote-tracks': MediaStream;
}

export interface CallInit {
  id: string;
  direction: CallDirection;
  status: typeof CallStatus.RingingOut | typeof CallStatus.RingingIn;
  /** `null` while a call rings several members: whoever answers becomes the peer. */
  peer: Participant | null;
  /** The caller's camera and microphone, taken before it rings anyone. */
  media?: LocalMedia;
}

const NO_MEDIA: MediaState = { audio: false, video: false };

/**
 * One call from ringing to its end. It listens to the signaling events of its own `callId`,
 * owns the local media and the {@link PeerLink}, and releases all of them in one place: `finish()`.
 */
export class Call {
  readonly events = new TypedEmitter<CallEvents>();
  readonly id: string;
  readonly roomId: string;
  readonly direction: CallDirection;
  peer: Participant | null;
  #currentStatus: CallStatus;
  /** Set when the call is over. */
  ending: CallEnding | null = null;
  /** When media first flowed (ms since epoch), for the call duration. */
  startedAt: number | null = null;
  /** The other side's camera and microphone, from its `media-state` messages. */
  remoteMedia: MediaState = { audio: true, video: true };
  /** Set while the callee is getting its camera and answering. */
  accepting = false;
  /** A device that stopped by itself during the call (unplugged), until it is turned back on. */
  lostDevice: LostDevice | null = null;

  #media: LocalMedia | null;
  #link: PeerLink | null = null;
  #resumeToken: string | null = null;
  #earlySignals: (() => void)[] = [];
  readonly #subscriptions: (() => void)[] = [];
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  /** The media path dropped after connecting (or failed before): ICE restarts are under way. */
  #mediaDown = false;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;
  #restartAttempts = 0;
  readonly #ctx: CallContext;

  constructor(ctx: CallContext, init: CallInit) {
    this.#ctx = ctx;
    this.id = init.id;
    this.roomId = ctx.roomId;
    this.direction = init.direction;
    this.#currentStatus = init.status;
    this.peer = init.peer;
    this.#media = init.media ?? null;
    this.#listen();
  }

  get status(): CallStatus {
    return this.#currentStatus;
  }

  get isOver(): boolean {
    return isFinal(this.#currentStatus);
  }

  /** Whether the call got past ringing (someone accepted it). */
  get wasAccepted(): boolean {
    return this.#resumeToken !== null;
  }

  get localStream(): MediaStream | null {
    return this.#media?.stream ?? null;
  }

  /** The call went ahead without a camera (none found, or busy). */
  get audioOnly(): boolean {
    return this.#media?.audioOnly ?? false;
  }

  /** The call went ahead with neither camera nor microphone: you see and hear, the other side does not. */
  get receiveOnly(): boolean {
    return this.#media?.receiveOnly ?? false;
  }

  get localMedia(): MediaState {
    return this.#media?.state ?? NO_MEDIA;
  }

  get remoteStream(): MediaStream | null {
    return this.#link?.remoteStream ?? null;
  }

  /** The underlying connection, for `getStats()`; `null` before the call is accepted. */
  get peerConnection(): RTCPeerConnection | null {
    return this.#link?.connection ?? null;
  }

  /** Callee: takes the camera and microphone and answers. Rejects with a coded error. */
  async accept(): Promise<void> {
    if (this.#currentStatus !== CallStatus.RingingIn || this.accepting) return;
    this.accepting = true;
    this.#emitChange();
    let media: LocalMedia;
    try {
      media = await LocalMedia.acquire();
    } catch (error) {
      const failure = mediaErrorFrom(error);
      // Without a camera or microphone we cannot take the call: let the caller know at once.
      this.#sendResponse(false);
      this.#finish(CallEndReason.Failed, EndedBy.You, failure);
      throw failure;
    }
    if (this.isOver) {
      media.stop();
      return;
    }
    try {
      const result = await this.#ctx.signaling.request('video-call-response', {
        roomId: this.roomId,
        accepted: true,
        callId: this.id,
      });
      if (!result.accepted) throw new RingletError(ErrorCode.Internal, 'The service declined our accept.');
      this.acceptWith(result, media);
    } catch (error) {
      media.stop();
      const failure = toRingletError(error, ErrorCode.Internal);
      this.#finish(CallEndReason.Failed, EndedBy.You, failure);
      throw failure;
    }
  }

  /** Callee: turns the call down. */
  async decline(): Promise<void> {
    if (this.#currentStatus !== CallStatus.RingingIn) return;
    this.#finish(CallEndReason.Declined, EndedBy.You);
    await this.#sendResponseAndWait(false);
  }

  /** Cancels a call that rings, declines one that rings you, hangs up one in progress. */
  async hangUp(): Promise<void> {
    if (this.isOver) return;
    if (this.#currentStatus === CallStatus.RingingIn) return this.decline();
    const reason =
      this.#currentStatus === CallStatus.RingingOut ? CallEndReason.Cancelled : CallEndReason.Hangup;
    this.#finish(reason, EndedBy.You);
    await this.#sendEndCall();
  }

  /** Ends the call here only, sending nothing: leaving the room tells the service. */
  abandon(): void {
    this.#finish(CallEndReason.Cancelled, EndedBy.You);
  }

  /** Mutes or unmutes the microphone; without one (see {@link hasMicrophone}) use {@link addMicrophone}. */
  setMicrophoneEnabled(enabled: boolean): void {
    this.#media?.setMicrophoneEnabled(enabled);
  }

  /** Whether the call has a microphone to mute or unmute (none in a receive-only call, or once unplugged). */
  get hasMicrophone(): boolean {
    return this.#media?.audioTrack != null;
  }

  /** Takes a microphone (none at the start, or unplugged) and sends it. Rejects with a coded error. */
  async addMicrophone(): Promise<void> {
    if (!this.#media || this.isOver) return;
    const track = await this.#media.addMicrophone();
    if (this.isOver) return;
    await this.#link?.setAudioTrack(track);
    if (this.lostDevice === 'microphone') {
      this.lostDevice = null;
      this.#emitChange();
    }
  }

  /** Stops or restarts the camera; the other side is told through `media-state`. */
  async setCameraEnabled(enabled: boolean): Promise<void> {
    if (!this.#media || this.isOver) return;
    const track = await this.#media.setCameraEnabled(enabled);
    await this.#link?.setVideoTrack(track);
    if (this.lostDevice === 'camera' && track) {
      this.lostDevice = null;
      this.#emitChange();
    }
  }

  /** Asks both sides for fresh ICE candidates (e.g. after switching networks). */
  restartIce(): void {
    this.#link?.restartIce();
  }

  /**
   * Becomes a participant with the session the service handed out: the callee after its accept,
   * or a caller whose request met the callee's own ringing call (glare).
   */
  acceptWith(session: CallSession, media: LocalMedia): void {
    if (this.isOver) {
      media.stop();
      return;
    }
    this.#media = media;
    const other = session.participants.find((p) => p.userId !== this.#ctx.self.userId);
    if (other) this.peer = other;
    this.#begin(session.resumeToken);
  }

  #begin(resumeToken: string): void {
    if (this.isOver) return;
    this.#resumeToken = resumeToken;
    this.accepting = false;
    this.#setStatus(CallStatus.Connecting);
    const media = this.#media;
    if (!media) return;
    this.#subscriptions.push(
      media.events.on('device-lost', (device) => this.#onDeviceLost(device)),
      media.events.on('change', () => {
        this.#sendMediaState();
        this.#emitChange();
      }),
    );
    this.#startLink(media);
    this.#sendMediaState();
    this.#armConnectTimer(this.#ctx.timing.connectTimeoutMs);
  }

  #startLink(media: LocalMedia): void {
    const link = new PeerLink({
      iceServers: this.#ctx.iceServers(),
      iceTransportPolicy: this.#ctx.iceTransportPolicy(),
      polite: this.direction === 'incoming',
      localStream: media.stream,
      signals: {
        description: (description) =>
          this.#ctx.signaling.notify(description.type === 'offer' ? 'offer' : 'answer', {
            callId: this.id,
            description,
          }),
        candidate: (candidate) => this.#ctx.signaling.notify('ice-candidate', { callId: this.id, candidate }),
      },
    });
    this.#link = link;
    link.events.on('remote-tracks', (stream) => {
      this.events.emit('remote-tracks', stream);
      this.#emitChange();
    });
    link.events.on('connection-state', (state) => this.#onConnectionState(state));
    link.events.on('error', (error) => console.warn('[ringlet] negotiation step failed', error));
    link.events.on('gathering-failed', (error) => {
      // Before media ever flowed there is nothing to wait for: say why now (e.g. the relay refused the
      // credentials) instead of timing out. A call in progress keeps retrying until its reconnect bound.
      if (this.startedAt === null) this.#fail(error);
    });
    for (const replay of this.#earlySignals) replay();
    this.#earlySignals = [];
  }

  #onConnectionState(state: RTCPeerConnectionState): void {
    switch (state) {
      case 'connected':
        clearTimeout(this.#connectTimer);
        clearTimeout(this.#restartTimer);
        this.#mediaDown = false;
        this.#restartAttempts = 0;
        this.startedAt ??= Date.now();
        this.#setStatus(CallStatus.InCall);
        break;
      case 'disconnected':
        // Often transient (a Wi-Fi hiccup): say "reconnecting", and restart ICE if it lasts.
        this.#onMediaPathDown(false);
        break;
      case 'failed':
        this.#onMediaPathDown(true);
        break;
      default:
        break;
    }
  }

  /**
   * The media path stalled (`disconnected`) or broke (`failed`): back to `connecting` (the window says
   * "Reconnecting…"), ICE restarts at once for a failure or after `iceRestartDelayMs` for a stall, then
   * every `iceRestartRetryMs`; a call in progress gives up after `reconnectTimeoutMs`.
   */
  #onMediaPathDown(broken: boolean): void {
    this.#setStatus(CallStatus.Connecting);
    if (this.#mediaDown) return;
    this.#mediaDown = true;
    // Before the first connection the connect timer already runs; a call in progress gets the reconnect bound.
    if (this.startedAt !== null) this.#armConnectTimer(this.#ctx.timing.reconnectTimeoutMs);
    this.#scheduleIceRestart(broken ? 0 : this.#ctx.timing.iceRestartDelayMs);
  }

  #scheduleIceRestart(delayMs: number): void {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(() => {
      if (this.isOver || !this.#mediaDown) return;
      // One side restarts so that both do not race: the impolite caller first; the polite callee joins in
      // only if that did not help (perfect negotiation settles offers that cross anyway).
      if (this.direction === 'outgoing' || this.#restartAttempts > 0) this.#link?.restartIce();
      this.#restartAttempts += 1;
      this.#scheduleIceRestart(this.#ctx.timing.iceRestartRetryMs);
    }, delayMs);
  }

  #armConnectTimer(ms: number): void {
    clearTimeout(this.#connectTimer);
    this.#connectTimer = setTimeout(() => {
      if (this.#currentStatus === CallStatus.InCall) return;
      this.#fail(
        this.startedAt === null
          ? new RingletError(ClientErrorCode.ConnectionFailed, 'The media connection did not come up.')
          : new RingletError(
              ClientErrorCode.ConnectionLost,
              `The media connection dropped and did not come back within ${ms} ms.`,
            ),
      );
    }, ms);
  }

  /** A camera or microphone stopped by itself: carry on without it, and say so. */
  #onDeviceLost(device: LostDevice): void {
    this.lostDevice = device;
    // Stop sending the dead camera; the media-state that follows tells the other side it is off.
    if (device === 'camera') void this.#link?.setVideoTrack(null);
    this.#emitChange();
  }

  /** Ends the call because of a local failure, telling the other side. */
  #fail(error: RingletError): void {
    if (this.isOver) return;
    this.#finish(CallEndReason.Failed, EndedBy.You, error);
    void this.#sendEndCall();
  }

  #listen(): void {
    const { signaling } = this.#ctx;
    const mine = (payload: { callId: string }): boolean => payload.callId === this.id;
    this.#subscriptions.push(
      signaling.on('video-call-accepted', (payload) => {
        if (!mine(payload) || this.direction !== 'outgoing') return;
        this.peer = { userId: payload.calleeId, userName: payload.calleeName };
        this.#begin(payload.resumeToken);
      }),
      signaling.on('video-call-rejected', (payload) => {
        if (mine(payload)) this.#finish(payload.reason, EndedBy.Them);
      }),
      signaling.on('call-ended', (payload) => {
        if (!mine(payload)) return;
        this.#finish(payload.reason, payload.by === null ? EndedBy.Service : EndedBy.Them);
      }),
      signaling.on('offer', (payload) => this.#onDescription(payload)),
      signaling.on('answer', (payload) => this.#onDescription(payload)),
      signaling.on('ice-candidate', (payload) => this.#onCandidate(payload)),
      signaling.on('media-state', (payload) => this.#onRemoteMediaState(payload)),
      signaling.events.on('connected', () => void this.#onReconnected()),
    );
  }

  #onDescription(payload: RelayedDescription): void {
    if (payload.callId !== this.id) return;
    this.#toLink((link) => link.handleDescription(payload.description));
  }

  #onCandidate(payload: RelayedIceCandidate): void {
    if (payload.callId !== this.id) return;
    this.#toLink((link) => link.handleCandidate(payload.candidate));
  }

  #toLink(deliver: (link: PeerLink) => void): void {
    const link = this.#link;
    if (link) deliver(link);
    else this.#earlySignals.push(() => this.#toLink(deliver));
  }

  #onRemoteMediaState(payload: RelayedMediaState): void {
    if (payload.callId !== this.id) return;
    this.remoteMedia = { audio: payload.audio, video: payload.video };
    this.#emitChange();
  }

  /** After a signaling reconnect: a ringing call is gone on the service; an accepted one is rejoined. */
  async #onReconnected(): Promise<void> {
    if (this.isOver) return;
    if (!this.#resumeToken) {
      this.#finish(CallEndReason.Disconnected, EndedBy.Service);
      return;
    }
    try {
      await this.#ctx.signaling.request('rejoin-call', {
        callId: this.id,
        resumeToken: this.#resumeToken,
      });
    } catch {
      // The service ended the call while we were away (grace period over): end it here too.
      this.#finish(CallEndReason.Disconnected, EndedBy.Service);
    }
  }

  #sendMediaState(): void {
    if (!this.#media || this.isOver) return;
    this.#ctx.signaling.notify('media-state', { callId: this.id, ...this.#media.state });
  }

  #sendResponse(accepted: boolean): void {
    void this.#sendResponseAndWait(accepted);
  }

  async #sendResponseAndWait(accepted: boolean): Promise<void> {
    try {
      await this.#ctx.signaling.request('video-call-response', {
        roomId: this.roomId,
        accepted,
        callId: this.id,
      });
    } catch {
      // Already over on the service side (cancelled, timed out): nothing left to decline.
    }
  }

  async #sendEndCall(): Promise<void> {
    try {
      await this.#ctx.signaling.request('end-call', { callId: this.id });
    } catch {
      // Already over on the service side.
    }
  }

  /** The one cleanup path: tracks stopped, connection closed, listeners and timers gone. */
  #finish(reason: CallEndReason, by: EndedBy, error: RingletError | null = null): void {
    if (this.isOver) return;
    this.ending = { reason, by, error };
    this.accepting = false;
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe();
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#restartTimer);
    this.#earlySignals = [];
    this.#link?.close();
    this.#link = null;
    this.#media?.stop();
    this.#media = null;
    this.#setStatus(error ? CallStatus.Error : CallStatus.Ended);
    this.events.clear();
  }

  #setStatus(to: CallStatus): void {
    const from = this.#currentStatus;
    if (from === to || !canTransition(from, to)) return;
    this.#currentStatus = to;
    this.events.emit('status', { call: this, from, to });
    this.#emitChange();
  }

  #emitChange(): void {
    this.events.emit('change', this);
  }
}
