import { errors as joseErrors, jwtVerify } from 'jose';
import type { ExtendedError } from 'socket.io';
import { z } from 'zod';
import type { EventBudget } from '../limits.js';
import { ConnectErrorMessage, ErrorCode } from '../protocol.js';
import { idSchema, parseSafely, userNameSchema } from '../validation.js';
import { refusal } from './refusal.js';
import type { SocketData } from './types.js';

const openAuthSchema = z.object({ userId: idSchema, userName: userNameSchema.optional() });
const TOKEN_MAX_LENGTH = 8_192;
const claimsSchema = z.object({
  sub: idSchema,
  name: userNameSchema.optional(),
  rooms: z.array(z.union([z.literal('*'), idSchema])).max(1_000),
  exp: z.number(),
});

export type Identity = Omit<SocketData, 'rooms' | keyof EventBudget>;

const unauthorized = (code: ErrorCode, message: string): ExtendedError =>
  refusal(ConnectErrorMessage.Unauthorized, code, message);

/** Open mode: the handshake's `auth.userId` / `auth.userName` are taken as given. */
export function openIdentity(auth: unknown): Identity | ExtendedError {
  const parsed = parseSafely(openAuthSchema, auth);
  if (!parsed.success) {
    return refusal(
      ConnectErrorMessage.InvalidIdentity,
      ErrorCode.InvalidIdentity,
      'auth.userId must be 1-64 characters of A-Z a-z 0-9 _ . : @ -, and auth.userName 1-100 characters',
    );
  }
  const { userId, userName } = parsed.data;
  return { userId, userName: userName ?? userId, allowedRooms: '*', verified: false };
}

/** With AUTH_SECRET: identity comes from an HS256 JWT alone (`sub`, `name`, `rooms`, `exp` required). */
export async function tokenIdentity(auth: unknown, secret: Uint8Array): Promise<Identity | ExtendedError> {
  const token = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
  if (token === undefined || token === null || token === '') {
    return unauthorized(ErrorCode.TokenMissing, 'A token is required (auth.token)');
  }
  if (typeof token !== 'string' || token.length > TOKEN_MAX_LENGTH) {
    return unauthorized(ErrorCode.TokenInvalid, 'The token is not valid');
  }
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    const claims = parseSafely(claimsSchema, payload);
    if (!claims.success) {
      return unauthorized(ErrorCode.TokenInvalid, 'The token lacks valid sub, rooms or exp claims');
    }
    const { sub, name, rooms } = claims.data;
    return {
      userId: sub,
      userName: name ?? sub,
      allowedRooms: rooms.includes('*') ? '*' : new Set(rooms),
      verified: true,
    };
  } catch (error) {
    return error instanceof joseErrors.JWTExpired
      ? unauthorized(ErrorCode.TokenExpired, 'The token has expired')
      : unauthorized(ErrorCode.TokenInvalid, 'The token is not valid');
  }
}
