/**
 * MAIL-2: the new text of a reply, without quoted history or signature. In order: cut at our own
 * "reply above this line" marker; for HTML-only mail, cut at the quote containers of Gmail,
 * Outlook, Yahoo and Apple Mail and turn the rest into text; then email-reply-parser removes
 * `On … wrote:` (and its German, French, … forms), Outlook `From:/Sent:` blocks, `>` quotes and
 * signatures. Every regex sees capped text: no input makes this slow.
 */
import EmailReplyParser from 'email-reply-parser';
import { REPLY_ABOVE_MARKER } from './mail';
import type { ParsedMail } from './ports';

/** Text fed to regexes (the reply parser, the HTML stripper). */
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

// Bounded quantifiers: an unclosed tag cannot make these backtrack over the whole message.
const QUOTE_CONTAINERS: RegExp[] = [
  /<div[^<>]{0,300}class="?[^"<>]{0,300}gmail_quote/i,
  /<blockquote[^<>]{0,300}class="?[^"<>]{0,300}gmail_quote/i,
  /<div[^<>]{0,300}id="?(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)/i,
  /<hr[^<>]{0,300}id="?stopSpelling/i,
  /<div[^<>]{0,300}class="?[^"<>]{0,300}(yahoo_quoted|moz-cite-prefix|OutlookMessageHeader)/i,
  /<blockquote[^<>]{0,300}type="?cite/i,
  /<div[^<>]{0,300}style="[^"<>]{0,300}border-top:\s{0,3}solid\s{0,3}#(E1E1E1|B5C4DF)/i,
];

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** Removes <style>, <script> and <head> blocks with indexOf: no backtracking on unclosed tags. */
const dropBlocks = (html: string): string => {
  let out = html;
  for (const tag of ['head', 'style', 'script']) {
    const lower = out.toLowerCase();
    let result = '';
    let pos = 0;
    for (;;) {
      let open = lower.indexOf(`<${tag}`, pos);
      // <header> is not <head>: the tag name must end there.
      while (open >= 0 && /[a-z0-9-]/.test(lower[open + tag.length + 1] ?? '')) open = lower.indexOf(`<${tag}`, open + 1);
      if (open < 0) break;
      const close = lower.indexOf(`</${tag}>`, open);
      result += out.slice(pos, open);
      if (close < 0) {
        pos = out.length;
        break;
      }
      pos = close + tag.length + 3;
    }
    out = result + out.slice(pos);
  }
  return out;
};

/** HTML → plain text, cut at the first quote container. Linear regexes only. */
export const htmlToReplyText = (html: string): string => {
  let h = cap(html, MAX_SCAN_CHARS * 2);
  let cut = h.length;
  for (const re of QUOTE_CONTAINERS) {
    const m = re.exec(h);
    if (m && m.index < cut) cut = m.index;
  }
  h = dropBlocks(h.slice(0, cut));
  return h
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, '\n')
    .replace(/<[^<>]*>/g, '')
    .replace(/&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (all, e: string) => {
      const k = e.toLowerCase();
      if (ENTITIES[k]) return ENTITIES[k];
      if (k.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(k.slice(2), 16), 0x10ffff));
      if (k.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(k.slice(1), 10), 0x10ffff));
      return all;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
};

const normalise = (s: string) => s.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');

export interface ReplyText {
  /** The new text only. */
  body: string;
  /** The whole text part as received (capped). */
  fullText: string;
  truncated: boolean;
}

export const replyText = (mail: Pick<ParsedMail, 'text' | 'html'>): ReplyText => {
  const hasText = !!mail.text && mail.text.trim().length > 0;
  const full = normalise(hasText ? mail.text! : htmlToReplyText(mail.html ?? ''));
  const scanned = cap(full, MAX_SCAN_CHARS);
  let body = cutAtMarker(scanned);
  // An HTML-only reply was already cut at its quote container above.
  body = new EmailReplyParser().parseReply(body) ?? '';
  body = body.replace(/\s+$/g, '').replace(/^\s*\n/, '');
  return {
    body: cap(body, MAX_BODY_CHARS),
    fullText: cap(full, MAX_FULL_TEXT_CHARS),
    truncated: full.length > MAX_FULL_TEXT_CHARS || body.length > MAX_BODY_CHARS,
  };
};
