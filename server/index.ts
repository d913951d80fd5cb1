/**
 * Ringlet's signaling service as a library: `createSignalingServer(options)`, plus the shared protocol types.
 * @module
 */
export { createSignalingServer, type ListeningAddress, type SignalingServer } from './signaling-server.js';
export type { SignalingServerOptions, TurnOptions } from './options.js';
export { DEFAULT_OPTIONS } from './options.js';
export { mintToken, type TokenClaims } from './token.js';
export * from './protocol.js';
