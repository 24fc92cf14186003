import type { ReplyKeyring } from '../domain/mail/ports';
import { KEY_ID, MIN_KEY_BYTES } from '../domain/mail/reply-token';
import { config } from './config';
import { secretString } from './secrets';

/**
 * The HMAC keyring of reply tokens (MAIL-1). One JSON shape everywhere:
 * `{"current":"k1","keys":{"k1":"<base64>","k0":"<base64>"}}`: `current` signs new tokens, every
 * listed key still verifies, so a rotation adds a key, moves `current`, and drops the old key
 * only once mail signed with it no longer gets replies.
 *
 * The secret CDK creates has the flat form `{"current":"k1","k1":"<base64>"}`, because Secrets
 * Manager generates top-level fields only; without a `keys` object, every other top-level
 * field is a key.
 *
 * Local mode and tests pass the JSON in REPLY_TOKEN_KEYS; in AWS it is the Secrets Manager
 * secret REPLY_TOKEN_SECRET_ARN, kept for 5 minutes (./secrets), so a rotation reaches every
 * container within that time without a deploy.
 */

/** The one parser of the keyring JSON: the error names what is wrong, never a key. */
export const parseKeyring = (json: string): ReplyKeyring => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('The reply-token keyring is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The reply-token keyring is not a JSON object');
  }
  const { current, keys: nested, ...flat } = parsed as { current?: unknown; keys?: unknown };
  if (typeof current !== 'string' || !current) throw new Error('The reply-token keyring has no "current" key id');
  const keys = nested ?? flat;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw new Error('The reply-token keyring\'s "keys" is not an object');
  }
  const byId = new Map<string, Uint8Array>();
  for (const [id, value] of Object.entries(keys)) {
    // Key ids travel inside tokens, which must survive lower-casing of the local part.
    if (!KEY_ID.test(id)) throw new Error(`Reply-token key id "${id}" must be 1-8 lower-case letters or digits`);
    const secret = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
    if (secret.length < MIN_KEY_BYTES) throw new Error(`Reply-token key ${id} is shorter than ${MIN_KEY_BYTES} bytes`);
    byId.set(id, new Uint8Array(secret));
  }
  const currentSecret = byId.get(current);
  if (!currentSecret) throw new Error(`The reply-token keyring's current key ${current} is not among its keys`);
  return { current: { id: current, secret: currentSecret }, byId: (id) => byId.get(id) };
};

let cached: { source: string; keyring: ReplyKeyring } | undefined;

/** Parsed once per distinct secret value: ./secrets keeps the fetch, this keeps the parse. */
const fromSource = (source: string): ReplyKeyring => {
  if (cached?.source !== source) cached = { source, keyring: parseKeyring(source) };
  return cached.keyring;
};

export const replyKeyring = async (): Promise<ReplyKeyring> => {
  const source = config.replyKeys();
  if ('value' in source) return fromSource(source.value);
  return fromSource(await secretString(source.arn, 'reply-token secret'));
};
