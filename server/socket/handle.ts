import type { Logger } from 'pino';
import { ProtocolError } from '../errors.js';
import type { MetricsSink } from '../metrics.js';
import { ErrorCode, type AckError, type AckResult } from '../protocol.js';
import { parseSafely, schemas, type InboundEvent, type Payload } from '../validation.js';
import type { RingletSocket } from './types.js';

type AckFn = (result: AckResult<object>) => void;

export interface HandlerContext {
  /** Runs `task` right after the ack is sent, so the sender learns the outcome before any follow-up event. */
  afterAck: (task: () => void) => void;
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

export function handle<E extends InboundEvent>(
  socket: RingletSocket,
  { logger, metrics }: HandleDeps,
  event: E,
  handler: Handler<E>,
): void {
  const inbound: InboundEvent = event;
  socket.on(inbound, (...args: unknown[]) => void respond(args));

  async function respond(args: unknown[]): Promise<void> {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (last as AckFn) : undefined;
    const raw = typeof args[0] === 'function' ? undefined : args[0];
    const followUps: (() => void)[] = [];
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
        task();
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
  logger.error({ ...context, err: error }, 'handler failed');
  return { ok: false, error: { code: ErrorCode.Internal, message: 'Something went wrong on the service' } };
}
