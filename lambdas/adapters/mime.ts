/**
 * MIME parsing with postal-mime (no dependencies, bounded nesting and header sizes). The domain
 * checks the size before calling this (MAIL-4: over 40 MB is refused unparsed); the limits here
 * make deep nesting and header floods reject quickly instead of working for minutes.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { Base64Lines } from './mime-base64';
import type { MailAddress, MimeParser, ParsedMail } from '../domain/mail/ports';

const LIMITS = {
  maxNestingDepth: 32,
  maxHeadersSize: 512 * 1024,
  // Forwarded messages are attachments of the reply, never parsed as the reply itself.
  maxRfc822NestingDepth: 2,
  forceRfc822Attachments: true,
} as const;

/**
 * How long one parse may hold the event loop before it lets other work run. postal-mime reads a
 * message line by line, awaiting each line, but only on microtasks: a 10 MB reply held the loop
 * for the whole parse (about 0.8 s), stalling every other request of the process (local mode runs
 * many functions in one) and the function's own timers.
 */
const SLICE_MS = 20;

/**
 * postal-mime's internals this adapter reads or extends (stripped from its types, stable in 4.x):
 * the per-line step awaited once per line of the message, the part being read, and its decoder.
 */
interface PartState {
  state: 'header' | 'body' | 'finished';
  contentTransferEncoding: { encoding: string };
  contentDecoder: { update(line: Uint8Array): void; finalize(): Promise<ArrayBuffer> } | null;
}
interface LineReader {
  processLine(line: Uint8Array, isFinal: boolean): Promise<void>;
}
const readLine = (PostalMime.prototype as unknown as LineReader).processLine;

/**
 * postal-mime, giving the event loop a turn (setImmediate) once a slice of parsing has run, and
 * decoding base64 parts with Base64Lines (the same bytes, far less work). The same code parses
 * the same lines in the same order; only when the work is handed back, and how a base64 body's
 * bytes are computed, change.
 */
class SlicedPostalMime extends PostalMime implements LineReader {
  private sliceStart = performance.now();

  constructor(
    options: ConstructorParameters<typeof PostalMime>[0],
    private readonly sliceMs: number,
    private readonly onYield?: () => void,
  ) {
    super(options);
  }

  async processLine(line: Uint8Array, isFinal: boolean): Promise<void> {
    if (performance.now() - this.sliceStart >= this.sliceMs) {
      await nextTurn();
      this.onYield?.();
      this.sliceStart = performance.now();
    }
    const part = (this as unknown as { currentNode: PartState }).currentNode;
    const inHeader = part.state === 'header';
    await readLine.call(this, line, isFinal);
    // The empty line after a part's header installs its decoder (setupContentDecoder), which has
    // seen no body yet: a base64 one is replaced before its first line.
    if (inHeader && part.state === 'body' && part.contentDecoder && /base64/i.test(part.contentTransferEncoding.encoding)) {
      part.contentDecoder = new Base64Lines();
    }
  }
}

/** How parseMime shares the event loop; tests shorten the slice to see the turns. */
export interface ParseOptions {
  sliceMs?: number;
  onYield?: () => void;
}

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
      content: typeof a.content === 'string' ? new TextEncoder().encode(a.content) : new Uint8Array(a.content as ArrayBuffer),
    })),
  };
};

