/** Where the signaling services of this run listen (see signaling-server-plugin.mjs). */
export interface RingletTestConfig {
  serverUrl: string;
  /** Ring timeout 1.5 s, rejoin grace 1 s. */
  quickServerUrl: string;
  /** Started with an AUTH_SECRET. */
  authServerUrl: string;
  authSecret: string;
}

const response = await fetch('/__ringlet__/config.json');
export const testConfig = (await response.json()) as RingletTestConfig;

/**
 * The same service reached under another origin (`localhost` instead of `127.0.0.1`): a peer on it
 * is another "page" as far as the page's shared registries are concerned.
 */
export function sameServiceOtherOrigin(url: string): string {
  const other = new URL(url);
  other.hostname = other.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  return other.origin;
}

let counter = 0;
/** A fresh id for rooms and users, so tests never meet each other on the shared service. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}
