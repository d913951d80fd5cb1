import { mediaErrorFrom, isCameraProblem } from './media-errors.js';
import { ClientErrorCode, RingletError } from './ringlet-error.js';
import { TypedEmitter } from './typed-emitter.js';

/** Which of your devices are on; the same shape travels in `media-state`. */
export interface MediaState {
  audio: boolean;
  video: boolean;
}

const AUDIO_CONSTRAINTS: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true };
const VIDEO_CONSTRAINTS: MediaTrackConstraints = {
  facingMode: 'user',
  width: { ideal: 1280 },
  height: { ideal: 720 },
};

function mediaDevices(): MediaDevices {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    throw new RingletError(
      ClientErrorCode.MediaUnsupported,
      'navigator.mediaDevices.getUserMedia is unavailable (old browser or insecure page).',
    );
  }
  return navigator.mediaDevices;
}

/**
 * Your camera and microphone for one call. Turning the camera off stops its track (the camera
 * light goes out); turning it on asks for a new one.
 */
export class LocalMedia {
  readonly events = new TypedEmitter<{ change: MediaState }>();
  private stopped = false;

  private constructor(
    readonly stream: MediaStream,
    /** The camera was missing or busy: the call started with the microphone alone. */
    readonly audioOnly = false,
  ) {
    for (const track of stream.getTracks()) this.watchTrack(track);
  }

  /** Camera and microphone, or the microphone alone when the camera is missing or busy. */
  static async acquire(): Promise<LocalMedia> {
    const devices = mediaDevices();
    try {
      return new LocalMedia(
        await devices.getUserMedia({ audio: AUDIO_CONSTRAINTS, video: VIDEO_CONSTRAINTS }),
      );
    } catch (error) {
      if (!isCameraProblem(error)) throw mediaErrorFrom(error);
    }
    try {
      return new LocalMedia(await devices.getUserMedia({ audio: AUDIO_CONSTRAINTS }), true);
    } catch (error) {
      throw mediaErrorFrom(error);
    }
  }

  get audioTrack(): MediaStreamTrack | null {
    return this.stream.getAudioTracks()[0] ?? null;
  }

  get videoTrack(): MediaStreamTrack | null {
    return this.stream.getVideoTracks()[0] ?? null;
  }

  get state(): MediaState {
    const audio = this.audioTrack;
    const video = this.videoTrack;
    return {
      audio: audio !== null && audio.enabled && audio.readyState === 'live',
      video: video !== null && video.enabled && video.readyState === 'live',
    };
  }

  setMicrophoneEnabled(enabled: boolean): void {
    const track = this.audioTrack;
    if (!track || track.enabled === enabled) return;
    track.enabled = enabled;
    this.emitChange();
  }

  /** Stops the camera (returns `null`) or starts a new camera track (returns it). */
  async setCameraEnabled(enabled: boolean): Promise<MediaStreamTrack | null> {
    if (!enabled) {
      const track = this.videoTrack;
      if (track) {
        track.stop();
        this.stream.removeTrack(track);
        this.emitChange();
      }
      return null;
    }
    if (this.videoTrack) return this.videoTrack;
    let camera: MediaStream;
    try {
      camera = await mediaDevices().getUserMedia({ video: VIDEO_CONSTRAINTS });
    } catch (error) {
      throw mediaErrorFrom(error);
    }
    const [track] = camera.getVideoTracks();
    if (!track) throw new RingletError(ClientErrorCode.NoDevice, 'getUserMedia gave no video track.');
    if (this.stopped) {
      track.stop();
      return null;
    }
    this.stream.addTrack(track);
    this.watchTrack(track);
    this.emitChange();
    return track;
  }

  /** Stops every track; the devices are released. */
  stop(): void {
    this.stopped = true;
    for (const track of this.stream.getTracks()) track.stop();
    this.events.clear();
  }

  private watchTrack(track: MediaStreamTrack): void {
    // A device unplugged or taken away by the system.
    track.addEventListener('ended', () => this.emitChange(), { once: true });
  }

  private emitChange(): void {
    this.events.emit('change', this.state);
  }
}
