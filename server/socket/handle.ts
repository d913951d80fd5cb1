import type { Logger } from 'pino';
import { ProtocolError } from '../errors.js';
import type { Limits } from '../limits.js';
import type { MetricsSink } from '../metrics.js';
import { ErrorCode, type AckError, type AckResult } from '../protocol.js';
import { StoreUnavailableError } from '../state/store.js';
import { parseSafely, schemas, type InboundEvent, type Payload } from '../validation.js';
import type { RingletSocket } from './types.js';

type AckFn = (result: AckResult<object>) => void;

/** Tasks to run right after the ack is sent, so the sender learns the outcome before any follow-up event. */
export type FollowUps = (() => void | Promise<void>)[];

export type Handler<E extends InboundEvent> = (
  socket: RingletSocket,
  payload: Payload<E>,
  followUps: FollowUps,
) => object | void | Promise<object | void>;

/** One handler per client → server event, shared by every connection. */
export type HandlerTable = { [E in InboundEvent]: Handler<E> };

export interface DispatchDeps {
  logger: Logger;
  metrics: MetricsSink;
  limits: Limits;
}

const RATE_LIMITED = {
  ok: false,
  error: { code: ErrorCode.RateLimited, message: 'Too many events: slow down' },
} as const;

/** An event waiting for the ones its connection sent before it. */
interface Queued {
  event: InboundEvent;
  args: unknown[];
}

/**
 * Builds, once per server, the `socket.onAny` listener every connection shares (Socket.IO calls it with the
 * socket as `this`), so a connection costs no closures of its own. For each inbound event it:
 * - spends from the connection's event budget: over it, an error ack; far over it, a disconnect;
 * - validates the payload, runs the handler and answers the optional ack with `{ ok: true, ...result }` or
 *   `{ ok: false, error }` (a function in place of the payload is the ack of an empty, so invalid, payload;
 *   without an ack, errors are only logged);
 * - handles one connection's events one after the other, in the order they came: an ack never overtakes the
 *   answer to an earlier request, and relayed signals keep their order.
 * Events the protocol does not know only spend from the budget.
 */
export function eventDispatcher(
  handlers: HandlerTable,
  { logger, metrics, limits }: DispatchDeps,
): (this: RingletSocket, event: unknown, ...args: unknown[]) => void {
  const known = new Map<unknown, InboundEvent>(
    Object.keys(handlers).map((event) => [event, event as InboundEvent]),
  );
  /** The events waiting behind the one being handled, per busy connection; idle ones have no entry. */
  const waiting = new WeakMap<RingletSocket, Queued[]>();

  async function drain(socket: RingletSocket, first: Queued): Promise<void> {
    const queue: Queued[] = [];
    waiting.set(socket, queue);
    try {
      for (let next: Queued | undefined = first; next; next = queue.shift()) await respond(socket, next);
    } finally {
      waiting.delete(socket);
    }
  }

  async function respond(socket: RingletSocket, { event, args }: Queued): Promise<void> {
    // Queued behind a slower event when the connection closed: its departure is already under way.
    if (socket.disconnected) return;
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as AckFn) : undefined;
    const raw = typeof args[0] === 'function' ? undefined : args[0];
    const followUps: FollowUps = [];
    let result: AckResult<object>;
    try {
      const parsed = parseSafely(schemas[event], raw);
      if (!parsed.success) throw new ProtocolError(ErrorCode.InvalidPayload, parsed.message);
      const handler = handlers[event] as Handler<InboundEvent>;
      const value = await handler(socket, parsed.data, followUps);
      result = { ok: true, ...value };
    } catch (error) {
      followUps.length = 0;
      result = toErrorAck(error, logger, { event, socketId: socket.id, userId: socket.data.userId });
      metrics.errorAck(result.error.code);
    }
    ack?.(result);
    for (const task of followUps) {
      try {
        await task();
      } catch (error) {
        logger.error({ err: error, event }, 'follow-up failed');
      }
    }
  }

  return function onEvent(this: RingletSocket, name: unknown, ...args: unknown[]): void {
    const verdict = limits.admitEvent(this.data);
    if (verdict !== 'allow') {
      metrics.errorAck(ErrorCode.RateLimited);
      const ack: unknown = args.at(-1);
      if (typeof ack === 'function') (ack as (result: typeof RATE_LIMITED) => void)(RATE_LIMITED);
      if (verdict === 'disconnect') {
        logger.warn({ socketId: this.id, userId: this.data.userId }, 'event flood: disconnecting');
        this.disconnect(true);
      }
      return;
    }
    const event = known.get(name);
    if (event === undefined) return;
    const queue = waiting.get(this);
    if (queue) queue.push({ event, args });
    else void drain(this, { event, args });
  };
}

function toErrorAck(error: unknown, logger: Logger, context: Record<string, unknown>): AckError {
  if (error instanceof ProtocolError) {
    logger.warn({ ...context, code: error.code, reason: error.message }, 'request refused');
    return error.toAck();
  }
  if (error instanceof StoreUnavailableError) {
    logger.warn({ ...context, reason: error.message }, 'request refused: state store unavailable');
    return { ok: false, error: { code: ErrorCode.Unavailable, message: error.message } };
  }
  logger.error({ ...context, err: error }, 'handler failed');
  return { ok: false, error: { code: ErrorCode.Internal, message: 'Something went wrong on the service' } };
}
