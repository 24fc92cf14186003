/**
 * Opaque, tamper-evident list cursors: base64url(JSON) + HMAC-SHA256, bound to the caller and
 * to the query that produced them, so a cursor can be neither edited nor replayed elsewhere.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { validation } from '../domain/kernel/errors';

const b64 = (s: Buffer | string) => Buffer.from(s).toString('base64url');

const sign = (key: string, payload: string, binding: string) =>
  createHmac('sha256', key).update(binding).update('\0').update(payload).digest();

export const encodeCursor = (key: string, position: unknown, binding: string): string | null => {
  if (position === null || position === undefined) return null;
  const payload = b64(JSON.stringify(position));
  return `${payload}.${b64(sign(key, payload, binding))}`;
};

export const decodeCursor = (key: string, cursor: string | undefined, binding: string): unknown => {
  if (!cursor) return undefined;
  const bad = () => validation([{ path: 'cursor', message: 'is not a cursor this query issued' }]);
  const [payload, mac] = cursor.split('.');
  if (!payload || !mac) throw bad();
  const expected = sign(key, payload, binding);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw bad();
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
};
