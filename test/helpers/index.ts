/** Node-side helpers for the signaling server tests: real service, real socket.io-client. */
export * from './server.js';
export * from './client.js';
export * from './calls.js';
