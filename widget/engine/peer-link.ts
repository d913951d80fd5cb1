import type { IceCandidate, IceServer, SessionDescription } from '../../server/protocol.js';
import { ClientErrorCode, RingletError, toRingletError } from './ringlet-error.js';
import { TypedEmitter } from './typed-emitter.js';

/** Where a {@link PeerLink} sends its half of the negotiation. */
export interface PeerLinkSignals {
  description(description: SessionDescription): void;
  candidate(candidate: IceCandidate | null): void;
}

export interface PeerLinkOptions {
  /** From the `join-room` ack only; tests pass `[]`. */
  iceServers: IceServer[];
  /** `relay` sends media only through the TURN servers among `iceServers`. Default `all`. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** The callee is polite: it yields on glare and sends no offer before its first answer. */
  polite: boolean;
  /** Your camera and microphone; read again when the polite side first answers. */
  localStream: MediaStream;
  signals: PeerLinkSignals;
}

export interface PeerLinkEvents {
  /** The other side's tracks changed (one added or ended); `remoteStream` holds the live ones. */
  'remote-tracks': MediaStream;
  'connection-state': RTCPeerConnectionState;
  /** A negotiation step failed; the connection may still recover. */
  error: RingletError;
  /**
   * ICE gathering ended and the connection has no local candidate at all, so it can never connect (e.g.
   * `iceTransportPolicy: 'relay'` and no relay candidate): `relay-refused` when a TURN server refused the
   * credentials (401/403...), `relay-unreachable` when STUN/TURN servers failed otherwise, else
   * `connection-failed`.
   */
  'gathering-failed': RingletError;
}

/** STUN/TURN error codes that mean "these credentials are not accepted" (RFC 8489, RFC 8656). */
const REFUSED_CREDENTIALS = new Set([401, 403, 437, 441]);

/**
 * Owns one RTCPeerConnection and negotiates it with the W3C "perfect negotiation" pattern,
 * so either side may renegotiate at any time (new track, ICE restart) and offers that cross converge.
 */
