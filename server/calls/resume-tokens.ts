import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { CallId, CallParticipant, RoomId, UserId } from '../protocol.js';
import { idSchema } from '../validation.js';

/** What a resume token vouches for: this user took part in this accepted call with these people. */
export interface ResumeClaims {
  callId: CallId;
  roomId: RoomId;
  userId: UserId;
  callerId: UserId;
  participants: CallParticipant[];
  /** Unix seconds. */
  issuedAt: number;
}

const claimsSchema = z.object({
  callId: idSchema,
  roomId: idSchema,
  userId: idSchema,
  callerId: idSchema,
  participants: z
    .array(z.object({ userId: idSchema, userName: z.string().max(400) }))
    .min(2)
    .max(64),
  issuedAt: z.number().int(),
});

/** A token older than this no longer restores a call the service has forgotten. */
const MAX_AGE_SECONDS = 24 * 3_600;

/**
 * Resume tokens are signed capabilities (`payload.hmac`), not random lookups: after a restart, or on a node
 * that never saw the call, a verified token is enough to restore the call. With the same secret on every
 * node and across restarts (RESUME_SECRET, or one derived from AUTH_SECRET), calls survive both.
 */
export class ResumeTokens {
  readonly #key: Buffer;

  constructor(secret: string | undefined) {
    this.#key = secret
      ? createHmac('sha256', secret).update('ringlet resume tokens').digest()
      : randomBytes(32);
  }

  issue(claims: Omit<ResumeClaims, 'issuedAt'>, nowMs = Date.now()): string {
    const payload = Buffer.from(JSON.stringify({ ...claims, issuedAt: Math.floor(nowMs / 1000) })).toString(
      'base64url',
    );
    return `${payload}.${this.#sign(payload)}`;
  }

  /** The claims of a genuine, unexpired token; undefined for anything else. */
  verify(token: string, nowMs = Date.now()): ResumeClaims | undefined {
    const [payload, signature, ...rest] = token.split('.');
    if (!payload || !signature || rest.length > 0) return undefined;
    const expected = Buffer.from(this.#sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const parsed = claimsSchema.safeParse(json);
    if (!parsed.success || nowMs / 1000 - parsed.data.issuedAt > MAX_AGE_SECONDS) return undefined;
    return parsed.data;
  }

  #sign(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url');
  }
}
