import { ClientErrorCode, RingletError, type RingletErrorCode } from './ringlet-error.js';

/** What each `getUserMedia` failure means for the user (DOMException names, old Chrome names included). */
const codeByErrorName: Readonly<Record<string, RingletErrorCode>> = {
  NotAllowedError: ClientErrorCode.PermissionDenied,
  PermissionDeniedError: ClientErrorCode.PermissionDenied,
  SecurityError: ClientErrorCode.PermissionDenied,
  NotFoundError: ClientErrorCode.NoDevice,
  DevicesNotFoundError: ClientErrorCode.NoDevice,
  NotReadableError: ClientErrorCode.DeviceBusy,
  TrackStartError: ClientErrorCode.DeviceBusy,
  AbortError: ClientErrorCode.DeviceBusy,
  OverconstrainedError: ClientErrorCode.Overconstrained,
  ConstraintNotSatisfiedError: ClientErrorCode.Overconstrained,
  // No mediaDevices at all: an old browser or a page not served over HTTPS.
  TypeError: ClientErrorCode.MediaUnsupported,
};

/** Turns a `getUserMedia` rejection into a coded {@link RingletError}. */
export function mediaErrorFrom(error: unknown): RingletError {
  if (error instanceof RingletError) return error;
  const name = error instanceof Error ? error.name : '';
  const code = codeByErrorName[name] ?? ClientErrorCode.DeviceBusy;
  const message = error instanceof Error ? error.message : String(error);
  return new RingletError(code, `getUserMedia failed (${name || 'unknown'}): ${message}`, {
    cause: error,
  });
}

/** Failures after which a call can still go ahead with the microphone alone. */
export function isCameraProblem(error: unknown): boolean {
  const code = mediaErrorFrom(error).code;
  return (
    code === ClientErrorCode.NoDevice ||
    code === ClientErrorCode.Overconstrained ||
    code === ClientErrorCode.DeviceBusy
  );
}
