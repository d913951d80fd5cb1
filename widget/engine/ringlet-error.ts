import type { ErrorCode } from '../../server/protocol.js';

/** Failures the widget itself detects, beside the service's own {@link ErrorCode}s. */
export const ClientErrorCode = {
  /** The browser or the user refused camera and microphone access. */
  PermissionDenied: 'permission-denied',
  /** No camera and no microphone were found. */
  NoDevice: 'no-device',
  /** The camera or microphone is in use by another application, or failed. */
  DeviceBusy: 'device-busy',
  /** The requested camera settings cannot be met by any device. */
  Overconstrained: 'overconstrained',
  /** This browser cannot capture media (no `getUserMedia`, or an insecure page). */
  MediaUnsupported: 'media-unsupported',
  /** The peer-to-peer media connection could not be set up. */
  ConnectionFailed: 'connection-failed',
  /** The media connection of a call in progress dropped and did not come back in time. */
  ConnectionLost: 'connection-lost',
  /** The TURN relay refused the credentials the service handed out (e.g. a mismatched shared secret). */
  RelayRefused: 'relay-refused',
  /** No ICE candidate could be gathered: the TURN relay (or STUN server) could not be reached. */
  RelayUnreachable: 'relay-unreachable',
  /** The signaling service cannot be reached. */
  ServiceUnreachable: 'service-unreachable',
  /** The signaling service did not answer a request in time. */
  Timeout: 'timeout',
  /** The element is missing a required attribute (`room`, `user-id`). */
  NotConfigured: 'not-configured',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export type RingletErrorCode = ErrorCode | ClientErrorCode;

/** Every error the engine reports: a stable code, a developer message and the original cause. */
export class RingletError extends Error {
  override readonly name = 'RingletError';

  constructor(
    readonly code: RingletErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wraps anything thrown into a {@link RingletError}, keeping one that already is. */
export function toRingletError(error: unknown, fallback: RingletErrorCode): RingletError {
  if (error instanceof RingletError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RingletError(fallback, message, { cause: error });
}
