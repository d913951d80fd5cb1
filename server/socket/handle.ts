import type { Logger } from 'pino';
import { ProtocolError } from '../errors.js';
import type { MetricsSink } from '../metrics.js';
import { ErrorCode, type AckError, type AckResult } from '../protocol.js';
import { StoreUnavailableError } from '../state/store.js';
import { parseSafely, schemas, type InboundEvent, type Payload } from '../validation.js';
import type { RingletSocket } from './types.js';

type AckFn = (result: AckResult<object>) => void;

export interface HandlerContext {
  /** Runs `task` right after the ack is sent, so the sender learns the outcome before any follow-up event. */
  afterAck: (task: () => void | Promise<void>) => void;
}

export type Handler<E extends InboundEvent> = (
  payload: Payload<E>,
  context: HandlerContext,
) => object | void | Promise<object | void>;

/**
 * Registers one client → server event: validates the payload, runs the handler and answers the optional ack
 * with `{ ok: true, ...result }` or `{ ok: false, error }`. A function in place of the payload is the ack of an
 * empty (so invalid) payload. Without an ack, errors are only logged.
 */
export interface HandleDeps {
  logger: Logger;
  metrics: MetricsSink;
}

/** The last event each connection has queued; `respond` never rejects, so neither does the chain. */
const inOrder = new WeakMap<RingletSocket, Promise<void>>();

export function handle<E extends InboundEvent>(
  socket: RingletSocket,
  { logger, metrics }: HandleDeps,
  event: E,
  handler: Handler<E>,
): void {
  const inbound: InboundEvent = event;
  socket.on(inbound, (...args: unknown[]) => {
    // One connection's events are handled one after the other, in the order they came: an ack never
    // overtakes the answer to an earlier request, and relayed signals keep their order.
    const handled = (inOrder.get(socket) ?? Promise.resolve()).then(() => respond(args));
    inOrder.set(socket, handled);
  });

  async function respond(args: unknown[]): Promise<void> {
    // Queued behind a slower event when the connection closed: its departure is already under way.
    if (socket.disconnected) return;
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as AckFn) : undefined;
    const raw = typeof args[0] === 'function' ? undefined : args[0];
    const followUps: (() => void | Promise<void>)[] = [];
    let result: AckResult<object>;
    try {
      const parsed = parseSafely(schemas[event], raw);
      if (!parsed.success) throw new ProtocolError(ErrorCode.InvalidPayload, parsed.message);
      const value = await handler(parsed.data as Payload<E>, { afterAck: (task) => followUps.push(task) });
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
