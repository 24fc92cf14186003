/**
 * MAIL-2: HTML-only replies. Clients put the history in a container of their own (Gmail's
 * gmail_quote, Outlook's divRplyFwdMsg / messageReplySection / border-top block, Yahoo's
 * yahoo_quoted, Thunderbird's moz-cite-prefix, Apple's blockquote type=cite): the reply is what
 * comes before the first one. What is left becomes text with blockquotes as `>` lines, so the
 * plain-text rules (bottom-posting, BlackBerry's indented From/Sent block, Windows Mail's header
 * block) apply to it too. One linear pass over the tags; bounded quantifiers only.
 */

const QUOTE_CONTAINERS: RegExp[] = [
  /<div[^<>]{0,300}class=["']?[^"'<>]{0,300}gmail_quote/i,
  /<blockquote[^<>]{0,300}class=["']?[^"'<>]{0,300}gmail_quote/i,
  /<div[^<>]{0,300}id=["']?(x_)?(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container|OLK_SRC_BODY_SECTION)/i,
  /<div[^<>]{0,300}class=["']?[^"'<>]{0,300}(messageReplySection|OutlookMessageHeader|yahoo_quoted|ydp[0-9a-f]{1,20}yahoo_quoted|moz-cite-prefix|AOLMsgPart|zmail_extra|protonmail_quote|ms-outlook-mobile-reference-message)/i,
  /<hr[^<>]{0,300}id=["']?stopSpelling/i,
  /<blockquote[^<>]{0,300}type=["']?cite/i,
  /<span[^<>]{0,300}id=["']?OLK_SRC_BODY_SECTION/i,
  // Outlook desktop and web: the header block sits in a div with a light top border.
  /<div[^<>]{0,300}style=["'][^"'<>]{0,300}border-top:\s{0,3}solid\s{0,3}#(E1E1E1|B5C4DF)/i,
  /<div[^<>]{0,300}style=["'][^"'<>]{0,300}border:\s{0,3}none;\s{0,3}border-top:\s{0,3}solid\s{0,3}#(E1E1E1|B5C4DF)/i,
];

/** Signature containers: Gmail, Outlook, Thunderbird, Apple. */
const SIGNATURE_OPEN =
  /^<(div|pre|span|table)[^<>]{0,300}(class=["']?[^"'<>]{0,200}(gmail_signature|moz-signature|x_Signature)|id=["']?(x_)?(Signature|signature|AppleMailSignature|ms-outlook-mobile-signature))/i;

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const decodeEntities = (s: string) =>
  s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi, (all, e: string) => {
    const k = e.toLowerCase();
    if (ENTITIES[k]) return ENTITIES[k];
    const n = k.startsWith('#x') ? parseInt(k.slice(2), 16) : k.startsWith('#') ? parseInt(k.slice(1), 10) : NaN;
    return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : all;
  });

const BLOCK = /^(p|div|li|tr|h[1-6]|table|ul|ol|pre|center|section|article|header|footer)$/;
const DROPPED = /^(head|style|script|title|xml|o:p)$/;

/** Comments (Outlook's conditional blocks) removed with indexOf: an unclosed one cannot backtrack. */
const dropComments = (html: string): string => {
  let out = '';
  let pos = 0;
  for (let open = html.indexOf('<!--'); open >= 0; open = html.indexOf('<!--', pos)) {
    out += html.slice(pos, open);
    const close = html.indexOf('-->', open + 4);
    pos = close < 0 ? html.length : close + 3;
  }
  return out + html.slice(pos);
};

/** The offset of the first history container, or the length. */
export const quoteStart = (html: string): number => {
  let cut = html.length;
  for (const re of QUOTE_CONTAINERS) {
    const m = re.exec(html);
    if (m && m.index < cut) cut = m.index;
  }
  return cut;
};

/** HTML → text: block ends and <br> are line breaks, blockquotes become `>` lines, signatures go. */
export const htmlToText = (input: string): string => {
  const html = dropComments(input);
  const out: string[] = [];
  let line = '';
  let quoteDepth = 0;
  /** While > 0, inside a dropped element (head, style, a signature): text is skipped. */
  let skipping = 0;
  let skipTag = '';
  let skipNesting = 0;
  const flush = () => {
    const text = decodeEntities(line)
      .replace(/[ \t\u00a0]+/g, ' ')
      .trim();
    out.push(quoteDepth > 0 ? `${'>'.repeat(quoteDepth)} ${text}`.trimEnd() : text);
    line = '';
  };
  const tag = /<(\/?)([a-z][a-z0-9:-]{0,30})([^<>]{0,2000})>|<[!?][^<>]{0,2000}>/gi;
  let pos = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    if (!skipping) line += html.slice(pos, m.index).replace(/[\r\n]+/g, ' ');
    pos = m.index + m[0].length;
    if (!m[2]) continue; // <?xml …?>, <!DOCTYPE …>
    const closing = m[1] === '/';
    const name = m[2].toLowerCase();
    if (skipping) {
      if (name === skipTag) skipNesting += closing ? -1 : m[3].trimEnd().endsWith('/') ? 0 : 1;
      if (skipNesting <= 0) skipping = 0;
      continue;
    }
    if (!closing && (DROPPED.test(name) || SIGNATURE_OPEN.test(m[0]))) {
      if (m[3].trimEnd().endsWith('/')) continue;
      skipping = 1;
      skipTag = name;
      skipNesting = 1;
      continue;
    }
    if (name === 'br') flush();
    else if (name === 'blockquote') {
      if (line.trim()) flush();
      quoteDepth = Math.max(0, quoteDepth + (closing ? -1 : 1));
    } else if (BLOCK.test(name) && (closing || line.trim())) flush();
    else if (name === 'hr' && !closing) {
      flush();
      out.push('________________________________');
    } else if ((name === 'td' || name === 'th') && closing) line += ' ';
  }
  if (!skipping) line += html.slice(pos).replace(/[\r\n]+/g, ' ');
  flush();
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
};
