/**
 * MAIL-2: the new text of a reply, without quoted history or signature. In order: cut at our own
 * "reply above this line" marker; for HTML-only mail, cut at the quote container of the client
 * (reply-text/html.ts) and turn the rest into text; then the plain-text rules (reply-text/split.ts)
 * find the quote headers of every client and language in the corpus, tell top-, bottom- and
 * inline-posting apart and strip signatures. When they find nothing new (a reply that only
 * quotes, a forward without a comment, text they cannot read), the update carries the whole text,
 * marked `whole` so the portal shows it collapsed: nothing a customer writes is dropped.
 * Every regex sees capped text: no input makes this slow.
 */
import { REPLY_ABOVE_MARKER } from './compose';
import type { ParsedMail } from './ports';
import { htmlToText, quoteStart } from './reply-text/html';
import { FORWARD_SUBJECT } from './reply-text/patterns';
import { splitReply, type Split } from './reply-text/split';

/** Text fed to regexes (the reply rules, the HTML converter). */
export const MAX_SCAN_CHARS = 64 * 1024;
/** Kept on the update: both fit one DynamoDB item with room to spare, even at 3 bytes a character. */
export const MAX_BODY_CHARS = 32 * 1024;
export const MAX_FULL_TEXT_CHARS = 64 * 1024;

const cap = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);

const MARKER_LINE = /reply above this line/i;

/** Lines above our marker; the quote header line some clients put right above it goes too. */
export const cutAtMarker = (text: string): string => {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => MARKER_LINE.test(l) || l.includes(REPLY_ABOVE_MARKER));
  return at < 0 ? text : lines.slice(0, at).join('\n');
};

/** HTML → plain text, cut at the first quote container. */
export const htmlToReplyText = (html: string): string => {
  const h = cap(html, MAX_SCAN_CHARS * 2);
  return htmlToText(h.slice(0, quoteStart(h)));
};

/**
 * Line ends, and the invisible characters clients put in quote headers: NBSP (French `De :`),
 * direction marks (Windows Mail, Hebrew), zero-width spaces and the BOM.
 */
export const normalise = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g, '');

export interface ReplyText {
  /** The new text, or the whole text when `quality` is `whole`. */
  body: string;
  /** The whole text part as received (capped). */
  fullText: string;
  truncated: boolean;
  /**
   * `new`: history and signature were stripped. `whole`: no new text could be told from the
   * history, so the body is the whole text (the portal shows it collapsed).
   */
  quality: 'new' | 'whole';
  style: Split['style'];
}

type MailText = Pick<ParsedMail, 'text' | 'html'> & { subject?: string };

export const replyText = (mail: MailText): ReplyText => {
  const hasText = !!mail.text && mail.text.trim().length > 0;
  const forwarded = FORWARD_SUBJECT.test(mail.subject ?? '');
  const html = cap(mail.html ?? '', MAX_SCAN_CHARS * 2);
  const full = normalise(hasText ? mail.text! : htmlToText(html));
  let split: Split;
  if (hasText) split = splitReply(cutAtMarker(cap(full, MAX_SCAN_CHARS)), { forwarded });
  else {
    const at = quoteStart(html);
    // Forwarded HTML keeps its container: the forwarded message is the content.
    const cut = forwarded ? html : html.slice(0, at);
    split = splitReply(cutAtMarker(cap(normalise(htmlToText(cut)), MAX_SCAN_CHARS)), { forwarded });
    // The container was at the top (a bottom-posted HTML reply): read the whole body as quoted text.
    if (!split.text && at < html.length) split = splitReply(cutAtMarker(cap(full, MAX_SCAN_CHARS)), { forwarded });
  }
  const whole = !split.text.trim();
  const body = whole ? full.trim() : split.text;
  return {
    body: cap(body, MAX_BODY_CHARS),
    fullText: cap(full, MAX_FULL_TEXT_CHARS),
    truncated: full.length > MAX_FULL_TEXT_CHARS || body.length > MAX_BODY_CHARS,
    quality: whole ? 'whole' : 'new',
    style: split.style,
  };
};
