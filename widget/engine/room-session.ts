import type { IceServer, IncomingCallPayload, RoomMember } from '../../server/protocol.js';
import { ErrorCode } from '../../server/protocol.js';
import { Call, type CallContext, type CallDirection, type CallTiming, type Participant } from './call.js';
import { CallEndReason, EndedBy } from './call-end-reason.js';
import { callHub, roomKey } from './call-hub.js';
import { CallLifecycle, finalLifecycle, type CallLifecycleEvent } from './call-lifecycle.js';
import { CallStatus, isFinal } from './call-status.js';
import { LocalMedia } from './local-media.js';
import { RingletError, toRingletError } from './ringlet-error.js';
import { ConnectionState, type SignalingClient } from './signaling-client.js';
import { TypedEmitter } from './typed-emitter.js';

/** How the last call went, shown until `outcomeMs` has passed or a new call starts. */
export interface CallOutcome {
  direction: CallDirection;
  peer: Participant | null;
  reason: CallEndReason;
  by: EndedBy;
  accepted: boolean;
  error: RingletError | null;
}

export interface RoomSessionTiming extends CallTiming {
  /** How long the `ended` / `error` state lasts before the room is `idle` again. */
  outcomeMs: number;
}

export const DEFAULT_TIMING: RoomSessionTiming = {
  connectTimeoutMs: 30_000,
  reconnectTimeoutMs: 20_000,
  iceRestartDelayMs: 2_000,
  iceRestartRetryMs: 5_000,
  outcomeMs: 6_000,
};

/** How the calls of a room are made; changeable at any time (the next call, or the next restart, uses it). */
export interface RoomSessionSettings {
  /** `relay`: media only through the TURN servers the service hands out (hides your address). Default `all`. */
  iceTransportPolicy?: RTCIceTransportPolicy | undefined;
  timing?: Partial<RoomSessionTiming> | undefined;
}

export interface RoomSessionOptions {
  /** The service's origin (as normalised by the signaling registry). */
  server: string;
  roomId: string;
  self: Participant;
  signaling: SignalingClient;
  timing?: Partial<RoomSessionTiming>;
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Called once the session is disposed (the registry gives back the connection). */
  onDispose?: () => void;
}

export interface RoomSessionEvents {
  /** Anything observable changed: members, connection, calls. */
  change: undefined;
  lifecycle: CallLifecycleEvent;
  error: { error: RingletError; callId: string | null };
}

/**
 * One user in one room: presence, the calls that ring and the one in progress.
 * This is what a `<video-call-button>` shows; it holds all the call logic the element does not.
 */
export class RoomSession {
  readonly events = new TypedEmitter<RoomSessionEvents>();
  readonly roomId: string;
  readonly self: Participant;
  readonly signaling: SignalingClient;
  /** Everyone in the room, you included, from the latest `room-members`. */
  members: RoomMember[] = [];
  joined = false;
  /** Why joining the room failed (forbidden, full...), if it did. */
  joinError: RingletError | null = null;
  /** The call that rings out or is in progress. */
  activeCall: Call | null = null;
  /** Calls ringing for you, oldest first. */
  incoming: Call[] = [];
  outcome: CallOutcome | null = null;

  readonly #key: string;
  /** One object for the session's life: calls read it at each use, so {@link configure} reaches them. */
  readonly #timing: RoomSessionTiming;
  #iceTransportPolicy: RTCIceTransportPolicy = 'all';
  #iceServers: IceServer[] = [];
  #placing: { abort: AbortController; peer: Participant | null } | null = null;
  readonly #started = new WeakSet<Call>();
  #outcomeTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #subscriptions: (() => void)[] = [];
  #disposed = false;
  readonly #onDispose: (() => void) | undefined;

  constructor(options: RoomSessionOptions) {
    this.#onDispose = options.onDispose;
    this.roomId = options.roomId;
    this.self = options.self;
    this.signaling = options.signaling;
    this.#key = roomKey(options.server, options.roomId);
    this.#timing = { ...DEFAULT_TIMING, ...definedOnly(options.timing ?? {}) };
    this.#iceTransportPolicy = options.iceTransportPolicy ?? 'all';
    this.#listen();
    if (this.signaling.connected) void this.#join();
  }

  get connectionState(): ConnectionState {
    return this.signaling.state;
  }

  /** The other members of the room. */
  get others(): RoomMember[] {
    return this.members.filter((member) => member.userId !== this.self.userId);
  }

  /** The call ringing for you that the UI offers to answer. */
  get ringingCall(): Call | null {
    return this.incoming[0] ?? null;
  }

  /** Whom a call placed now would ring, while that is one person. */
  get placingPeer(): Participant | null {
    return this.#placing?.peer ?? null;
  }

