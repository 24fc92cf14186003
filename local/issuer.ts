/**
 * The local token issuer: stands in for Cognito so that local mode and tests use real, signed
 * JWTs, checked the way API Gateway's HTTP API JWT authorizer checks Cognito's.
 *
 * The key pair lives in a file, not in memory, because `npm start` (which verifies) and
 * `npm run token` (which signs) are different processes.
 *
 * Keys and signatures use node:crypto rather than jose: jose 6 is ESM-only, which jest cannot
 * load without extra transform configuration, and RS256 signing is a single crypto.sign call.
 * Verification is aws-jwt-verify, the library a Lambda would use, so the checks are not ours.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import type { JwkWithKid, Jwks } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { INGEST_SCOPE } from '../lambdas/domain/kernel/policy';
import { ENV } from '../lambdas/adapters/config';

export { INGEST_SCOPE };

/** Fixed, port-independent: a token minted before a restart on other ports stays valid. */
export const ISSUER = 'https://casework.local/issuer';
const USER_SCOPE = 'openid email';
const TOKEN_LIFETIME_SECONDS = 3600;

export type UserClient = 'web' | 'mobile';

export const clientIds = (): { web: string; mobile: string; machine: string } => ({
  web: process.env[ENV.WEB_CLIENT_ID] ?? 'casework-web',
  mobile: process.env[ENV.MOBILE_CLIENT_ID] ?? 'casework-mobile',
  machine: process.env.MACHINE_CLIENT_ID ?? 'monitoring',
});

/** The audiences the HTTP API's JWT authorizer lists: the app clients of the user pool. */
const knownClients = (): string[] => Object.values(clientIds());

export const keyDir = (): string =>
  process.env.CASEWORK_KEY_DIR ? resolve(process.env.CASEWORK_KEY_DIR) : resolve(__dirname, '../.local-data');

interface KeyFile {
  kid: string;
  /** Private JWK; its public half is derived, so the file cannot hold a mismatched pair. */
  privateJwk: Record<string, unknown>;
}

interface LoadedKey {
  kid: string;
  privateKey: ReturnType<typeof createPrivateKey>;
  publicJwk: JwkWithKid;
}

const loaded = new Map<string, LoadedKey>();

/** Writes `content` to `file` unless it exists; of two processes racing, the first one's stays. */
const createOnce = (file: string, content: unknown): void => {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, JSON.stringify(content, null, 2), { mode: 0o600 });
  try {
    // link() fails if the target exists, so two processes starting at once agree on one key:
    // the first to link wins and the other reads the winner's file. rename() would let the
    // second silently replace a key the first has already signed with.
    linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(temp);
  }
};

const createKeyFile = (file: string): void => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const content: KeyFile = { kid: randomUUID(), privateJwk: privateKey.export({ format: 'jwk' }) as Record<string, unknown> };
  createOnce(file, content);
};

/**
 * The local reply-token keyring (MAIL-1), kept beside the signing key so that `npm start`,
 * `npm run sweep` and a restart with `--persist` sign and verify with the same key.
 */
export const localReplyKeys = (): string => {
  const dir = keyDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'reply-keys.json');
  if (!existsSync(file)) createOnce(file, { current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
  return readFileSync(file, 'utf8');
};

const loadKey = (): LoadedKey => {
  const dir = keyDir();
  const cached = loaded.get(dir);
  if (cached) return cached;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'issuer-key.json');
  if (!existsSync(file)) createKeyFile(file);
  const { kid, privateJwk } = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const privateKey = createPrivateKey({ key: privateJwk as never, format: 'jwk' });
  const { n, e } = createPublicKey(privateKey).export({ format: 'jwk' });
  const key: LoadedKey = { kid, privateKey, publicJwk: { kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: n!, e: e! } };
  loaded.set(dir, key);
  return key;
};

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs claims with the local key. Exported for tests that need unusual tokens (expired, odd claims). */
export const signClaims = (claims: Record<string, unknown>): string => {
  const { kid, privateKey } = loadKey();
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
};

export interface UserTokenInput {
  sub: string;
  email: string;
  client?: UserClient;
  /** Defaults to the sub, as in a user pool that signs users in by email alias. */
  username?: string;
  /** Refreshed tokens of one sign-in share origin_jti and auth_time; pass them to mimic a refresh. */
  originJti?: string;
  authTime?: number;
  /** Seconds since the epoch; for tests of expiry. */
  now?: number;
  lifetimeSeconds?: number;
}

/** A Cognito-shaped ACCESS token (not an ID token: API Gateway is given access tokens). */
export const signUserToken = (input: UserTokenInput): string => {
  const now = input.now ?? Math.floor(Date.now() / 1000);
  return signClaims({
    sub: input.sub,
    iss: ISSUER,
    client_id: clientIds()[input.client ?? 'web'],
    origin_jti: input.originJti ?? randomUUID(),
    token_use: 'access',
    scope: USER_SCOPE,
    auth_time: input.authTime ?? now,
    exp: now + (input.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS),
    iat: now,
    jti: randomUUID(),
    username: input.username ?? input.sub,
    email: input.email,
  });
};

/** A client-credentials token as Cognito issues it to a machine client: sub is the client id. */
export const signMachineToken = (clientId: string, options: { now?: number; scope?: string } = {}): string => {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  return signClaims({
    sub: clientId,
    iss: ISSUER,
    client_id: clientId,
    token_use: 'access',
    scope: options.scope ?? INGEST_SCOPE,
    auth_time: now,
    exp: now + TOKEN_LIFETIME_SECONDS,
    iat: now,
    jti: randomUUID(),
  });
};

export const jwks = (): Jwks => ({ keys: [loadKey().publicJwk] });

let verifier: { dir: string; instance: ReturnType<typeof createVerifier> } | undefined;

const createVerifier = () => {
  const instance = JwtRsaVerifier.create({
    issuer: ISSUER,
    // Checked in customJwtCheck instead: API Gateway accepts `aud` (ID tokens) or, when absent,
    // `client_id` (access tokens), and aws-jwt-verify's audience check knows only `aud`.
    audience: null,
    // Never fetched: the JWKS is cached below and verifySync does not go to the network.
    jwksUri: `${ISSUER}/.well-known/jwks.json`,
    customJwtCheck: ({ payload }) => {
      const aud = payload.aud ?? payload.client_id;
      const audiences = Array.isArray(aud) ? aud : [aud];
      const known = knownClients();
      if (!audiences.some((a) => typeof a === 'string' && known.includes(a))) {
        throw new Error('Token was not issued to a known client');
      }
    },
  });
  instance.cacheJwks(jwks());
  return instance;
};

/**
 * Verifies signature, issuer, expiry and client like the HTTP API's JWT authorizer; throws
 * otherwise. Synchronous on purpose: an async verify would try to download the JWKS when it
 * meets an unknown `kid`, and there is nothing to download from.
 */
export const verifyToken = (token: string): JwtPayload => {
  const dir = keyDir();
  if (verifier?.dir !== dir) verifier = { dir, instance: createVerifier() };
  return verifier.instance.verifySync(token);
};
