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
import { LocalMedia, type MediaState } from './local-media.js';
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
  /** How long a call whose media path dropped may take to come back. */
  reconnectTimeoutMs: number;
}

/** What a call needs from the room it belongs to. */
export interface CallContext {
  signaling: SignalingClient;
  roomId: string;
  self: Participant;
  /** The ICE servers of the latest `join-room` ack: never hard-coded. */
  iceServers(): IceServer[];
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
  private currentStatus: CallStatus;
  /** Set when the call is over. */
  ending: CallEnding | null = null;
  /** When media first flowed (ms since epoch), for the call duration. */
  startedAt: number | null = null;
  /** The other side's camera and microphone, from its `media-state` messages. */
  remoteMedia: MediaState = { audio: true, video: true };
  /** Set while the callee is getting its camera and answering. */
  accepting = false;

  private media: LocalMedia | null;
  private link: PeerLink | null = null;
  private resumeToken: string | null = null;
  private earlySignals: (() => void)[] = [];
  private readonly subscriptions: (() => void)[] = [];
  private connectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: CallContext,
    init: CallInit,
  ) {
    this.id = init.id;
    this.roomId = ctx.roomId;
    this.direction = init.direction;
    this.currentStatus = init.status;
    this.peer = init.peer;
    this.media = init.media ?? null;
    this.listen();
  }

  get status(): CallStatus {
    return this.currentStatus;
  }

  get isOver(): boolean {
    return isFinal(this.currentStatus);
  }

  /** Whether the call got past ringing (someone accepted it). */
  get wasAccepted(): boolean {
    return this.resumeToken !== null;
  }

  get localStream(): MediaStream | null {
    return this.media?.stream ?? null;
  }

  /** The call went ahead without a camera (none found, or busy). */
  get audioOnly(): boolean {
    return this.media?.audioOnly ?? false;
  }

  get localMedia(): MediaState {
    return this.media?.state ?? NO_MEDIA;
  }

  get remoteStream(): MediaStream | null {
    return this.link?.remoteStream ?? null;
  }

  /** The underlying connection, for `getStats()`; `null` before the call is accepted. */
  get peerConnection(): RTCPeerConnection | null {
    return this.link?.connection ?? null;
  }

  /** Callee: takes the camera and microphone and answers. Rejects with a coded error. */
  async accept(): Promise<void> {
    if (this.currentStatus !== CallStatus.RingingIn || this.accepting) return;
    this.accepting = true;
    this.emitChange();
    let media: LocalMedia;
    try {
      media = await LocalMedia.acquire();
    } catch (error) {
      const failure = mediaErrorFrom(error);
      // Without a camera or microphone we cannot take the call: let the caller know at once.
      this.sendResponse(false);
      this.finish(CallEndReason.Failed, EndedBy.You, failure);
      throw failure;
    }
    if (this.isOver) {
      media.stop();
      return;
    }
    try {
      const result = await this.ctx.signaling.request('video-call-response', {
        roomId: this.roomId,
        accepted: true,
        callId: this.id,
      });
      if (!result.accepted) throw new RingletError(ErrorCode.Internal, 'The service declined our accept.');
      this.acceptWith(result, media);
    } catch (error) {
      media.stop();
      const failure = toRingletError(error, ErrorCode.Internal);
      this.finish(CallEndReason.Failed, EndedBy.You, failure);
      throw failure;
    }
  }

  /** Callee: turns the call down. */
  async decline(): Promise<void> {
    if (this.currentStatus !== CallStatus.RingingIn) return;
    this.finish(CallEndReason.Declined, EndedBy.You);
    await this.sendResponseAndWait(false);
  }

  /** Cancels a call that rings, declines one that rings you, hangs up one in progress. */
  async hangUp(): Promise<void> {
    if (this.isOver) return;
    if (this.currentStatus === CallStatus.RingingIn) return this.decline();
    const reason =
      this.currentStatus === CallStatus.RingingOut ? CallEndReason.Cancelled : CallEndReason.Hangup;
    this.finish(reason, EndedBy.You);
    await this.sendEndCall();
  }

  /** Ends the call here only, sending nothing: leaving the room tells the service. */
  abandon(): void {
    this.finish(CallEndReason.Cancelled, EndedBy.You);
  }

  setMicrophoneEnabled(enabled: boolean): void {
    this.media?.setMicrophoneEnabled(enabled);
  }

  /** Stops or restarts the camera; the other side is told through `media-state`. */
  async setCameraEnabled(enabled: boolean): Promise<void> {
    if (!this.media || this.isOver) return;
    const track = await this.media.setCameraEnabled(enabled);
    await this.link?.setVideoTrack(track);
  }

  /** Asks both sides for fresh ICE candidates (e.g. after switching networks). */
  restartIce(): void {
    this.link?.restartIce();
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
    this.media = media;
    const other = session.participants.find((p) => p.userId !== this.ctx.self.userId);
    if (other) this.peer = other;
    this.begin(session.resumeToken);
  }

  private begin(resumeToken: string): void {
    if (this.isOver) return;
    this.resumeToken = resumeToken;
    this.accepting = false;
    this.setStatus(CallStatus.Connecting);
    const media = this.media;
    if (!media) return;
    this.subscriptions.push(
      media.events.on('change', () => {
        this.sendMediaState();
        this.emitChange();
      }),
    );
    this.startLink(media);
    this.sendMediaState();
    this.armConnectTimer(this.ctx.timing.connectTimeoutMs);
  }

  private startLink(media: LocalMedia): void {
    const link = new PeerLink({
      iceServers: this.ctx.iceServers(),
      polite: this.direction === 'incoming',
      localStream: media.stream,
      signals: {
        description: (description) =>
          this.ctx.signaling.notify(description.type === 'offer' ? 'offer' : 'answer', {
            callId: this.id,
            description,
          }),
        candidate: (candidate) => this.ctx.signaling.notify('ice-candidate', { callId: this.id, candidate }),
      },
    });
    this.link = link;
    link.events.on('remote-tracks', (stream) => {
      this.events.emit('remote-tracks', stream);
      this.emitChange();
    });
    link.events.on('connection-state', (state) => this.onConnectionState(state));
    link.events.on('error', (error) => console.warn('[ringlet] negotiation step failed', error));
    for (const replay of this.earlySignals) replay();
    this.earlySignals = [];
  }

  private onConnectionState(state: RTCPeerConnectionState): void {
    switch (state) {
      case 'connected':
        clearTimeout(this.connectTimer);
        this.startedAt ??= Date.now();
        this.setStatus(CallStatus.InCall);
        break;
      case 'disconnected':
        // Often transient (Wi-Fi hiccup): show "reconnecting" and give it time.
        this.setStatus(CallStatus.Connecting);
        this.armConnectTimer(this.ctx.timing.reconnectTimeoutMs);
        break;
      case 'failed':
        this.setStatus(CallStatus.Connecting);
        // One side restarts ICE so that both do not race; the impolite caller does.
        if (this.direction === 'outgoing') this.link?.restartIce();
        this.armConnectTimer(this.ctx.timing.reconnectTimeoutMs);
        break;
      default:
        break;
    }
  }

  private armConnectTimer(ms: number): void {
    clearTimeout(this.connectTimer);
    this.connectTimer = setTimeout(() => {
      if (this.currentStatus === CallStatus.InCall) return;
      this.fail(new RingletError(ClientErrorCode.ConnectionFailed, 'The media connection did not come up.'));
    }, ms);
  }

  /** Ends the call because of a local failure, telling the other side. */
  private fail(error: RingletError): void {
    if (this.isOver) return;
    this.finish(CallEndReason.Failed, EndedBy.You, error);
    void this.sendEndCall();
  }

  private listen(): void {
    const { signaling } = this.ctx;
    const mine = (payload: { callId: string }): boolean => payload.callId === this.id;
    this.subscriptions.push(
      signaling.on('video-call-accepted', (payload) => {
        if (!mine(payload) || this.direction !== 'outgoing') return;
        this.peer = { userId: payload.calleeId, userName: payload.calleeName };
        this.begin(payload.resumeToken);
      }),
      signaling.on('video-call-rejected', (payload) => {
        if (mine(payload)) this.finish(payload.reason, EndedBy.Them);
      }),
      signaling.on('call-ended', (payload) => {
        if (!mine(payload)) return;
        this.finish(payload.reason, payload.by === null ? EndedBy.Service : EndedBy.Them);
      }),
      signaling.on('offer', (payload) => this.onDescription(payload)),
      signaling.on('answer', (payload) => this.onDescription(payload)),
      signaling.on('ice-candidate', (payload) => this.onCandidate(payload)),
      signaling.on('media-state', (payload) => this.onRemoteMediaState(payload)),
      signaling.events.on('connected', () => void this.onReconnected()),
    );
  }

  private onDescription(payload: RelayedDescription): void {
    if (payload.callId !== this.id) return;
    this.toLink((link) => link.handleDescription(payload.description));
  }

  private onCandidate(payload: RelayedIceCandidate): void {
    if (payload.callId !== this.id) return;
    this.toLink((link) => link.handleCandidate(payload.candidate));
  }

  private toLink(deliver: (link: PeerLink) => void): void {
    const link = this.link;
    if (link) deliver(link);
    else this.earlySignals.push(() => this.toLink(deliver));
  }

  private onRemoteMediaState(payload: RelayedMediaState): void {
    if (payload.callId !== this.id) return;
    this.remoteMedia = { audio: payload.audio, video: payload.video };
    this.emitChange();
  }

  /** After a signaling reconnect: a ringing call is gone on the service; an accepted one is rejoined. */
  private async onReconnected(): Promise<void> {
    if (this.isOver) return;
    if (!this.resumeToken) {
      this.finish(CallEndReason.Disconnected, EndedBy.Service);
      return;
    }
    try {
      await this.ctx.signaling.request('rejoin-call', {
        callId: this.id,
        resumeToken: this.resumeToken,
      });
    } catch {
      // The service ended the call while we were away (grace period over): end it here too.
      this.finish(CallEndReason.Disconnected, EndedBy.Service);
    }
  }

  private sendMediaState(): void {
    if (!this.media || this.isOver) return;
    this.ctx.signaling.notify('media-state', { callId: this.id, ...this.media.state });
  }

  private sendResponse(accepted: boolean): void {
    void this.sendResponseAndWait(accepted);
  }

  private async sendResponseAndWait(accepted: boolean): Promise<void> {
    try {
      await this.ctx.signaling.request('video-call-response', {
        roomId: this.roomId,
        accepted,
        callId: this.id,
      });
    } catch {
      // Already over on the service side (cancelled, timed out): nothing left to decline.
    }
  }

  private async sendEndCall(): Promise<void> {
    try {
      await this.ctx.signaling.request('end-call', { callId: this.id });
    } catch {
      // Already over on the service side.
    }
  }

  /** The one cleanup path: tracks stopped, connection closed, listeners and timers gone. */
  private finish(reason: CallEndReason, by: EndedBy, error: RingletError | null = null): void {
    if (this.isOver) return;
    this.ending = { reason, by, error };
    this.accepting = false;
    for (const unsubscribe of this.subscriptions.splice(0)) unsubscribe();
    clearTimeout(this.connectTimer);
    this.earlySignals = [];
    this.link?.close();
    this.link = null;
    this.media?.stop();
    this.media = null;
    this.setStatus(error ? CallStatus.Error : CallStatus.Ended);
    this.events.clear();
  }

  private setStatus(to: CallStatus): void {
    const from = this.currentStatus;
    if (from === to || !canTransition(from, to)) return;
    this.currentStatus = to;
    this.events.emit('status', { call: this, from, to });
    this.emitChange();
  }

  private emitChange(): void {
    this.events.emit('change', this);
  }
}
