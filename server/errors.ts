import type { AckError, ErrorCode } from './protocol.js';

/** An expected, client-caused failure: becomes `{ ok: false, error: { code, message } }` on the wire. */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }

  toAck(): AckError {
    return { ok: false, error: { code: this.code, message: this.message } };
  }
}
