import { errors as joseErrors, jwtVerify } from 'jose';
import type { ExtendedError } from 'socket.io';
import { z } from 'zod';
import { ConnectErrorMessage, ErrorCode } from '../protocol.js';
import { idSchema, userNameSchema } from '../validation.js';
import { refusal } from './refusal.js';
import type { SocketData } from './types.js';

const openAuthSchema = z.object({ userId: idSchema, userName: userNameSchema.optional() });
const tokenAuthSchema = z.object({ token: z.string().min(1).max(8_192) });
const claimsSchema = z.object({
  sub: idSchema,
  name: userNameSchema.optional(),
  rooms: z.array(z.union([z.literal('*'), idSchema])).max(1_000),
  exp: z.number(),
});

export type Identity = Omit<SocketData, 'rooms'>;

/** Open mode: the handshake's `auth.userId` / `auth.userName` are taken as given. */
export function openIdentity(auth: unknown): Identity | ExtendedError {
  const parsed = openAuthSchema.safeParse(auth);
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
  const parsed = tokenAuthSchema.safeParse(auth);
  if (!parsed.success)
    return refusal(
      ConnectErrorMessage.Unauthorized,
      ErrorCode.TokenMissing,
      'A token is required (auth.token)',
    );
  try {
    const { payload } = await jwtVerify(parsed.data.token, secret, {
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success)
      return refusal(
        ConnectErrorMessage.Unauthorized,
        ErrorCode.TokenInvalid,
        'The token lacks valid sub, rooms or exp claims',
      );
    const { sub, name, rooms } = claims.data;
    return {
      userId: sub,
      userName: name ?? sub,
      allowedRooms: rooms.includes('*') ? '*' : new Set(rooms),
      verified: true,
    };
  } catch (error) {
    return error instanceof joseErrors.JWTExpired
      ? refusal(ConnectErrorMessage.Unauthorized, ErrorCode.TokenExpired, 'The token has expired')
      : refusal(ConnectErrorMessage.Unauthorized, ErrorCode.TokenInvalid, 'The token is not valid');
  }
}
