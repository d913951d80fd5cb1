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
import type { Deadline, StateStore } from '../state/store.js';
import { Call, CallState, InviteState, newParticipant, type Client, type Participant } from './call.js';
import { Effects } from './effects.js';
import type { ResumeClaims, ResumeTokens } from './resume-tokens.js';

export interface CallServiceDeps {
  store: StateStore;
  outbox: Outbox;
  logger: Logger;
  metrics: MetricsSink;
  ringTimeoutMs: number;
  rejoinGraceMs: number;
  resumeTokens: ResumeTokens;
  /** Called after each change with the users whose presence status may have changed. */
  onStatusChange(userIds: UserId[]): Promise<void>;
}

/** Why a socket stops taking part in a call without an explicit `end-call`. */
export type Departure = 'left-room' | 'disconnected';

/** After a restart every participant reconnects with backoff: give the others longer than after a blip. */
const RESTORE_GRACE_FACTOR = 2;

/**
 * The call rules of PROTOCOL.md: ringing, first-accept-wins, decline / busy / timeout / unavailable,
 * glare, hang-up, the rejoin grace period, and who may signal whom. State lives in the store: every change
 * runs under its room's lock, loads what it needs, stores the result, and only then tells clients.
 */
export class CallService {
  readonly #deps: CallServiceDeps;

  constructor(deps: CallServiceDeps) {
    this.#deps = deps;
    deps.store.deadlines.start((deadline) => this.#due(deadline));
  }

  get #calls() {
    return this.#deps.store.calls;
  }