export class PeerLink {
  readonly events = new TypedEmitter<PeerLinkEvents>();
  readonly remoteStream = new MediaStream();
  readonly #pc: RTCPeerConnection;
  readonly #polite: boolean;
  readonly #localStream: MediaStream;
  readonly #signals: PeerLinkSignals;
  #makingOffer = false;
  #ignoreOffer = false;
  /** The polite side holds its tracks and its offers until it has answered once. */
  #localTracksAttached = false;
  #negotiationDeferred = false;
  #videoSender: RTCRtpSender | null = null;
  #audioSender: RTCRtpSender | null = null;
  #pendingCandidates: RTCIceCandidateInit[] = [];
  /** This gathering round: local candidates found and STUN/TURN errors met. */
  #gathered = 0;
  #gatheringErrors: { code: number; text: string; url: string }[] = [];
  /** Incoming signals are applied one at a time, in arrival order. */
  #inbox: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: PeerLinkOptions) {
    this.#polite = options.polite;
    this.#localStream = options.localStream;
    this.#signals = options.signals;
    this.#pc = new RTCPeerConnection({
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy ?? 'all',
    });
    this.#pc.addEventListener('negotiationneeded', () => void this.#negotiate());
    this.#pc.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate) this.#gathered += 1;
      this.#signals.candidate(candidate ? toWireCandidate(candidate) : null);
    });
    // A TURN server refusing our credentials shows only here: the relay candidate never comes.
    this.#pc.addEventListener('icecandidateerror', (event) => {
      this.#gatheringErrors.push({ code: event.errorCode, text: event.errorText, url: event.url });
    });
    this.#pc.addEventListener('icegatheringstatechange', () => this.#onGatheringState());
    this.#pc.addEventListener('track', ({ track }) => this.#addRemoteTrack(track));
    this.#pc.addEventListener('connectionstatechange', () => {
      this.events.emit('connection-state', this.#pc.connectionState);
    });
    // The impolite caller offers at once (negotiationneeded follows these tracks).
    if (!this.#polite) this.#attachLocalTracks();
  }

  /** The connection itself, for statistics (`getStats()`) and tests; do not negotiate on it directly. */
  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  handleDescription(description: SessionDescription): void {
    this.#enqueue(() => this.#applyDescription(description));
  }

  handleCandidate(candidate: IceCandidate | null): void {
    // End-of-candidates needs no action from a trickling browser.
    if (!candidate) return;
    this.#enqueue(() => this.#applyCandidate(candidate));
  }

  /** Sends a new camera track, or none; adding the first video track renegotiates. */
  async setVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    // Before its first answer the polite side reads the stream when it answers.
    if (!this.#localTracksAttached || this.#closed) return;
    if (this.#videoSender) {
      await this.#videoSender.replaceTrack(track);
    } else if (track) {
      this.#videoSender = this.#pc.addTrack(track, this.#localStream);
    }
  }

  /** Sends a new microphone track (e.g. one plugged in mid-call); adding the first one renegotiates. */
  async setAudioTrack(track: MediaStreamTrack | null): Promise<void> {
    if (!this.#localTracksAttached || this.#closed) return;
    if (this.#audioSender) {
      await this.#audioSender.replaceTrack(track);
    } else if (track) {
      this.#audioSender = this.#pc.addTrack(track, this.#localStream);
    }
  }

  /** Asks for new ICE candidates on both sides (after a network change or a failure). */
  restartIce(): void {
    if (!this.#closed) this.#pc.restartIce();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pc.close();
    for (const track of this.remoteStream.getTracks()) this.remoteStream.removeTrack(track);
    this.#pendingCandidates = [];
    this.events.clear();
  }

  #attachLocalTracks(): void {
    this.#localTracksAttached = true;
    for (const track of this.#localStream.getTracks()) {
      const sender = this.#pc.addTrack(track, this.#localStream);
      if (track.kind === 'video') this.#videoSender = sender;
      else this.#audioSender = sender;
    }
    // Receive what we cannot send, so the other side's first answer can carry its media.
    if (!this.#polite) {
      if (this.#localStream.getAudioTracks().length === 0) {
        this.#pc.addTransceiver('audio', { direction: 'recvonly' });
      }
      if (this.#localStream.getVideoTracks().length === 0) {
        this.#pc.addTransceiver('video', { direction: 'recvonly' });
      }
    }
  }

  async #negotiate(): Promise<void> {
    if (this.#closed) return;
    if (this.#polite && !this.#localTracksAttached) {
      this.#negotiationDeferred = true;
      return;
    }
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#sendLocalDescription();
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #applyDescription(description: SessionDescription): Promise<void> {
    const offerCollision =
      description.type === 'offer' && (this.#makingOffer || this.#pc.signalingState !== 'stable');
    this.#ignoreOffer = !this.#polite && offerCollision;
    if (this.#ignoreOffer) return;
    // On collision the polite side's setRemoteDescription rolls its own offer back implicitly.
    await this.#pc.setRemoteDescription(description);
    await this.#flushCandidates();
    if (description.type !== 'offer') return;
    const firstAnswer = !this.#localTracksAttached;
    if (firstAnswer) this.#attachLocalTracks();
    await this.#pc.setLocalDescription();
    this.#sendLocalDescription();
    if (firstAnswer && this.#negotiationDeferred) {
      this.#negotiationDeferred = false;
      void this.#negotiate();
    }
  }

  #sendLocalDescription(): void {
    const description = this.#pc.localDescription;
    // After setLocalDescription() it is an offer or an answer; a rollback (or pranswer) never travels.
    if (!description || (description.type !== 'offer' && description.type !== 'answer')) return;
    this.#signals.description({ type: description.type, sdp: description.sdp });
  }

  async #applyCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.#pc.remoteDescription) {
      this.#pendingCandidates.push(candidate);
      return;
    }
    try {
      await this.#pc.addIceCandidate(candidate);
    } catch (error) {
      // Candidates of an offer we ignored on glare are expected to fail.
      if (!this.#ignoreOffer) throw error;
    }
  }

  async #flushCandidates(): Promise<void> {
    const pending = this.#pendingCandidates;
    this.#pendingCandidates = [];
    for (const candidate of pending) await this.#applyCandidate(candidate);
  }

  #enqueue(step: () => Promise<void>): void {
    this.#inbox = this.#inbox.then(async () => {
      if (this.#closed) return;
      try {
        await step();
      } catch (error) {
        this.#fail(error);
      }
    });
  }

  #addRemoteTrack(track: MediaStreamTrack): void {
    this.remoteStream.addTrack(track);
    track.addEventListener(
      'ended',
      () => {
        this.remoteStream.removeTrack(track);
        this.events.emit('remote-tracks', this.remoteStream);
      },
      { once: true },
    );
    this.events.emit('remote-tracks', this.remoteStream);
  }

  #onGatheringState(): void {
    const state = this.#pc.iceGatheringState;
    if (state === 'gathering') {
      this.#gathered = 0;
      this.#gatheringErrors = [];
      return;
    }
    if (state === 'complete' && this.#gathered === 0) void this.#checkNoCandidateAtAll();
  }

  /**
   * A round that surfaced no candidate is not enough (crossing ICE restarts roll rounds back): only a
   * connection without a single local candidate, in any round, can never connect.
   */
  async #checkNoCandidateAtAll(): Promise<void> {
    const errors = this.#gatheringErrors;
    let candidates = 0;
    try {
      (await this.#pc.getStats()).forEach((report: { type: string }) => {
        if (report.type === 'local-candidate') candidates += 1;
      });
    } catch {
      return; // Closed meanwhile.
    }
    if (candidates > 0 || this.#closed) return;
    const detail = errors.map((e) => `${e.url}: ${e.code} ${e.text}`).join('; ') || 'no error reported';
    const refused = errors.some((e) => REFUSED_CREDENTIALS.has(e.code));
    const code = refused
      ? ClientErrorCode.RelayRefused
      : errors.length > 0
        ? ClientErrorCode.RelayUnreachable
        : ClientErrorCode.ConnectionFailed;
    const what = refused ? 'The TURN server refused the credentials' : 'No ICE candidate could be gathered';
    this.events.emit('gathering-failed', new RingletError(code, `${what} (${detail}).`));
  }

  #fail(error: unknown): void {
    if (this.#closed) return;
    this.events.emit('error', toRingletError(error, ClientErrorCode.ConnectionFailed));
  }
}

function toWireCandidate(candidate: RTCIceCandidate): IceCandidate {
  const init = candidate.toJSON();
  return {
    candidate: init.candidate ?? '',
    sdpMid: init.sdpMid ?? null,
    sdpMLineIndex: init.sdpMLineIndex ?? null,
    usernameFragment: init.usernameFragment ?? null,
  };
}
