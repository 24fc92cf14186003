/**
 * MAIL-1: the signed token in a case mail's Reply-To (`case+<token>@<MAIL_DOMAIN>`).
 *
 * Layout: `<caseNumber>-<keyId>-<recipientTag>-<mac>`, lower-case base32 and digits only, so it
 * survives clients and servers that case-fold local parts and stays far below the 64-character
 * local-part limit. The MAC (HMAC-SHA256, truncated to 100 bits) covers the case number, the key
 * id and the recipient tag; the tag is a keyed digest of the recipient's address, so the token
 * tells whether a reply comes from the address it was sent to without carrying that address.
 * Keys rotate: the current key signs, every key still in the keyring verifies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReplyKeyring } from './ports';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const MAC_CHARS = 20; // 100 bits
const TAG_CHARS = 8; // 40 bits: enough to tell recipients apart, not an address oracle
const TOKEN = /^(\d{1,12})-([a-z0-9]{1,8})-([a-z2-7]{8})-([a-z2-7]{20})$/;

export const KEY_ID = /^[a-z0-9]{1,8}$/;

/** A full HMAC-SHA256 block of key: anything shorter is refused rather than signed with. */
export const MIN_KEY_BYTES = 32;

const base32 = (bytes: Uint8Array, chars: number): string => {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
};

const hmac = (secret: Uint8Array, text: string): Uint8Array => createHmac('sha256', secret).update(text).digest();

const recipientTag = (secret: Uint8Array, recipient: string) =>
  base32(hmac(secret, `casework-reply-recipient|${recipient.trim().toLowerCase()}`), TAG_CHARS);

const mac = (secret: Uint8Array, caseNumber: string, keyId: string, tag: string) =>
  base32(hmac(secret, `casework-reply|v1|${caseNumber}|${keyId}|${tag}`), MAC_CHARS);

export interface ReplyTokenClaims {
  caseNumber: string;
  recipient: string;
}

export const signReplyToken = (keyring: ReplyKeyring, claims: ReplyTokenClaims): string => {
  const { id, secret } = keyring.current;
  if (!KEY_ID.test(id)) throw new Error('reply token key ids are 1-8 lower-case letters or digits');
  const tag = recipientTag(secret, claims.recipient);
  return `${claims.caseNumber}-${id}-${tag}-${mac(secret, claims.caseNumber, id, tag)}`;
};

export interface VerifiedReplyToken {
  caseNumber: string;
  keyId: string;
  /** Whether `address` is the recipient the token was issued to. */
  issuedTo(address: string): boolean;
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The case a token proves, or undefined for anything altered, guessed or signed by an unknown key. */
export const verifyReplyToken = (keyring: ReplyKeyring, token: string): VerifiedReplyToken | undefined => {
  const m = TOKEN.exec(token.toLowerCase());
  if (!m) return undefined;
  const [, caseNumber, keyId, tag, given] = m;
  const secret = keyring.byId(keyId);
  if (!secret) return undefined;
  if (!sameText(mac(secret, caseNumber, keyId, tag), given)) return undefined;
  return { caseNumber, keyId, issuedTo: (address) => sameText(recipientTag(secret, address), tag) };
};

/** `case+<token>@<domain>` → the token, for any of our reply addresses. */
export const tokenFromAddress = (address: string, domain: string): string | undefined => {
  const m = /^case\+([^@]{1,64})@(.+)$/i.exec(address.trim());
  if (!m || m[2].toLowerCase() !== domain.toLowerCase()) return undefined;
  return m[1].toLowerCase();
};

export const replyAddress = (token: string, domain: string) => `case+${token}@${domain}`;