  get status(): CallStatus {
    if (this.activeCall) return this.activeCall.status;
    if (this.#placing) return CallStatus.RingingOut;
    if (this.incoming.length > 0) return CallStatus.RingingIn;
    if (this.outcome) return this.outcome.error ? CallStatus.Error : CallStatus.Ended;
    return CallStatus.Idle;
  }

  /**
   * Rings `calleeId`, or every other member. Resolves once it rings (or, on glare, once you are in
   * the call the other side placed); rejects with a coded {@link RingletError}.
   */
  async call(calleeId?: string): Promise<void> {
    if (this.activeCall || this.#placing) {
      throw new RingletError(ErrorCode.AlreadyInCall, 'A call is already in progress.');
    }
    const peer = this.#expectedCallee(calleeId);
    const abort = new AbortController();
    this.#placing = { abort, peer };
    this.#clearOutcome();
    this.#emitChange();
    let media: LocalMedia | null = null;
    try {
      media = await LocalMedia.acquire();
      if (abort.signal.aborted) return media.stop();
      const result = await this.signaling.request('video-call-request', {
        roomId: this.roomId,
        callerId: this.self.userId,
        callerName: this.self.userName,
        ...(calleeId ? { calleeId } : {}),
      });
      if (abort.signal.aborted) {
        media.stop();
        this.signaling.notify('end-call', { callId: result.callId });
        return;
      }
      this.#placing = null;
      if (result.role === 'caller') {
        const call = this.#adopt(
          new Call(this.#callContext(), {
            id: result.callId,
            direction: 'outgoing',
            status: CallStatus.RingingOut,
            peer,
            media,
          }),
        );
        this.activeCall = call;
        this.#emitLifecycle(CallLifecycle.Outgoing, call);
      } else {
        // Glare: the one we called was ringing us, so our request answered their call.
        const caller = result.participants.find((p) => p.userId !== this.self.userId);
        const ringing =
          this.incoming.find((call) => call.id === result.callId) ??
          this.#adoptIncoming({
            roomId: this.roomId,
            callId: result.callId,
            callerId: caller?.userId ?? '',
            callerName: caller?.userName ?? '',
          });
        ringing.acceptWith(result, media);
      }
    } catch (error) {
      media?.stop();
      if (abort.signal.aborted) return;
      const failure = toRingletError(error, ErrorCode.Internal);
      this.#placing = null;
      this.#setOutcome({
        direction: 'outgoing',
        peer,
        reason: CallEndReason.Failed,
        by: EndedBy.You,
        accepted: false,
        error: failure,
      });
      this.events.emit('error', { error: failure, callId: null });
      throw failure;
    } finally {
      if (this.#placing?.abort === abort) this.#placing = null;
      this.#emitChange();
    }
  }

  /** Answers the call ringing for you (or `callId`). */
  async accept(callId?: string): Promise<void> {
    await this.#ringing(callId).accept();
  }

  /** Declines the call ringing for you (or `callId`). */
  async decline(callId?: string): Promise<void> {
    await this.#ringing(callId).decline();
  }

  /** Cancels your ringing call, hangs up the call in progress, or declines the one ringing for you. */
  async hangUp(): Promise<void> {
    if (this.#placing) {
      const { abort, peer } = this.#placing;
      abort.abort();
      this.#placing = null;
      this.#setOutcome({
        direction: 'outgoing',
        peer,
        reason: CallEndReason.Cancelled,
        by: EndedBy.You,
        accepted: false,
        error: null,
      });
      this.events.emit('lifecycle', {
        type: CallLifecycle.Cancelled,
        callId: null,
        direction: 'outgoing',
        peer,
        reason: CallEndReason.Cancelled,
      });
      this.#emitChange();
      return;
    }
    if (this.activeCall) return this.activeCall.hangUp();
    await this.ringingCall?.decline();
  }

  /**
   * Changes how calls are made. Leaving a field out restores its default; a timing left out of
   * `timing` keeps its default too.
   */
  configure(settings: RoomSessionSettings): void {
    this.#iceTransportPolicy = settings.iceTransportPolicy ?? 'all';
    Object.assign(this.#timing, DEFAULT_TIMING, definedOnly(settings.timing ?? {}));
  }

  /** Ends everything locally and leaves the room (the last element using it is gone). */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#placing?.abort.abort();
    this.#placing = null;
    void this.activeCall?.hangUp();
    // Leaving the room stops the ringing on the service; no decline is sent on the user's behalf.
    for (const call of this.incoming) call.abandon();
    if (this.signaling.connected) this.signaling.notify('leave-room', { roomId: this.roomId });
    for (const unsubscribe of this.#subscriptions.splice(0)) unsubscribe();
    clearTimeout(this.#outcomeTimer);
    this.events.clear();
    this.#onDispose?.();
  }

  #ringing(callId: string | undefined): Call {
    const call = callId ? this.incoming.find((c) => c.id === callId) : this.ringingCall;
    if (!call) throw new RingletError(ErrorCode.NotRinging, 'No call is ringing for you.');
    return call;
  }

  #expectedCallee(calleeId: string | undefined): Participant | null {
    const others = this.others;
    const member = calleeId
      ? others.find((m) => m.userId === calleeId)
      : others.length === 1
        ? others[0]
        : undefined;
    if (member) return { userId: member.userId, userName: member.userName };
    return calleeId ? { userId: calleeId, userName: calleeId } : null;
  }

  #listen(): void {
    const { signaling } = this;
    this.#subscriptions.push(
      signaling.on('room-members', (payload) => {
        if (payload.roomId !== this.roomId) return;
        this.members = payload.members;
        this.#emitChange();
      }),
      signaling.on('incoming-video-call', (payload) => {
        if (payload.roomId !== this.roomId) return;
        if (this.incoming.some((call) => call.id === payload.callId)) return;
        // Glare: our own request may already have answered this very call.
        if (this.activeCall?.id === payload.callId) return;
        const call = this.#adoptIncoming(payload);
        this.#emitLifecycle(CallLifecycle.Incoming, call);
        this.#emitChange();
      }),
      signaling.events.on('connected', () => void this.#join()),
      signaling.events.on('state', (state) => {
        if (!this.signaling.connected) this.joined = false;
        const refusal = signaling.lastError;
        if (state === ConnectionState.Refused && refusal)
          this.events.emit('error', { error: refusal, callId: null });
        this.#emitChange();
      }),
    );
  }

  async #join(): Promise<void> {
    try {
      const result = await this.signaling.request('join-room', { roomId: this.roomId });
      if (this.#disposed) return;
      this.members = result.members;
      this.#iceServers = result.iceServers;
      this.joined = true;
      this.joinError = null;
    } catch (error) {
      if (this.#disposed) return;
      this.joinError = toRingletError(error, ErrorCode.Internal);
      this.events.emit('error', { error: this.joinError, callId: null });
    }
    this.#emitChange();
  }

  #adoptIncoming(payload: IncomingCallPayload): Call {
    const call = this.#adopt(
      new Call(this.#callContext(), {
        id: payload.callId,
        direction: 'incoming',
        status: CallStatus.RingingIn,
        peer: { userId: payload.callerId, userName: payload.callerName || payload.callerId },
      }),
    );
    this.incoming = [...this.incoming, call];
    return call;
  }

  #callContext(): CallContext {
    return {
      signaling: this.signaling,
      roomId: this.roomId,
      self: this.self,
      iceServers: () => this.#iceServers,
      iceTransportPolicy: () => this.#iceTransportPolicy,
      timing: this.#timing,
    };
  }

  #adopt(call: Call): Call {
    call.events.on('change', () => this.#emitChange());
    call.events.on('status', ({ from, to }) => this.#onCallStatus(call, from, to));
    return call;
  }

  #onCallStatus(call: Call, from: CallStatus, to: CallStatus): void {
    if (to === CallStatus.Connecting && (from === CallStatus.RingingIn || from === CallStatus.RingingOut)) {
      this.activeCall = call;
      this.incoming = this.incoming.filter((c) => c !== call);
      this.#clearOutcome();
      callHub.publish(this.#key, call);
      this.#emitLifecycle(CallLifecycle.Accepted, call);
    } else if (to === CallStatus.InCall && !this.#started.has(call)) {
      this.#started.add(call);
      this.#emitLifecycle(CallLifecycle.Started, call);
    } else if (isFinal(to)) {
      this.#onCallOver(call);
    }
    this.#emitChange();
  }

  #onCallOver(call: Call): void {
    if (this.activeCall === call) this.activeCall = null;
    this.incoming = this.incoming.filter((c) => c !== call);
    callHub.withdraw(this.#key, call);
    const ending = call.ending;
    if (!ending) return;
    if (!this.activeCall && !this.#placing) {
      this.#setOutcome({
        direction: call.direction,
        peer: call.peer,
        reason: ending.reason,
        by: ending.by,
        accepted: call.wasAccepted,
        error: ending.error,
      });
    }
    this.#emitLifecycle(finalLifecycle(call), call);
    if (ending.error) this.events.emit('error', { error: ending.error, callId: call.id });
  }

  #emitLifecycle(type: CallLifecycle, call: Call): void {
    this.events.emit('lifecycle', {
      type,
      callId: call.id,
      direction: call.direction,
      peer: call.peer,
      reason: call.ending?.reason ?? null,
    });
  }

  #setOutcome(outcome: CallOutcome): void {
    this.outcome = outcome;
    clearTimeout(this.#outcomeTimer);
    this.#outcomeTimer = setTimeout(() => {
      this.outcome = null;
      this.#emitChange();
    }, this.#timing.outcomeMs);
  }

  #clearOutcome(): void {
    clearTimeout(this.#outcomeTimer);
    this.outcome = null;
  }

  #emitChange(): void {
    this.events.emit('change', undefined);
  }
}

/** The fields of `values` that are set (an `undefined` must not override a default). */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
