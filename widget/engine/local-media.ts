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

/** A camera or microphone that stopped by itself mid-call (unplugged, or taken away by the system). */
export type LostDevice = 'camera' | 'microphone';

export interface LocalMediaEvents {
  change: MediaState;
  /** A device stopped by itself; its track is already stopped and removed from the stream. */
  'device-lost': LostDevice;
}

/** Failures after which the call can still go ahead without that device. */
function isMissingDevice(error: unknown): boolean {
  const code = mediaErrorFrom(error).code;
  return code === ClientErrorCode.NoDevice || code === ClientErrorCode.DeviceBusy;
}

/**
 * Your camera and microphone for one call. Turning the camera off stops its track (the camera
 * light goes out); turning it on asks for a new one.
 *
 * Without devices the call still goes ahead, with less: no camera (audio only), no microphone (video
 * only), or neither (receive only: you see and hear the other side, who sees and hears nothing of you).
 * Only an explicit refusal (permission denied) or a browser that cannot capture stops the call.
 */
export class LocalMedia {
  readonly events = new TypedEmitter<LocalMediaEvents>();
  #stopped = false;
  /** The call started with no device at all (receive only). */
  readonly #startedEmpty: boolean;

  private constructor(
    readonly stream: MediaStream,
    /** The camera was missing or busy: the call started without video. */
    readonly audioOnly = false,
  ) {
    this.#startedEmpty = stream.getTracks().length === 0;
    for (const track of stream.getTracks()) this.#watchTrack(track);
  }

  /**
   * Camera and microphone; or the microphone alone when the camera is missing or busy; or the camera
   * alone when the microphone is; or nothing (receive only) when neither can be had.
   */
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
      if (!isMissingDevice(error)) throw mediaErrorFrom(error);
    }
    try {
      return new LocalMedia(await devices.getUserMedia({ video: VIDEO_CONSTRAINTS }));
    } catch (error) {
      if (!isMissingDevice(error)) throw mediaErrorFrom(error);
    }
    return new LocalMedia(new MediaStream(), true);
  }

  /** The call started without camera and microphone and still has neither: the other side gets nothing. */
  get receiveOnly(): boolean {
    return this.#startedEmpty && this.stream.getTracks().length === 0;
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

  /** Takes a microphone when there is none (none at the start, or it was unplugged); returns its track. */
  async addMicrophone(): Promise<MediaStreamTrack> {
    if (this.audioTrack) return this.audioTrack;
    let microphone: MediaStream;
    try {
      microphone = await mediaDevices().getUserMedia({ audio: AUDIO_CONSTRAINTS });
    } catch (error) {
      throw mediaErrorFrom(error);
    }
    const [track] = microphone.getAudioTracks();
    if (!track) throw new RingletError(ClientErrorCode.NoDevice, 'getUserMedia gave no audio track.');
    if (this.#stopped) {
      track.stop();
      return track;
    }
    this.stream.addTrack(track);
    this.#watchTrack(track);
    this.#emitChange();
    return track;
  }

  setMicrophoneEnabled(enabled: boolean): void {
    const track = this.audioTrack;
    if (!track || track.enabled === enabled) return;
    track.enabled = enabled;
    this.#emitChange();
  }

  /** Stops the camera (returns `null`) or starts a new camera track (returns it). */
  async setCameraEnabled(enabled: boolean): Promise<MediaStreamTrack | null> {
    if (!enabled) {
      const track = this.videoTrack;
      if (track) {
        track.stop();
        this.stream.removeTrack(track);
        this.#emitChange();
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
    if (this.#stopped) {
      track.stop();
      return null;
    }
    this.stream.addTrack(track);
    this.#watchTrack(track);
    this.#emitChange();
    return track;
  }

  /** Stops every track; the devices are released. */
  stop(): void {
    this.#stopped = true;
    for (const track of this.stream.getTracks()) track.stop();
    this.events.clear();
  }

  #watchTrack(track: MediaStreamTrack): void {
    // A device unplugged or taken away by the system: `ended` fires only for that, never after our own
    // stop(). Stop and drop the track, so the state says the device is off and the camera can be turned
    // back on later with a fresh one.
    track.addEventListener(
      'ended',
      () => {
        if (this.#stopped || !this.stream.getTracks().includes(track)) return;
        track.stop();
        this.stream.removeTrack(track);
        this.events.emit('device-lost', track.kind === 'video' ? 'camera' : 'microphone');
        this.#emitChange();
      },
      { once: true },
    );
  }

  #emitChange(): void {
    this.events.emit('change', this.state);
  }
}
