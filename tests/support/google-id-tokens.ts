import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Claims of a Google ID token, as Google signs them for a service account or a user. */
export interface IdTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  email: string;
  email_verified: boolean;
  iat: number;
  exp: number;
}

/**
 * A local issuer of Google-style ID tokens (RS256 JWTs) and the certificate endpoint that
 * google-auth-library fetches to check them (MONITOR500_GOOGLE_CERTS_URL): the verification path
 * of the product runs unchanged, only its certificates come from here.
 */
export interface TokenIssuer {
  certsUrl: string;
  /** A token with Google's issuer, one hour of life and the given claims over them. */
  token(claims: Partial<IdTokenClaims> & { aud: string; email: string }): string;
  /** A token of the same shape signed by a key the certificate endpoint does not publish. */
  forged(claims: Partial<IdTokenClaims> & { aud: string; email: string }): string;
  close(): Promise<void>;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signed(claims: IdTokenClaims, key: KeyObject, kid: string): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key);
  return `${header}.${payload}.${base64url(signature)}`;
}

export async function startTokenIssuer(): Promise<TokenIssuer> {
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'monitor500-test-key';
  const certs = JSON.stringify({ [kid]: published.publicKey.export({ type: 'spki', format: 'pem' }) });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' }).end(certs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const claims = (given: Partial<IdTokenClaims> & { aud: string; email: string }): IdTokenClaims => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: 'https://accounts.google.com',
      sub: '1234567890',
      email_verified: true,
      iat: now,
      exp: now + 3600,
      ...given,
    };
  };
  return {
    certsUrl: `http://127.0.0.1:${port}/oauth2/v1/certs`,
    token: (given) => signed(claims(given), published.privateKey, kid),
    forged: (given) => signed(claims(given), unpublished.privateKey, kid),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
