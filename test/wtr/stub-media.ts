type GetUserMedia = MediaDevices['getUserMedia'];

/**
 * Replaces `getUserMedia` for the rest of the test: `decide` may throw a DOMException (a refused or
 * missing device) or return nothing to let the real (fake-device) call go through. Returns the restore.
 */
export function stubGetUserMedia(
  decide: (constraints: MediaStreamConstraints | undefined) => void,
): () => void {
  const devices = navigator.mediaDevices;
  const original: GetUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    decide(constraints);
    return original(constraints);
  };
  return () => {
    devices.getUserMedia = original;
  };
}
