import type { Logger } from 'pino';
import { ProtocolError } from '../errors.js';
import type { MetricsSink } from '../metrics.js';
import type { Outbox } from '../outbox.js';
import {
  EndReason,
  ErrorCode,
  RejectReason,
  type CallId,
  type CallParticipant,
  type CallRequestResult,
  type CallSession,
  type RoomId,
  type UserId,
} from '../protocol.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import { Call, CallState, InviteState, newParticipant, type Client, type Participant } from './call.js';
import type { ResumeClaims, ResumeTokens } from './resume-tokens.js';

export interface CallServiceDeps {
  rooms: RoomRegistry;
  outbox: Outbox;
  logger: Logger;
  metrics: MetricsSink;
  ringTimeoutMs: number;
  rejoinGraceMs: number;
  resumeTokens: ResumeTokens;
  /** Called whenever a user's presence status may have changed. */
  onStatusChange(userIds: UserId[]): void;
}

/** Why a socket stops taking part in a call without an explicit `end-call`. */
type Departure = 'left-room' | 'disconnected';

/**
 * The call rules of PROTOCOL.md: ringing, first-accept-wins, decline / busy / timeout / unavailable,
 * glare, hang-up, the rejoin grace period, and who may signal whom. State lives in this process.
 */
/** After a restart every participant reconnects with backoff: give the others longer than after a blip. */
const RESTORE_GRACE_FACTOR = 2;
/** Ended calls remembered so that their resume tokens cannot bring them back. */
const ENDED_CALLS_REMEMBERED = 10_000;

export class CallService {
  readonly #calls = new Map<CallId, Call>();
  readonly #ended = new Set<CallId>();
  readonly #callsBySocket = new Map<string, Set<Call>>();
  readonly #callsByUser = new Map<UserId, Set<Call>>();
  readonly #deps: CallServiceDeps;

  constructor(deps: CallServiceDeps) {
    this.#deps = deps;
  }

