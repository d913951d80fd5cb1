import type { ExtendedError } from 'socket.io';
import type { ConnectErrorData, ConnectErrorMessage, ErrorCode } from '../protocol.js';

/** A handshake refusal: the client gets `connect_error` with `message` and `data: { code, message }`. */
export function refusal(message: ConnectErrorMessage, code: ErrorCode, text: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  const data: ConnectErrorData = { code, message: text };
  error.data = data;
  return error;
}
