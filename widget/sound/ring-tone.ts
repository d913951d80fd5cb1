/** A ring, as bursts of a two-frequency tone repeated every `periodMs`. */
interface RingPattern {
  frequencies: readonly [number, number];
  /** Start offset and length of each burst, in seconds. */
  bursts: readonly { at: number; duration: number }[];
  periodMs: number;
  volume: number;
}

export const RingKind = { Incoming: 'incoming', Outgoing: 'outgoing' } as const;
export type RingKind = (typeof RingKind)[keyof typeof RingKind];

const patterns: Readonly<Record<RingKind, RingPattern>> = {
  // "Ring-ring" for the callee.
  [RingKind.Incoming]: {
    frequencies: [440, 480],
    bursts: [
      { at: 0, duration: 0.4 },
      { at: 0.6, duration: 0.4 },
    ],
    periodMs: 3_000,
    volume: 0.15,
  },
  // A softer ringback for the caller.
  [RingKind.Outgoing]: {
    frequencies: [400, 450],
    bursts: [{ at: 0, duration: 1 }],
    periodMs: 4_000,
    volume: 0.05,
  },
};

const RAMP_SECONDS = 0.02;
const GESTURES = ['pointerdown', 'keydown'] as const;

type AudioContextConstructor = new () => AudioContext;

function audioContextClass(): AudioContextConstructor | null {
  if (typeof window === 'undefined') return null;
  const legacy = (window as Window & { webkitAudioContext?: AudioContextConstructor }).webkitAudioContext;
  return window.AudioContext ?? legacy ?? null;
}

/**
 * A ring tone made with WebAudio in code (no file to fetch). Browsers keep an AudioContext
 * suspended until the user interacts with the page: then the ring stays visual only, without
 * errors, and becomes audible at the user's first click or key press while it still rings.
 */
export class RingTone {
  #context: AudioContext | null = null;
  #kind: RingKind | null = null;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #resumeOnGesture = (): void => {
    void this.#context?.resume().catch(() => undefined);
  };

  readonly #onAudibleChange: () => void;

  /** @param onAudibleChange called when the ring starts or stops being heard. */
  constructor(onAudibleChange: () => void = () => undefined) {
    this.#onAudibleChange = onAudibleChange;
  }

  /** Whether the ring can be heard (false while autoplay rules keep the sound off). */
  get audible(): boolean {
    return this.#timer !== undefined;
  }

  get playing(): RingKind | null {
    return this.#kind;
  }

  start(kind: RingKind): void {
    if (this.#kind === kind) return;
    this.stop();
    this.#kind = kind;
    const AudioContextClass = audioContextClass();
    if (!AudioContextClass) return;
    let context: AudioContext;
    try {
      context = new AudioContextClass();
    } catch {
      return; // No audio output: the ring is visual only.
    }
    this.#context = context;
    context.addEventListener('statechange', () => this.#onStateChange(context));
    if (context.state === 'running') {
      this.#beginRinging(context);
      return;
    }
    for (const type of GESTURES) window.addEventListener(type, this.#resumeOnGesture, { capture: true });
    this.#resumeOnGesture();
  }

  stop(): void {
    const wasAudible = this.audible;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#removeGestureListeners();
    void this.#context?.close().catch(() => undefined);
    this.#context = null;
    this.#kind = null;
    if (wasAudible) this.#onAudibleChange();
  }

  #onStateChange(context: AudioContext): void {
    if (context !== this.#context) return;
    if (context.state === 'running' && !this.audible) this.#beginRinging(context);
  }

  #beginRinging(context: AudioContext): void {
    const kind = this.#kind;
    if (!kind) return;
    this.#removeGestureListeners();
    const pattern = patterns[kind];
    this.#ringOnce(context, pattern);
    this.#timer = setInterval(() => this.#ringOnce(context, pattern), pattern.periodMs);
    this.#onAudibleChange();
  }

  #ringOnce(context: AudioContext, pattern: RingPattern): void {
    const now = context.currentTime;
    const gain = context.createGain();
    gain.gain.value = 0;
    gain.connect(context.destination);
    for (const { at, duration } of pattern.bursts) {
      const start = now + at;
      const end = start + duration;
      gain.gain.setValueAtTime(0, start);
      gain.gain.linearRampToValueAtTime(pattern.volume, start + RAMP_SECONDS);
      gain.gain.setValueAtTime(pattern.volume, end - RAMP_SECONDS);
      gain.gain.linearRampToValueAtTime(0, end);
    }
    const last = pattern.bursts[pattern.bursts.length - 1];
    const stopAt = now + (last ? last.at + last.duration : 0);
    for (const frequency of pattern.frequencies) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start(now);
      oscillator.stop(stopAt);
      oscillator.addEventListener(
        'ended',
        () => {
          oscillator.disconnect();
          gain.disconnect();
        },
        { once: true },
      );
    }
  }

  #removeGestureListeners(): void {
    if (typeof window === 'undefined') return;
    for (const type of GESTURES) window.removeEventListener(type, this.#resumeOnGesture, { capture: true });
  }
}