  /** True while the user places a ringing call or takes part in an accepted one. */
  isEngaged(userId: UserId): boolean {
    for (const call of this.#callsByUser.get(userId) ?? []) if (call.participants.has(userId)) return true;
    return false;
  }

  countByState(): Record<'ringing' | 'active', number> {
    const counts = { ringing: 0, active: 0 };
    for (const call of this.#calls.values()) if (call.state !== CallState.Ended) counts[call.state] += 1;
    return counts;
  }

  request(
    client: Client,
    request: { roomId: RoomId; callerId: UserId; callerName: string; calleeId?: UserId | undefined },
    afterAck: (task: () => void) => void,
  ): CallRequestResult {
    const { roomId, calleeId } = request;
    this.#requireMember(client, roomId);
    if (request.callerId !== client.userId) {
      throw new ProtocolError(ErrorCode.IdentityMismatch, 'callerId must be your own user id');
    }
    if (calleeId === client.userId) throw new ProtocolError(ErrorCode.SelfCall, 'You cannot call yourself');
    if (this.isEngaged(client.userId)) {
      throw new ProtocolError(ErrorCode.AlreadyInCall, 'You are already in a call');
    }
    const targets = calleeId
      ? [calleeId].filter((userId) => this.#deps.rooms.has(roomId, userId))
      : this.#deps.rooms
          .members(roomId)
          .map((member) => member.userId)
          .filter((userId) => userId !== client.userId);
    if (targets.length === 0) {
      throw new ProtocolError(
        ErrorCode.NoCallee,
        calleeId ? `${calleeId} is not in this room` : 'There is no one else in this room to call',
      );
    }

    const glare = this.#ringingFor(client.userId, roomId).find((call) =>
      targets.includes(call.caller.userId),
    );
    if (glare) return { role: 'callee', ...this.#accept(glare, client) };

    const call = new Call(roomId, newParticipant(client, request.callerName));
    this.#calls.set(call.id, call);
    this.#link(client.id, call);
    this.#linkUser(client.userId, call);
    for (const userId of targets) {
      this.#linkUser(userId, call);
      if (this.isEngaged(userId)) {
        call.invites.set(userId, InviteState.Busy);
        continue;
      }
      call.invites.set(userId, InviteState.Ringing);
      for (const socketId of this.#deps.rooms.socketsOf(roomId, userId)) this.#ring(call, socketId, userId);
    }
    this.#deps.onStatusChange([client.userId]);

    if (call.outcome()) {
      afterAck(() => this.#reject(call));
    } else {
      call.ringTimer = setTimeout(() => this.#timeOut(call), this.#deps.ringTimeoutMs);
    }
    this.#deps.logger.info({ callId: call.id, roomId, callerId: client.userId, targets }, 'call ringing');
    return { role: 'caller', callId: call.id };
  }

  respond(client: Client, response: { roomId: RoomId; accepted: boolean; callId?: CallId | undefined }) {
    this.#requireMember(client, response.roomId);
    const call = this.#ringingCall(client.userId, response.roomId, response.callId);
    if (!response.accepted) {
      this.#decline(call, client);
      return { accepted: false as const, callId: call.id };
    }
    if (this.isEngaged(client.userId)) {
      throw new ProtocolError(ErrorCode.AlreadyInCall, 'You are already in a call; end it first');
    }
    return { accepted: true as const, ...this.#accept(call, client) };
  }

  /** Checks that `client` may signal in `callId` and returns whom to relay to, `from` set by us. */
  relayTargets(
    client: Client,
    callId: CallId,
    to: UserId | undefined,
  ): { from: UserId; socketIds: string[] } {
    const call = this.#calls.get(callId);
    const sender = call?.participantBySocket(client.id);
    if (!call || !sender) throw callNotFound();
    if (call.state !== CallState.Active) {
      throw new ProtocolError(ErrorCode.CallNotActive, 'The call has not been accepted yet');
    }
    const recipients = [...call.participants.values()].filter((participant) =>
      to === undefined ? participant !== sender : participant.userId === to && participant !== sender,
    );
    if (to !== undefined && recipients.length === 0) {
      throw new ProtocolError(ErrorCode.UnknownRecipient, `${to} is not another participant of this call`);
    }
    const socketIds = recipients.flatMap((participant) =>
      participant.socketId ? [participant.socketId] : [],
    );
    return { from: sender.userId, socketIds };
  }

  /** `end-call`: the caller cancels a ringing call; a participant hangs up. */
  end(client: Client, callId: CallId): void {
    const call = this.#calls.get(callId);
    if (call?.state === CallState.Ringing && call.caller.socketId === client.id) {
      this.#cancel(call, client.userId);
      return;
    }
    const participant = call?.participantBySocket(client.id);
    if (!call || call.state !== CallState.Active || !participant) throw callNotFound();
    this.#removeParticipant(call, participant, client.userId, EndReason.Hangup);
  }

  /**
   * `rejoin-call`: the socket takes over its user's place in the call. A call this service does not know
   * (it restarted, or it is another node) is restored from the verified token; the others then have the
   * grace period to rejoin too.
   */
  rejoin(client: Client, callId: CallId, resumeToken: string): { participants: CallParticipant[] } {
    const claims = this.#deps.resumeTokens.verify(resumeToken);
    if (!claims || claims.callId !== callId || claims.userId !== client.userId || this.#ended.has(callId)) {
      throw callNotFound();
    }
    const call = this.#calls.get(callId) ?? this.#restore(claims, client);
    const participant = call.participants.get(client.userId);
    if (call.state !== CallState.Active || !participant) throw callNotFound();
    if (participant.socketId && participant.socketId !== client.id) this.#unlink(participant.socketId, call);
    clearTimeout(participant.graceTimer);
    participant.graceTimer = undefined;
    participant.socketId = client.id;
    this.#link(client.id, call);
    this.#deps.logger.info({ callId, userId: client.userId }, 'participant rejoined');
    return { participants: call.participantList() };
  }

  /** A socket joined a room: if a call already rings for its user there, ring this tab too. */
  joinedRoom(client: Client, roomId: RoomId): void {
    for (const call of this.#ringingFor(client.userId, roomId)) {
      if (!call.ringingSockets.has(client.id)) this.#ring(call, client.id, client.userId);
    }
  }

  leftRoom(client: Client, roomId: RoomId): void {
    for (const call of this.#callsOfSocket(client.id))
      if (call.roomId === roomId) this.#depart(call, client, 'left-room');
  }

  disconnected(client: Client): void {
    for (const call of this.#callsOfSocket(client.id)) this.#depart(call, client, 'disconnected');
  }

  /** Stops every timer (service shutdown). */
  close(): void {
    for (const call of this.#calls.values()) this.#clearTimers(call);
  }

  // ---- transitions ---------------------------------------------------------------------------

  #restore(claims: ResumeClaims, client: Client): Call {
    if (this.isEngaged(client.userId)) throw callNotFound();
    const participants = claims.participants.map(({ userId, userName }): Participant => ({
      userId,
      userName,
      socketId: null,
    }));
    const caller = participants.find((participant) => participant.userId === claims.callerId);
    if (!caller) throw callNotFound();
    const call = new Call(claims.roomId, caller, claims.callId);
    call.state = CallState.Active;
    const graceMs = this.#deps.rejoinGraceMs * RESTORE_GRACE_FACTOR;
    for (const participant of participants) {
      call.participants.set(participant.userId, participant);
      this.#linkUser(participant.userId, call);
      if (participant.userId !== client.userId) this.#startGrace(call, participant, graceMs);
    }
    this.#calls.set(call.id, call);
    this.#deps.onStatusChange(participants.map((participant) => participant.userId));
    this.#deps.logger.info({ callId: call.id, userId: client.userId }, 'call restored from a resume token');
    return call;
  }

  #startGrace(call: Call, participant: Participant, graceMs = this.#deps.rejoinGraceMs): void {
    participant.graceTimer = setTimeout(
      () => this.#removeParticipant(call, participant, null, EndReason.Disconnected),
      graceMs,
    );
  }

  #resumeToken(call: Call, participant: Participant): string {
    return this.#deps.resumeTokens.issue({
      callId: call.id,
      roomId: call.roomId,
      userId: participant.userId,
      callerId: call.caller.userId,
      participants: call.participantList(),
    });
  }

  #accept(call: Call, client: Client): CallSession {
    clearTimeout(call.ringTimer);
    call.state = CallState.Active;
    call.invites.set(client.userId, InviteState.Accepted);
    const callee = newParticipant(client, this.#deps.rooms.userName(call.roomId, client.userId));
    call.participants.set(client.userId, callee);
    this.#link(client.id, call);
    for (const socketId of call.ringingSockets.keys()) {
      if (socketId === client.id) continue;
      this.#deps.outbox.send(socketId, 'call-ended', {
        callId: call.id,
        by: client.userId,
        reason: EndReason.AnsweredElsewhere,
      });
      this.#unlink(socketId, call);
    }
    call.ringingSockets.clear();
    if (call.caller.socketId) {
      this.#deps.outbox.send(call.caller.socketId, 'video-call-accepted', {
        roomId: call.roomId,
        callId: call.id,
        calleeId: callee.userId,
        calleeName: callee.userName,
        resumeToken: this.#resumeToken(call, call.caller),
      });
    }
    this.#deps.onStatusChange([call.caller.userId, client.userId]);
    this.#deps.metrics.ringOutcome('accepted');
    this.#deps.logger.info({ callId: call.id, calleeId: client.userId }, 'call accepted');
    return call.sessionFor(this.#resumeToken(call, callee));
  }

  #decline(call: Call, client: Client): void {
    call.invites.set(client.userId, InviteState.Declined);
    for (const [socketId, userId] of call.ringingSockets) {
      if (userId !== client.userId) continue;
      if (socketId !== client.id) {
        this.#deps.outbox.send(socketId, 'call-ended', {
          callId: call.id,
          by: client.userId,
          reason: EndReason.AnsweredElsewhere,
        });
      }
      this.#stopRinging(call, socketId);
    }
    this.#settle(call);
  }

  #cancel(call: Call, by: UserId | null): void {
    this.#deps.metrics.ringOutcome('cancelled');
    this.#endRinging(call, { callId: call.id, by, reason: EndReason.Cancelled });
    this.#finish(call);
  }

  #timeOut(call: Call): void {
    this.#endRinging(call, { callId: call.id, by: null, reason: EndReason.Timeout });
    this.#reject(call, RejectReason.Timeout);
  }

  /** Ends the call for good when no invite rings any more. */
  #settle(call: Call): void {
    if (call.state === CallState.Ringing && call.outcome()) this.#reject(call);
  }

  #reject(call: Call, reason = call.outcome() ?? RejectReason.Unavailable): void {
    if (call.caller.socketId) {
      this.#deps.outbox.send(call.caller.socketId, 'video-call-rejected', {
        roomId: call.roomId,
        callId: call.id,
        ...(call.soleInvitee() ? { calleeId: call.soleInvitee() } : {}),
        reason,
      });
    }
    this.#deps.metrics.ringOutcome(reason);
    this.#deps.logger.info({ callId: call.id, reason }, 'call rejected');
    this.#finish(call);
  }

  #removeParticipant(call: Call, participant: Participant, by: UserId | null, reason: EndReason): void {
    clearTimeout(participant.graceTimer);
    call.participants.delete(participant.userId);
    if (participant.socketId) this.#unlink(participant.socketId, call);
    this.#unlinkUser(participant.userId, call);
    if (call.participants.size >= 2) {
      this.#deps.onStatusChange([participant.userId]);
      return;
    }
    for (const other of call.participants.values()) {
      if (other.socketId)
        this.#deps.outbox.send(other.socketId, 'call-ended', { callId: call.id, by, reason });
    }
    this.#deps.logger.info({ callId: call.id, by, reason }, 'call ended');
    this.#finish(call, [participant.userId]);
  }

  /** A socket stops taking part without `end-call`: it left the room or lost its connection. */
  #depart(call: Call, client: Client, departure: Departure): void {
    if (call.state === CallState.Ringing) {
      if (call.caller.socketId === client.id) {
        this.#cancel(call, departure === 'left-room' ? client.userId : null);
      } else if (call.ringingSockets.has(client.id)) {
        this.#stopRinging(call, client.id);
        if (![...call.ringingSockets.values()].includes(client.userId)) {
          call.invites.set(client.userId, InviteState.Unavailable);
        }
        this.#settle(call);
      }
      return;
    }
    const participant = call.participantBySocket(client.id);
    if (!participant) return;
    if (departure === 'left-room') {
      this.#removeParticipant(call, participant, client.userId, EndReason.Hangup);
      return;
    }
    participant.socketId = null;
    this.#unlink(client.id, call);
    this.#startGrace(call, participant);
    this.#deps.logger.info(
      { callId: call.id, userId: client.userId },
      'participant disconnected; grace period',
    );
  }

  #finish(call: Call, alsoChanged: UserId[] = []): void {
    call.state = CallState.Ended;
    this.#clearTimers(call);
    for (const socketId of call.ringingSockets.keys()) this.#unlink(socketId, call);
    call.ringingSockets.clear();
    const changed = [...alsoChanged, ...call.participants.keys()];
    for (const participant of call.participants.values()) {
      if (participant.socketId) this.#unlink(participant.socketId, call);
    }
    for (const userId of new Set([...call.invites.keys(), ...call.participants.keys()]))
      this.#unlinkUser(userId, call);
    this.#calls.delete(call.id);
    this.#ended.add(call.id);
    if (this.#ended.size > ENDED_CALLS_REMEMBERED)
      this.#ended.delete(this.#ended.values().next().value as CallId);
    this.#deps.onStatusChange(changed);
  }

  // ---- ringing --------------------------------------------------------------------------------

  #ring(call: Call, socketId: string, userId: UserId): void {
    call.ringingSockets.set(socketId, userId);
    this.#link(socketId, call);
    this.#deps.outbox.send(socketId, 'incoming-video-call', {
      roomId: call.roomId,
      callId: call.id,
      callerId: call.caller.userId,
      callerName: call.caller.userName,
    });
  }

  #stopRinging(call: Call, socketId: string): void {
    call.ringingSockets.delete(socketId);
    this.#unlink(socketId, call);
  }

  #endRinging(call: Call, ended: { callId: CallId; by: UserId | null; reason: EndReason }): void {
    const socketIds = [...call.ringingSockets.keys()];
    if (socketIds.length > 0) this.#deps.outbox.send(socketIds, 'call-ended', ended);
  }

  #ringingFor(userId: UserId, roomId: RoomId): Call[] {
    return [...(this.#callsByUser.get(userId) ?? [])].filter(
      (call) => call.roomId === roomId && call.isRingingFor(userId),
    );
  }

  #ringingCall(userId: UserId, roomId: RoomId, callId: CallId | undefined): Call {
    if (callId !== undefined) {
      const call = this.#calls.get(callId);
      // Calls are visible to members of their room (the caller joined it too), so `not-ringing` leaks nothing.
      if (!call || call.roomId !== roomId) throw callNotFound();
      if (!call.isRingingFor(userId))
        throw new ProtocolError(ErrorCode.NotRinging, 'This call is not ringing for you');
      return call;
    }
    const ringing = this.#ringingFor(userId, roomId);
    const [call] = ringing;
    if (!call) throw new ProtocolError(ErrorCode.NotRinging, 'No call is ringing for you in this room');
    if (ringing.length > 1) {
      throw new ProtocolError(
        ErrorCode.AmbiguousCall,
        'Several calls ring for you in this room: give a callId',
      );
    }
    return call;
  }

  #requireMember(client: Client, roomId: RoomId): void {
    if (!this.#deps.rooms.hasSocket(roomId, client.userId, client.id)) {
      throw new ProtocolError(ErrorCode.NotInRoom, 'Join the room first');
    }
  }

  // ---- indexes --------------------------------------------------------------------------------

  #clearTimers(call: Call): void {
    clearTimeout(call.ringTimer);
    for (const participant of call.participants.values()) clearTimeout(participant.graceTimer);
  }

  #callsOfSocket(socketId: string): Call[] {
    return [...(this.#callsBySocket.get(socketId) ?? [])];
  }

  #link(socketId: string, call: Call): void {
    addTo(this.#callsBySocket, socketId, call);
  }

  #unlink(socketId: string, call: Call): void {
    removeFrom(this.#callsBySocket, socketId, call);
  }

  #linkUser(userId: UserId, call: Call): void {
    addTo(this.#callsByUser, userId, call);
  }

  #unlinkUser(userId: UserId, call: Call): void {
    removeFrom(this.#callsByUser, userId, call);
  }
}

function callNotFound(): ProtocolError {
  return new ProtocolError(ErrorCode.CallNotFound, 'No such call for you');
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  set?.delete(value);
  if (set?.size === 0) index.delete(key);
}
