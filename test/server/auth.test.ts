import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import { ErrorCode } from '../../server/protocol.js';
import {
  asConnectErrorData,
  closeAll,
  connectClient,
  connectRefused,
  expectError,
  expectOk,
  joinRoom,
  request,
  startServer,
} from '../helpers/index.js';

const SECRET = 'test-secret-with-enough-entropy-0123456789';
const key = new TextEncoder().encode(SECRET);

function sign(claims: JWTPayload, { secret = key, expiresIn = '5m' } = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(expiresIn).sign(secret);
}

describe('AUTH_SECRET: identity from the token alone', () => {
  afterEach(closeAll);

  it('takes sub and name from the token, ignoring auth.userId', async () => {
    const { url } = await startServer({ authSecret: SECRET });
    const token = await sign({ sub: 'alice', name: 'Alice A.', rooms: ['r1'] });
    const alice = await connectClient(url, { userId: 'mallory', userName: 'Mallory', token });
    const joined = await joinRoom(alice, 'r1');
    assert.deepEqual(joined.members, [{ userId: 'alice', userName: 'Alice A.', status: 'available' }]);
  });

  it('refuses a room outside the token with forbidden, and allows any room with "*"', async () => {
    const { url } = await startServer({ authSecret: SECRET });
    const limited = await connectClient(url, { token: await sign({ sub: 'u1', rooms: ['r1'] }) });
    expectError(await request(limited, 'join-room', { roomId: 'r2' }), ErrorCode.Forbidden);
    const any = await connectClient(url, { token: await sign({ sub: 'u2', rooms: ['*'] }) });
    expectOk(await request(any, 'join-room', { roomId: 'r2' }));
  });

  it('uses the token name as callerName, whatever the payload says', async () => {
    const { url } = await startServer({ authSecret: SECRET });
    const alice = await connectClient(url, {
      token: await sign({ sub: 'alice', name: 'Alice', rooms: ['*'] }),
    });
    const bob = await connectClient(url, { token: await sign({ sub: 'bob', name: 'Bob', rooms: ['*'] }) });
    await joinRoom(alice, 'r1');
    await joinRoom(bob, 'r1');
    const incoming = new Promise((resolve) => bob.once('incoming-video-call', resolve));
    expectOk(
      await request(alice, 'video-call-request', { roomId: 'r1', callerId: 'alice', callerName: 'The Bank' }),
    );
    assert.equal(((await incoming) as { callerName: string }).callerName, 'Alice');
  });

  const refusals: [string, () => Promise<Record<string, unknown>>, ErrorCode][] = [
    ['a missing token', () => Promise.resolve({ userId: 'alice' }), ErrorCode.TokenMissing],
    [
      'an expired token',
      async () => ({ token: await sign({ sub: 'alice', rooms: ['*'] }, { expiresIn: '-1m' }) }),
      ErrorCode.TokenExpired,
    ],
    [
      'a token signed with another secret',
      async () => ({
        token: await sign({ sub: 'alice', rooms: ['*'] }, { secret: new TextEncoder().encode('nope') }),
      }),
      ErrorCode.TokenInvalid,
    ],
    [
      'an unsigned alg:none token',
      () => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const exp = Math.floor(Date.now() / 1000) + 300;
        return Promise.resolve({
          token: `${part({ alg: 'none' })}.${part({ sub: 'alice', rooms: ['*'], exp })}.`,
        });
      },
      ErrorCode.TokenInvalid,
    ],
    [
      'a token without exp',
      async () => ({
        token: await new SignJWT({ sub: 'alice', rooms: ['*'] })
          .setProtectedHeader({ alg: 'HS256' })
          .sign(key),
      }),
      ErrorCode.TokenInvalid,
    ],
    ['a token without rooms', async () => ({ token: await sign({ sub: 'alice' }) }), ErrorCode.TokenInvalid],
  ];
  for (const [what, auth, code] of refusals) {
    it(`refuses ${what} with connect_error "unauthorized" and code ${code}`, async () => {
      const { url } = await startServer({ authSecret: SECRET });
      const refused = await connectRefused(url, await auth());
      assert.equal(refused.message, 'unauthorized');
      assert.equal(asConnectErrorData(refused.data).code, code);
    });
  }
});
