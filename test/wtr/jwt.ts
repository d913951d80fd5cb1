/** Signs an HS256 JWT with WebCrypto, as the host page's backend would for AUTH_SECRET mode. */
export async function signToken(
  secret: string,
  claims: { sub: string; name: string; rooms: string[] },
  expiresInSeconds = 600,
): Promise<string> {
  const encode = (value: object | Uint8Array): string => {
    const bytes = value instanceof Uint8Array ? value : new TextEncoder().encode(JSON.stringify(value));
    return btoa(String.fromCharCode(...bytes))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  };
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ ...claims, iat: now, exp: now + expiresInSeconds })}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(unsigned));
  return `${unsigned}.${encode(new Uint8Array(signature))}`;
}
