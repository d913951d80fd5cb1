import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  ConnectErrorData,
  HandshakeAuth,
  ServerToClientEvents,
} from '../../server/protocol.js';
import { ConnectErrorMessage, ErrorCode } from '../../server/protocol.js';
import { ClientErrorCode, RingletError } from './ringlet-error.js';
import { TypedEmitter } from './typed-emitter.js';

export type RingletSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type ClientEventName = keyof ClientToServerEvents;
export type PayloadOf<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
type AckResultOf<E extends ClientEventName> = Parameters<
  NonNullable<Parameters<ClientToServerEvents[E]>[1]>
>[0];
/** The success half of an event's ack. */
export type OkResultOf<E extends ClientEventName> = Extract<AckResultOf<E>, { ok: true }>;

/** Returns the current auth token; asked again before every (re)connect. */
export type TokenProvider = () => string | Promise<string>;

export interface Credentials {
  userName: string;
  token?: string | undefined;
  tokenProvider?: TokenProvider | undefined;
}

export const ConnectionState = {
  Connecting: 'connecting',
  Connected: 'connected',
  /** The link dropped; socket.io-client retries with backoff and jitter. */
  Reconnecting: 'reconnecting',
  /** The service refused the handshake (bad token or identity); see `lastError`. */
  Refused: 'refused',
  Closed: 'closed',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

export interface SignalingEvents {
  state: ConnectionState;
  /** Every successful (re)connect: rooms must be joined again and calls rejoined. */
  connected: undefined;
}

export interface SignalingOptions {
  requestTimeoutMs?: number;
  /** Retries after a refused handshake when a token provider may hand out a fresh token. */
  maxRefusedRetries?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_REFUSED_RETRIES = 3;
const REFUSED_RETRY_BASE_MS = 1_000;
const RECONNECT_DELAY_MS = 500;
const RECONNECT_DELAY_MAX_MS = 5_000;
const RECONNECT_JITTER = 0.5;

/**
 * One Socket.IO connection to the signaling service for one user, typed with the shared protocol.
 * Elements never hold it directly: they share it through the signaling registry.
 */
export class SignalingClient {
  readonly events = new TypedEmitter<SignalingEvents>();
  // Not an ES #private field: test/wtr/drop-connection.ts reaches it to cut the transport.
  private readonly socket: RingletSocket;
  #credentials: Credentials;
  #currentState: ConnectionState = ConnectionState.Connecting;
  #refusedRetries = 0;
  #unavailableRetries = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #requestTimeoutMs: number;
  readonly #maxRefusedRetries: number;
  /** Why the service last refused us, when `state` is `refused`. */
  lastError: RingletError | null = null;

  constructor(
    readonly server: string,
    readonly userId: string,
    credentials: Credentials,
    options: SignalingOptions = {},
  ) {
    this.#credentials = credentials;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#maxRefusedRetries = options.maxRefusedRetries ?? DEFAULT_MAX_REFUSED_RETRIES;
    this.socket = io(server, {
      // The registry shares sockets per (server, user); two users on one page need two connections.
      forceNew: true,
      // A WebSocket first, long-polling only where WebSockets do not get through. A WebSocket needs no sticky
      // sessions when the service runs on several nodes; polling does (see README). WebTransport is left out:
      // the service never offers it (it needs HTTP/3), so the bundle leaves its code out.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      // After a lost link (or a restart of the service) retry for ever, with exponential backoff from
      // 0.5 s up to 5 s, each delay randomised by ±50% so that a restarted service is not hit by every
      // client at the same instant. Spelled out rather than left to socket.io-client's defaults.
      reconnection: true,
      reconnectionAttempts: Infinity,
      reconnectionDelay: RECONNECT_DELAY_MS,
      reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
      randomizationFactor: RECONNECT_JITTER,
      // A function, so each (re)connect sends fresh credentials (and asks the token provider again).
      auth: (send) => {
        void this.#handshakeAuth().then(send);
      },
    });
    this.socket.on('connect', () => {
      this.#refusedRetries = 0;
      this.#unavailableRetries = 0;
      this.lastError = null;
      this.#setState(ConnectionState.Connected);
      this.events.emit('connected', undefined);
    });
    this.socket.on('disconnect', (reason) => {
      if (this.#currentState === ConnectionState.Closed) return;
      this.#setState(ConnectionState.Reconnecting);
      // The service dropped us on purpose (e.g. restarting): socket.io-client does not retry that itself.
      // Once this first attempt is under way, a service still down is retried with the backoff above.
      if (reason === 'io server disconnect') this.#scheduleReconnect(RECONNECT_DELAY_MS);
    });
    this.socket.on('connect_error', (error) => this.#onConnectError(error));
  }

  get state(): ConnectionState {
    return this.#currentState;
  }

  get connected(): boolean {
    return this.#currentState === ConnectionState.Connected;
  }

  /** Updates the name and token used from the next (re)connect on. */
  setCredentials(credentials: Credentials): void {
    this.#credentials = credentials;
    if (this.#currentState === ConnectionState.Refused) {
      this.#refusedRetries = 0;
      this.#scheduleReconnect(0);
    }
  }

  /**
   * Subscribes to a server → client event; returns the unsubscribe function.
   *
   * Listeners run a microtask late. Long-polling hands over several packets in one go, e.g. the
   * `video-call-request` ack and, right behind it, a `video-call-rejected` for that call: the code that
   * awaits the ack (and creates the call) must run before the events that followed the ack.
   */
  on<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): () => void {
    type Payload = Parameters<ServerToClientEvents[E]>[0];
    const deliver = listener as (payload: Payload) => void;
    let subscribed = true;
    const deferred = (payload: Payload): void =>
      queueMicrotask(() => {
        if (subscribed) deliver(payload);
      });
    // socket.io's listener type is a conditional type TypeScript cannot resolve for a generic event.
    const socket = this.socket as unknown as {
      on(event: E, listener: (payload: Payload) => void): void;
      off(event: E, listener: (payload: Payload) => void): void;
    };
    socket.on(event, deferred);
    return () => {
      subscribed = false;
      socket.off(event, deferred);
    };
  }

  /**
   * Sends an event and resolves with the success half of its ack; rejects with a {@link RingletError}
   * carrying the service's error code, or `timeout`. Sent while offline, it waits for the reconnect.
   */
  request<E extends ClientEventName>(event: E, payload: PayloadOf<E>): Promise<OkResultOf<E>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new RingletError(ClientErrorCode.Timeout, `No answer to "${event}" from the service.`));
      }, this.#requestTimeoutMs);
      this.#emitWithAck(event, payload, (result) => {
        clearTimeout(timer);
        if (result.ok) resolve(result as OkResultOf<E>);
        else reject(new RingletError(result.error.code, result.error.message));
      });
    });
  }

  /** Sends an event whose answer nobody waits for (e.g. ICE candidates). */
  notify<E extends ClientEventName>(event: E, payload: PayloadOf<E>): void {
    this.#emitWithAck(event, payload, (result) => {
      // A message racing the end of its call is expected; anything else is worth a warning.
      if (!result.ok && result.error.code !== ErrorCode.CallNotFound) {
        console.warn(`[ringlet] "${event}" refused: ${result.error.code}`);
      }
    });
  }

  close(): void {
    this.#setState(ConnectionState.Closed);
    clearTimeout(this.#retryTimer);
    this.socket.removeAllListeners();
    this.socket.disconnect();
    this.events.clear();
  }

  #emitWithAck<E extends ClientEventName>(
    event: E,
    payload: PayloadOf<E>,
    ack: (result: AckResultOf<E>) => void,
  ): void {
    // socket.io's generic emit cannot relate a generic event name to its parameters; this one is exact.
    const emit = this.socket.emit.bind(this.socket) as unknown as (
      event: E,
      payload: PayloadOf<E>,
      ack: (result: AckResultOf<E>) => void,
    ) => void;
    emit(event, payload, ack);
  }

  async #handshakeAuth(): Promise<HandshakeAuth> {
    const { userName, token, tokenProvider } = this.#credentials;
    const auth: HandshakeAuth = { userId: this.userId, userName };
    try {
      const fresh = tokenProvider ? await tokenProvider() : token;
      if (fresh) auth.token = fresh;
    } catch (error) {
      console.warn('[ringlet] tokenProvider failed', error);
    }
    return auth;
  }

  #onConnectError(error: Error & { data?: Partial<ConnectErrorData> }): void {
    if (this.#currentState === ConnectionState.Closed) return;
    // `active` stays true for network failures, which socket.io-client retries itself.
    if (this.socket.active) {
      if (this.#currentState !== ConnectionState.Connecting) this.#setState(ConnectionState.Reconnecting);
      return;
    }
    const code =
      error.data?.code ??
      (error.message === ConnectErrorMessage.InvalidIdentity
        ? ErrorCode.InvalidIdentity
        : ErrorCode.TokenInvalid);
    this.lastError = new RingletError(code, error.message, { cause: error });
    if (code === ErrorCode.Unavailable) {
      // The service is starting, stopping or cut off from its Redis: it takes connections again shortly.
      this.#setState(ConnectionState.Reconnecting);
      this.#unavailableRetries += 1;
      this.#scheduleReconnect(
        Math.min(RECONNECT_DELAY_MS * 2 ** (this.#unavailableRetries - 1), RECONNECT_DELAY_MAX_MS),
      );
      return;
    }
    this.#setState(ConnectionState.Refused);
    // A token provider may have a fresh token next time; a fixed token will be refused again.
    const tokenRefused = code !== ErrorCode.InvalidIdentity;
    if (tokenRefused && this.#credentials.tokenProvider && this.#refusedRetries < this.#maxRefusedRetries) {
      this.#refusedRetries += 1;
      this.#scheduleReconnect(REFUSED_RETRY_BASE_MS * 2 ** (this.#refusedRetries - 1));
    }
  }

  #scheduleReconnect(delayMs: number): void {
    clearTimeout(this.#retryTimer);
    const jitter = delayMs * 0.5 * Math.random();
    this.#retryTimer = setTimeout(() => this.socket.connect(), delayMs + jitter);
  }

  #setState(state: ConnectionState): void {
    if (state === this.#currentState) return;
    this.#currentState = state;
    this.events.emit('state', state);
  }
}
