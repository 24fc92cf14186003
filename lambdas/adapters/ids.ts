import { randomBytes, randomInt } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import type { Ids } from '../domain/kernel/ports';

/** Crockford base32 without I, L, O, U: easy to read back from an email subject. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE_LENGTH = 16; // 80 random bits: unguessable, and not derived from the case number (MAIL-1)

export const referenceId = (): string => {
  const bytes = randomBytes(REFERENCE_LENGTH);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
};

const ulid = monotonicFactory();

/** ACC-6: 000000-999999, uniformly (randomInt rejects the modulo bias). */
export const oneTimeCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export const systemIds: Ids = { next: () => ulid(), referenceId, oneTimeCode };

/** CHAT-1: a single-use WebSocket ticket (160 random bits). */
export const chatTicket = (): string => `${referenceId()}${referenceId()}`;