  get #rooms() {
    return this.#deps.store.rooms;
  }

  /** True while the user places a ringing call or takes part in an accepted one. */
  async #isEngaged(userId: UserId): Promise<boolean> {
    return (await this.#calls.engaged([userId])).has(userId);
  }

  request(
    client: Client,
    request: { roomId: RoomId; callerId: UserId; callerName: string; calleeId?: UserId | undefined },
    afterAck: (task: () => Promise<void>) => void,
  ): Promise<CallRequestResult> {
    const { roomId, calleeId } = request;
    return this.#change(roomId, async (fx) => {
      await this.#requireMember(client, roomId);
      if (request.callerId !== client.userId) {
        throw new ProtocolError(ErrorCode.IdentityMismatch, 'callerId must be your own user id');
      }
      if (calleeId === client.userId) throw new ProtocolError(ErrorCode.SelfCall, 'You cannot call yourself');
      if (await this.#isEngaged(client.userId)) {
        throw new ProtocolError(ErrorCode.AlreadyInCall, 'You are already in a call');
      }
      const targets = calleeId
        ? (await this.#rooms.has(roomId, calleeId))
          ? [calleeId]
          : []
        : (await this.#rooms.members(roomId))
            .map((member) => member.userId)
            .filter((userId) => userId !== client.userId);
      if (targets.length === 0) {
        throw new ProtocolError(
          ErrorCode.NoCallee,
          calleeId ? `${calleeId} is not in this room` : 'There is no one else in this room to call',
        );
      }

      const glare = (await this.#ringingFor(client.userId, roomId)).find((call) =>
        targets.includes(call.caller.userId),
      );
      if (glare) return { role: 'callee', ...(await this.#accept(glare, client, fx)) };

      const call = new Call(roomId, newParticipant(client, request.callerName));
      if (!(await this.#calls.engage(client.userId, call.id))) {
        throw new ProtocolError(ErrorCode.AlreadyInCall, 'You are already in a call');
      }
      const engaged = await this.#calls.engaged(targets);
      for (const userId of targets) {
        if (engaged.has(userId)) {
          call.invites.set(userId, InviteState.Busy);
          continue;
        }
        call.invites.set(userId, InviteState.Ringing);
        for (const socketId of await this.#rooms.socketsOf(roomId, userId))
          this.#ring(call, socketId, userId, fx);
      }
      await this.#calls.save(call);
      fx.statusChanged([client.userId]);

      if (call.outcome()) {
        afterAck(() =>
          this.#change(roomId, async (later) => {
            const current = await this.#calls.get(call.id);
            if (current?.state === CallState.Ringing && current.outcome()) await this.#reject(current, later);
          }),
        );
      } else {
        await this.#deps.store.deadlines.set(ringDeadline(call), this.#deps.ringTimeoutMs);
      }
      this.#deps.logger.info({ callId: call.id, roomId, callerId: client.userId, targets }, 'call ringing');
      return { role: 'caller', callId: call.id };
    });
  }

  respond(client: Client, response: { roomId: RoomId; accepted: boolean; callId?: CallId | undefined }) {
    return this.#change(response.roomId, async (fx) => {
      await this.#requireMember(client, response.roomId);
      const call = await this.#ringingCall(client.userId, response.roomId, response.callId);
      if (!response.accepted) {
        await this.#decline(call, client, fx);
        return { accepted: false as const, callId: call.id };
      }
      return { accepted: true as const, ...(await this.#accept(call, client, fx)) };
    });
  }

  /** Checks that `client` may signal in `callId` and returns whom to relay to, `from` set by us. Reads only. */
  async relayTargets(
    client: Client,
    callId: CallId,
    to: UserId | undefined,
  ): Promise<{ from: UserId; socketIds: string[] }> {
    const call = await this.#calls.get(callId);
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
  async end(client: Client, callId: CallId): Promise<void> {
    const found = await this.#calls.get(callId);
    if (!found) throw callNotFound();
    await this.#change(found.roomId, async (fx) => {
      const call = await this.#calls.get(callId);
      if (call?.state === CallState.Ringing && call.caller.socketId === client.id) {
        await this.#cancel(call, client.userId, fx);
        return;
      }
      const participant = call?.participantBySocket(client.id);
      if (!call || call.state !== CallState.Active || !participant) throw callNotFound();
      await this.#removeParticipant(call, participant, client.userId, EndReason.Hangup, fx);
    });
  }

  /**
   * `rejoin-call`: the socket takes over its user's place in the call. A call the store does not know (the
   * service restarted) is restored from the verified token; the others then have the grace period to rejoin
   * too.
   */
  async rejoin(
    client: Client,
    callId: CallId,
    resumeToken: string,
  ): Promise<{ participants: CallParticipant[] }> {
    const claims = this.#deps.resumeTokens.verify(resumeToken);
    if (!claims || claims.callId !== callId || claims.userId !== client.userId) throw callNotFound();
    return this.#change(claims.roomId, async (fx) => {
      if (await this.#calls.isEnded(callId)) throw callNotFound();
      const call = (await this.#calls.get(callId)) ?? (await this.#restore(claims, client, fx));
      const participant = call.participants.get(client.userId);
      if (call.state !== CallState.Active || !participant) throw callNotFound();
      await this.#deps.store.deadlines.clear(graceDeadline(call, client.userId));
      participant.socketId = client.id;
      await this.#calls.save(call);
      this.#deps.logger.info({ callId, userId: client.userId }, 'participant rejoined');
      return { participants: call.participantList() };
    });
  }

  /** A socket joined a room: if a call already rings for its user there, ring this tab too. */
  joinedRoom(client: Client, roomId: RoomId): Promise<void> {
    return this.#change(roomId, async (fx) => {
      // It may have left (or disconnected) since it joined.
      if (!(await this.#rooms.hasSocket(roomId, client.userId, client.id))) return;
      for (const call of await this.#ringingFor(client.userId, roomId)) {
        if (call.ringingSockets.has(client.id)) continue;
        this.#ring(call, client.id, client.userId, fx);
        await this.#calls.save(call);
      }
    });
  }

  /** The socket leaves the room's calls. */
  departRoom(client: Client, roomId: RoomId, departure: Departure): Promise<void> {
    return this.#deps.store.withRoom(roomId, () => this.departRoomLocked(client, roomId, departure));
  }

  /** {@link departRoom} for a caller that holds the room's lock (to leave the room in the same change). */
  departRoomLocked(client: Client, roomId: RoomId, departure: Departure): Promise<void> {
    return this.#apply(async (fx) => {
      for (const call of await this.#calls.ofSocket(client.id)) {
        if (call.roomId === roomId) await this.#depart(call, client, departure, fx);
      }
    });
  }

  /** The socket is gone: every call it still rings in or speaks for learns so. */
  async disconnected(client: Client): Promise<void> {
    const roomIds = new Set((await this.#calls.ofSocket(client.id)).map((call) => call.roomId));
    for (const roomId of roomIds) await this.departRoom(client, roomId, 'disconnected');
  }

  // ---- changes --------------------------------------------------------------------------------

  /** Runs one change under the room's lock. */
  #change<T>(roomId: RoomId, task: (fx: Effects) => Promise<T>): Promise<T> {
    return this.#deps.store.withRoom(roomId, () => this.#apply(task));
  }

  /** Runs one change (its room's lock held); tells clients only once it is stored. */
  async #apply<T>(task: (fx: Effects) => Promise<T>): Promise<T> {
    const fx = new Effects(this.#deps.outbox);
    const result = await task(fx);
    fx.flush();
    if (fx.changed.size > 0) await this.#deps.onStatusChange([...fx.changed]);
    return result;
  }

  async #due(deadline: Deadline): Promise<void> {
    try {
      await this.#change(deadline.roomId, async (fx) => {
        const call = await this.#calls.get(deadline.callId);
        if (deadline.kind === 'ring') {
          if (call?.state === CallState.Ringing) await this.#timeOut(call, fx);
          return;
        }
        const participant = call?.participants.get(deadline.userId);
        if (call?.state === CallState.Active && participant && participant.socketId === null) {
          await this.#removeParticipant(call, participant, null, EndReason.Disconnected, fx);
        }
      });
    } catch (error) {
      // Another node will see the deadline again only if it is still stored; log and carry on.
      this.#deps.logger.error({ err: error, deadline }, 'deadline failed');
    }
  }

  // ---- transitions ---------------------------------------------------------------------------

  async #restore(claims: ResumeClaims, client: Client, fx: Effects): Promise<Call> {
    const participants = claims.participants.map(({ userId, userName }): Participant => ({
      userId,
      userName,
      socketId: null,
    }));
    const caller = participants.find((participant) => participant.userId === claims.callerId);
    if (!caller || !(await this.#calls.engage(client.userId, claims.callId))) throw callNotFound();
    const call = new Call(claims.roomId, caller, claims.callId);
    call.state = CallState.Active;
    const graceMs = this.#deps.rejoinGraceMs * RESTORE_GRACE_FACTOR;
    for (const participant of participants) {
      call.participants.set(participant.userId, participant);
      if (participant.userId === client.userId) continue;
      // Someone who meanwhile took another call will not come back; their grace period ends their place.
      await this.#calls.engage(participant.userId, call.id);
      await this.#deps.store.deadlines.set(graceDeadline(call, participant.userId), graceMs);
    }
    fx.statusChanged(call.participants.keys());
    this.#deps.logger.info({ callId: call.id, userId: client.userId }, 'call restored from a resume token');
    return call;
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

  async #accept(call: Call, client: Client, fx: Effects): Promise<CallSession> {
    if (!(await this.#calls.engage(client.userId, call.id))) {
      throw new ProtocolError(ErrorCode.AlreadyInCall, 'You are already in a call; end it first');
    }
    await this.#deps.store.deadlines.clear(ringDeadline(call));
    call.state = CallState.Active;
    call.invites.set(client.userId, InviteState.Accepted);
    const callee = newParticipant(client, await this.#rooms.userName(call.roomId, client.userId));
    call.participants.set(client.userId, callee);
    for (const socketId of call.ringingSockets.keys()) {
      if (socketId === client.id) continue;
      fx.send(socketId, 'call-ended', {
        callId: call.id,
        by: client.userId,
        reason: EndReason.AnsweredElsewhere,
      });
    }
    call.ringingSockets.clear();
    if (call.caller.socketId) {
      fx.send(call.caller.socketId, 'video-call-accepted', {
        roomId: call.roomId,
        callId: call.id,
        calleeId: callee.userId,
        calleeName: callee.userName,
        resumeToken: this.#resumeToken(call, call.caller),
      });
    }
    await this.#calls.save(call);
    fx.statusChanged([call.caller.userId, client.userId]);
    this.#deps.metrics.ringOutcome('accepted');
    this.#deps.logger.info({ callId: call.id, calleeId: client.userId }, 'call accepted');
    return call.sessionFor(this.#resumeToken(call, callee));
  }

  async #decline(call: Call, client: Client, fx: Effects): Promise<void> {
    call.invites.set(client.userId, InviteState.Declined);
    for (const [socketId, userId] of call.ringingSockets) {
      if (userId !== client.userId) continue;
      if (socketId !== client.id) {
        fx.send(socketId, 'call-ended', {
          callId: call.id,
          by: client.userId,
          reason: EndReason.AnsweredElsewhere,
        });
      }
      call.ringingSockets.delete(socketId);
    }
    await this.#settle(call, fx);
  }

  async #cancel(call: Call, by: UserId | null, fx: Effects): Promise<void> {
    this.#deps.metrics.ringOutcome('cancelled');
    this.#endRinging(call, { callId: call.id, by, reason: EndReason.Cancelled }, fx);
    await this.#finish(call, fx);
  }

  async #timeOut(call: Call, fx: Effects): Promise<void> {
    this.#endRinging(call, { callId: call.id, by: null, reason: EndReason.Timeout }, fx);
    await this.#reject(call, fx, RejectReason.Timeout);
  }

  /** Ends the call for good when no invite rings any more; otherwise stores what changed. */
  async #settle(call: Call, fx: Effects): Promise<void> {
    if (call.state === CallState.Ringing && call.outcome()) await this.#reject(call, fx);
    else await this.#calls.save(call);
  }

  async #reject(call: Call, fx: Effects, reason = call.outcome() ?? RejectReason.Unavailable): Promise<void> {
    if (call.caller.socketId) {
      const calleeId = call.soleInvitee();
      fx.send(call.caller.socketId, 'video-call-rejected', {
        roomId: call.roomId,
        callId: call.id,
        ...(calleeId ? { calleeId } : {}),
        reason,
      });
    }
    this.#deps.metrics.ringOutcome(reason);
    this.#deps.logger.info({ callId: call.id, reason }, 'call rejected');
    await this.#finish(call, fx);
  }

  async #removeParticipant(
    call: Call,
    participant: Participant,
    by: UserId | null,
    reason: EndReason,
    fx: Effects,
  ): Promise<void> {
    await this.#deps.store.deadlines.clear(graceDeadline(call, participant.userId));
    call.participants.delete(participant.userId);
    await this.#calls.disengage(participant.userId, call.id);
    if (call.participants.size >= 2) {
      await this.#calls.save(call);
      fx.statusChanged([participant.userId]);
      return;
    }
    for (const other of call.participants.values()) {
      if (other.socketId) fx.send(other.socketId, 'call-ended', { callId: call.id, by, reason });
    }
    this.#deps.logger.info({ callId: call.id, by, reason }, 'call ended');
    await this.#finish(call, fx, [participant.userId]);
  }

  /** A socket stops taking part without `end-call`: it left the room or lost its connection. */
  async #depart(call: Call, client: Client, departure: Departure, fx: Effects): Promise<void> {
    if (call.state === CallState.Ringing) {
      if (call.caller.socketId === client.id) {
        await this.#cancel(call, departure === 'left-room' ? client.userId : null, fx);
      } else if (call.ringingSockets.delete(client.id)) {
        if (![...call.ringingSockets.values()].includes(client.userId)) {
          call.invites.set(client.userId, InviteState.Unavailable);
        }
        await this.#settle(call, fx);
      }
      return;
    }
    const participant = call.participantBySocket(client.id);
    if (!participant) return;
    if (departure === 'left-room') {
      await this.#removeParticipant(call, participant, client.userId, EndReason.Hangup, fx);
      return;
    }
    participant.socketId = null;
    await this.#calls.save(call);
    await this.#deps.store.deadlines.set(graceDeadline(call, participant.userId), this.#deps.rejoinGraceMs);
    this.#deps.logger.info(
      { callId: call.id, userId: client.userId },
      'participant disconnected; grace period',
    );
  }

  async #finish(call: Call, fx: Effects, alsoChanged: UserId[] = []): Promise<void> {
    call.state = CallState.Ended;
    const { deadlines } = this.#deps.store;
    await deadlines.clear(ringDeadline(call));
    for (const userId of call.participants.keys()) {
      await deadlines.clear(graceDeadline(call, userId));
      await this.#calls.disengage(userId, call.id);
    }
    await this.#calls.finish(call);
    fx.statusChanged([...alsoChanged, ...call.participants.keys()]);
  }

  // ---- ringing --------------------------------------------------------------------------------

  #ring(call: Call, socketId: string, userId: UserId, fx: Effects): void {
    call.ringingSockets.set(socketId, userId);
    fx.send(socketId, 'incoming-video-call', {
      roomId: call.roomId,
      callId: call.id,
      callerId: call.caller.userId,
      callerName: call.caller.userName,
    });
  }

  #endRinging(
    call: Call,
    ended: { callId: CallId; by: UserId | null; reason: EndReason },
    fx: Effects,
  ): void {
    const socketIds = [...call.ringingSockets.keys()];
    if (socketIds.length > 0) fx.send(socketIds, 'call-ended', ended);
  }

  async #ringingFor(userId: UserId, roomId: RoomId): Promise<Call[]> {
    return (await this.#calls.ofUser(userId)).filter(
      (call) => call.roomId === roomId && call.isRingingFor(userId),
    );
  }

  async #ringingCall(userId: UserId, roomId: RoomId, callId: CallId | undefined): Promise<Call> {
    if (callId !== undefined) {
      const call = await this.#calls.get(callId);
      // Calls are visible to members of their room (the caller joined it too), so `not-ringing` leaks nothing.
      if (!call || call.roomId !== roomId) throw callNotFound();
      if (!call.isRingingFor(userId))
        throw new ProtocolError(ErrorCode.NotRinging, 'This call is not ringing for you');
      return call;
    }
    const ringing = await this.#ringingFor(userId, roomId);
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

  async #requireMember(client: Client, roomId: RoomId): Promise<void> {
    if (!(await this.#rooms.hasSocket(roomId, client.userId, client.id))) {
      throw new ProtocolError(ErrorCode.NotInRoom, 'Join the room first');
    }
  }
}

const ringDeadline = (call: Call): Deadline => ({ kind: 'ring', roomId: call.roomId, callId: call.id });

const graceDeadline = (call: Call, userId: UserId): Deadline => ({
  kind: 'grace',
  roomId: call.roomId,
  callId: call.id,
  userId,
});

function callNotFound(): ProtocolError {
  return new ProtocolError(ErrorCode.CallNotFound, 'No such call for you');
}
