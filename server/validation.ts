import { z } from 'zod';
import {
  ID_MAX_LENGTH,
  ID_PATTERN,
  USER_NAME_MAX_LENGTH,
  type CallRequestPayload,
  type CallResponsePayload,
  type DescriptionPayload,
  type EndCallPayload,
  type IceCandidatePayload,
  type JoinRoomPayload,
  type LeaveRoomPayload,
  type MediaStatePayload,
  type RejoinCallPayload,
} from './protocol.js';

/**
 * Schemas for every inbound payload. `z.object` builds a fresh object from the known keys only, so unknown
 * fields are dropped and `__proto__` / `constructor` keys never reach our code.
 */

/** SDP is the largest field; the transport limit (`maxMessageBytes`) caps it too. */
const SDP_MAX_LENGTH = 100_000;
const CANDIDATE_MAX_LENGTH = 2_048;
/** Signed tokens carry the participants' names (see calls/resume-tokens.ts). */
const RESUME_TOKEN_MAX_LENGTH = 8_192;

export const idSchema = z
  .string()
  .max(ID_MAX_LENGTH, `must be at most ${ID_MAX_LENGTH} characters`)
  .regex(ID_PATTERN, 'must be 1-64 characters of A-Z a-z 0-9 _ . : @ -');

export const userNameSchema = z
  .string()
  .max(USER_NAME_MAX_LENGTH * 4, `must be at most ${USER_NAME_MAX_LENGTH} characters`)
  .trim()
  .min(1, 'must not be empty')
  .max(USER_NAME_MAX_LENGTH, `must be at most ${USER_NAME_MAX_LENGTH} characters`);

const descriptionPayload = <T extends 'offer' | 'answer'>(types: readonly [T, ...T[]]) =>
  z.object({
    callId: idSchema,
    to: idSchema.optional(),
    description: z.object({ type: z.enum(types), sdp: z.string().max(SDP_MAX_LENGTH) }),
  });

export const schemas = {
  'join-room': z.object({ roomId: idSchema }),
  'leave-room': z.object({ roomId: idSchema }),
  'video-call-request': z.object({
    roomId: idSchema,
    callerId: idSchema,
    callerName: userNameSchema,
    calleeId: idSchema.optional(),
  }),
  'video-call-response': z.object({ roomId: idSchema, accepted: z.boolean(), callId: idSchema.optional() }),
  offer: descriptionPayload(['offer']),
  answer: descriptionPayload(['answer']),
  'ice-candidate': z.object({
    callId: idSchema,
    to: idSchema.optional(),
    candidate: z
      .object({
        candidate: z.string().max(CANDIDATE_MAX_LENGTH),
        sdpMid: z.string().max(64).nullish(),
        sdpMLineIndex: z.number().int().min(0).max(1024).nullish(),
        usernameFragment: z.string().max(256).nullish(),
      })
      .nullable(),
  }),
  'media-state': z.object({ callId: idSchema, audio: z.boolean(), video: z.boolean() }),
  'end-call': z.object({ callId: idSchema }),
  'rejoin-call': z.object({ callId: idSchema, resumeToken: z.string().min(1).max(RESUME_TOKEN_MAX_LENGTH) }),
} as const;

export type Schemas = typeof schemas;
export type InboundEvent = keyof Schemas;
export type Payload<E extends InboundEvent> = z.output<Schemas[E]>;

/** Compile-time proof that every schema yields exactly what protocol.ts promises. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
export type SchemasMatchProtocol = [
  Check<Same<Payload<'join-room'>, JoinRoomPayload>>,
  Check<Same<Payload<'leave-room'>, LeaveRoomPayload>>,
  Check<Same<Payload<'video-call-request'>, CallRequestPayload>>,
  Check<Same<Payload<'video-call-response'>, CallResponsePayload>>,
  // offer/answer narrow `description.type` to their own kind, so they are subtypes of the shared payload.
  Check<Payload<'offer'> extends DescriptionPayload ? true : false>,
  Check<Payload<'answer'> extends DescriptionPayload ? true : false>,
  Check<Same<Payload<'ice-candidate'>, IceCandidatePayload>>,
  Check<Same<Payload<'media-state'>, MediaStatePayload>>,
  Check<Same<Payload<'end-call'>, EndCallPayload>>,
  Check<Same<Payload<'rejoin-call'>, RejoinCallPayload>>,
];

/**
 * `schema.safeParse` that never throws. Zod runs a string's length checks even after its type check failed,
 * and an object such as `{ length: { toString: 1 } }` makes those comparisons throw.
 */
export function parseSafely<S extends z.ZodType>(
  schema: S,
  input: unknown,
): { success: true; data: z.output<S> } | { success: false; message: string } {
  try {
    const parsed = schema.safeParse(input);
    return parsed.success
      ? { success: true, data: parsed.data }
      : { success: false, message: describeIssues(parsed.error) };
  } catch {
    return { success: false, message: 'payload: malformed value' };
  }
}

/** A short, input-free description of what is wrong, e.g. `roomId: must be 1-64 characters of …`. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid payload';
  const path = issue.path.map(String).join('.');
  const text = issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
  return (path ? `${path}: ${text}` : `payload: ${text}`).slice(0, 200);
}