/** The parts of postal-mime's tree this adapter reads (internal to postal-mime, stable in 4.x). */
interface Node {
  childNodes: Node[];
  content: ArrayBuffer | Uint8Array | null;
  contentType: { parsed: { value: string; params: Record<string, string> }; multipart: string | false };
  contentDisposition: { parsed: { value: string } };
  getTextContent(): string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const UTF8_LABELS = /^(utf-?8|us-ascii|ascii)$/i;

/** Valid UTF-8 with at least one non-ASCII byte; undefined otherwise. */
const asUtf8 = (bytes: Uint8Array): string | undefined => {
  if (!bytes.some((b) => b > 0x7f)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
};

const quoteDepth = (line: string) => /^>*/.exec(line)![0].length;

/**
 * RFC 3676 format=flowed, joining only lines of the same quote depth: postal-mime joins a flowed
 * quoted line with the unquoted answer below it, which hid bottom-posted Thunderbird replies.
 */
export const decodeFlowed = (text: string, delsp: boolean): string => {
  const out: string[] = [];
  // The pieces of one flowed paragraph, joined once: appending to a string and trimming it for
  // delsp would copy the paragraph at every line.
  let pending: { depth: number; parts: string[] } | undefined;
  const emit = () => {
    if (!pending) return;
    const joined = pending.parts.join('');
    out.push(pending.depth ? `${'>'.repeat(pending.depth)} ${joined}` : joined);
    pending = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    const depth = quoteDepth(raw);
    let line = raw.slice(depth);
    if (line.startsWith(' ')) line = line.slice(1); // space-stuffing
    const soft = line.endsWith(' ') && line !== '-- ';
    if (pending && pending.depth !== depth) emit();
    pending ??= { depth, parts: [] };
    pending.parts.push(soft && delsp ? line.slice(0, -1) : line);
    if (!soft) emit();
  }
  emit();
  return out.join('\n');
};

/** Decodes with the part's charset, format=flowed by decodeFlowed. */
const decodeText = (node: Node): string => {
  const params = node.contentType.parsed.params;
  const format = params.format;
  if (!/^flowed$/i.test(format ?? '')) return node.getTextContent();
  delete params.format;
  try {
    return decodeFlowed(node.getTextContent(), /^yes$/i.test(params.delsp ?? ''));
  } finally {
    params.format = format;
  }
};

/**
 * A text part's text. When the declared charset is not UTF-8 but the bytes are valid UTF-8 (and
 * not plain ASCII), the label is wrong: real text in a legacy charset is almost never valid
 * UTF-8, while mislabelled UTF-8 is common (clients that copy the charset of the mail they
 * answer). Mature receivers decode it as UTF-8; so does this.
 */
const partText = (node: Node): string => {
  const declared = decodeText(node);
  const charset = node.contentType.parsed.params.charset ?? '';
  if (!charset || UTF8_LABELS.test(charset.trim()) || !node.content) return declared;
  const bytes = node.content instanceof Uint8Array ? node.content : new Uint8Array(node.content);
  if (asUtf8(bytes) === undefined) return declared;
  const params = node.contentType.parsed.params;
  params.charset = 'utf-8';
  try {
    return decodeText(node);
  } finally {
    params.charset = charset;
  }
};

/** The inline text/plain and text/html parts, in order, as written (not converted from each other). */
const textParts = (root: Node): { plain: string[]; html: string[] } => {
  const out = { plain: [] as string[], html: [] as string[] };
  const walk = (node: Node, depth: number) => {
    if (depth > LIMITS.maxNestingDepth) return;
    if (node.contentType.multipart) {
      for (const child of node.childNodes) walk(child, depth + 1);
      return;
    }
    if (node.contentDisposition.parsed.value === 'attachment') return;
    const type = node.contentType.parsed.value;
    if (type === 'text/plain') out.plain.push(partText(node));
    else if (type === 'text/html') out.html.push(partText(node));
  };
  walk(root, 0);
  return out;
};

/** Header and body of a raw message, split at the first empty line. */
const splitRaw = (raw: Uint8Array): { head: string; body: Uint8Array } | undefined => {
  for (let i = 0; i + 1 < raw.length; i++) {
    if (raw[i] !== 0x0a) continue;
    const next = raw[i + 1] === 0x0d ? i + 2 : i + 1;
    if (raw[next] === 0x0a) return { head: Buffer.from(raw.subarray(0, i + 1)).toString('latin1'), body: raw.subarray(next + 1) };
  }
  return undefined;
};

/**
 * A message whose header says multipart/* but whose body has no boundary line (real clients send
 * these) has no parts: its body is read again as one text part, with the header's transfer
 * encoding, so the reply is not lost.
 */
const reparseAsText = async (
  raw: Uint8Array,
  slicing: Required<Pick<ParseOptions, 'sliceMs'>> & ParseOptions,
): Promise<{ email: Email; html: boolean } | undefined> => {
  const parts = splitRaw(raw);
  if (!parts || !/\S/.test(Buffer.from(parts.body.subarray(0, 4096)).toString('latin1'))) return undefined;
  const looksHtml = /^\s*<(!doctype|html|div|p|body|table)\b/i.test(Buffer.from(parts.body.subarray(0, 512)).toString('latin1'));
  // Drop the Content-Type header (and its folded lines); keep every other header.
  const head = parts.head.replace(/^content-type:[^\n]*\n([ \t][^\n]*\n)*/im, '');
  const type = `Content-Type: ${looksHtml ? 'text/html' : 'text/plain'}; charset=utf-8\r\n`;
  const rebuilt = Buffer.concat([Buffer.from(head + type + '\r\n', 'latin1'), parts.body]);
  return { email: await new SlicedPostalMime(LIMITS, slicing.sliceMs, slicing.onYield).parse(rebuilt), html: looksHtml };
};

export const parseMime = async (raw: Uint8Array, opts: ParseOptions = {}): Promise<ParsedMail> => {
  const slicing = { sliceMs: opts.sliceMs ?? SLICE_MS, onYield: opts.onYield };
  const parser = new SlicedPostalMime(LIMITS, slicing.sliceMs, slicing.onYield);
  let email = await parser.parse(raw);
  const root = (parser as unknown as { root?: Node }).root;
  let parts = root ? textParts(root) : { plain: email.text ? [email.text] : [], html: email.html ? [email.html] : [] };
  const empty = parts.plain.length === 0 && parts.html.length === 0 && email.attachments.length === 0;
  if (empty && /^multipart\//i.test(root?.contentType.parsed.value ?? '')) {
    const again = await reparseAsText(raw, slicing);
    if (again) {
      email = { ...again.email, headers: email.headers };
      const body = (again.html ? again.email.html : again.email.text) ?? '';
      parts = again.html ? { plain: [], html: [body] } : { plain: [body], html: [] };
    }
  }
  const parsed = toParsedMail(email);
  // Only the parts the sender wrote: postal-mime renders a missing text part from the HTML one,
  // which would hide the HTML's quote containers from the reply rules.
  parsed.text = parts.plain.length > 0 ? parts.plain.join('\n') : undefined;
  parsed.html = parts.html.length > 0 ? parts.html.join('\n') : undefined;
  return parsed;
};

export const postalMimeParser = (): MimeParser => ({ parse: (raw) => parseMime(raw) });
