import { SignJWT } from 'jose';
import type { RoomId, UserId } from './protocol.js';

export interface TokenClaims {
  userId: UserId;
  userName?: string;
  /** Room ids the user may join; `['*']` for any. */
  rooms: RoomId[];
  /** Lifetime in seconds. Default 3600. */
  ttlSeconds?: number;
}

/** Mints the token a host backend hands its page when the service runs with AUTH_SECRET (HS256 JWT). */
export function mintToken(secret: string, claims: TokenClaims): Promise<string> {
  const { userId, userName, rooms, ttlSeconds = 3_600 } = claims;
  return new SignJWT({ rooms, ...(userName ? { name: userName } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}
