/**
 * MIME parsing with postal-mime (no dependencies, bounded nesting and header sizes). The domain
 * checks the size before calling this (MAIL-4: over 40 MB is refused unparsed); the limits here
 * make deep nesting and header floods reject quickly instead of working for minutes.
 */
import PostalMime, { type Address, type Email } from 'postal-mime';
import type { MailAddress, MimeParser, ParsedMail } from '../domain/ports';

const LIMITS = {
  maxNestingDepth: 32,
  maxHeadersSize: 512 * 1024,
  // Forwarded messages are attachments of the reply, never parsed as the reply itself.
  maxRfc822NestingDepth: 2,
  forceRfc822Attachments: true,
} as const;

const flatten = (list: Address[] | undefined): MailAddress[] =>
  (list ?? []).flatMap((a) =>
    a.group
      ? a.group.map((m) => ({ address: (m.address ?? '').toLowerCase(), name: m.name ?? '' }))
      : [{ address: (a.address ?? '').toLowerCase(), name: a.name ?? '' }],
  );

const sizeOf = (content: ArrayBuffer | Uint8Array | string): number =>
  typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;

export const toParsedMail = (email: Email): ParsedMail => {
  const headers: Record<string, string[]> = {};
  for (const h of email.headers) (headers[h.key] ??= []).push(h.value);
  const from = email.from ? flatten([email.from])[0] : undefined;
  return {
    headers,
    contentType: (headers['content-type']?.[0] ?? 'text/plain').split(';')[0].trim().toLowerCase(),
    from,
    to: flatten(email.to),
    cc: flatten(email.cc),
    subject: email.subject ?? '',
    messageId: email.messageId,
    inReplyTo: email.inReplyTo,
    references: email.references,
    date: email.date,
    returnPath: headers['return-path']?.[0],
    text: email.text,
    html: email.html,
    attachments: email.attachments.map((a) => ({
      name: a.filename ?? 'attachment',
      contentType: a.mimeType,
      size: sizeOf(a.content),
      disposition: a.disposition,
      related: a.related === true,
    })),
  };
};

export const postalMimeParser = (): MimeParser => ({
  parse: async (raw) => toParsedMail(await PostalMime.parse(raw, LIMITS)),
});
