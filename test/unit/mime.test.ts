/**
 * MAIL-2: the MIME adapter's fallbacks, one by one. The corpus test runs them on whole
 * messages; these name each rule and its edge.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { decodeFlowed, parseMime } from '../../lambdas/adapters/mime';
import { depth } from '../helpers/depth';

const HEAD =
  'From: Dana <dana@acme.example>\r\nTo: case@casework.test\r\nSubject: Re: x\r\nMessage-ID: <m@acme.example>\r\nMIME-Version: 1.0\r\n';
const message = (contentType: string, body: Buffer | string, cte = '8bit') =>
  new Uint8Array(
    Buffer.concat([
      Buffer.from(`${HEAD}Content-Type: ${contentType}\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    ]),
  );

describe('MAIL-2: MIME fallbacks', () => {
  it('MAIL-2: a multipart header with no boundary line in the body is read as one text part', async () => {
    const m = await parseMime(message('multipart/alternative; boundary="nowhere"', 'Thanks!\r\n'));
    expect(m.text?.trim()).toBe('Thanks!');
  });

  it('MAIL-2: the same with a base64 body keeps its transfer encoding', async () => {
    const m = await parseMime(
      message('multipart/mixed; boundary="nowhere"', Buffer.from('Danke schön!').toString('base64'), 'base64'),
    );
    expect(m.text?.trim()).toBe('Danke schön!');
  });

  it('MAIL-2: UTF-8 bytes labelled Big5 are decoded as UTF-8', async () => {
    const m = await parseMime(message('text/plain; charset=Big5', '謝謝，問題已解決'));
    expect(m.text?.trim()).toBe('謝謝，問題已解決');
  });

  it('MAIL-2: UTF-8 bytes labelled windows-1251 are decoded as UTF-8', async () => {
    const m = await parseMime(message('text/plain; charset=windows-1251', 'Спасибо'));
    expect(m.text?.trim()).toBe('Спасибо');
  });

  it('MAIL-2: real windows-1251 text (not valid UTF-8) keeps its declared charset', async () => {
    const cp1251 = Buffer.from([0xd1, 0xef, 0xe0, 0xf1, 0xe8, 0xe1, 0xee]); // "Спасибо"
    const m = await parseMime(message('text/plain; charset=windows-1251', cp1251));
    expect(m.text?.trim()).toBe('Спасибо');
  });

  it('MAIL-2: an HTML-only message has no text part made up from its HTML', async () => {
    const m = await parseMime(message('text/html; charset=utf-8', '<div>Hi</div><div class="gmail_quote">old</div>'));
    expect(m.text).toBeUndefined();
    expect(m.html).toContain('gmail_quote');
  });

  it('MAIL-2: format=flowed joins soft breaks only within one quote depth', () => {
    expect(decodeFlowed('> Hi \r\nHello', false)).toBe('> Hi \nHello');
    expect(decodeFlowed('one \r\ntwo\r\n> a \r\n> b', false)).toBe('one two\n> a b');
    expect(decodeFlowed('one \r\ntwo', true)).toBe('onetwo');
    expect(decodeFlowed('-- \r\nDana', false)).toBe('-- \nDana');
  });

  it('MAIL-2: a format=flowed bottom-posted reply keeps the answer out of the quote', async () => {
    const m = await parseMime(
      message('text/plain; charset=us-ascii; format=flowed', 'On 04/02/2012 06:26 PM, Megan One wrote:\r\n> Hi \r\nHello\r\n'),
    );
    expect(m.text).toContain('\nHello');
  });
});

describe('MAIL-2: large replies', () => {
  const boundary = 'b0undary';
  const multipart = (textBody: Buffer, fileBody: Buffer, eol: string) =>
    new Uint8Array(
      Buffer.concat([
        Buffer.from(
          `${HEAD}Content-Type: multipart/mixed; boundary="${boundary}"${eol}${eol}--${boundary}${eol}` +
            `Content-Type: text/plain; charset=utf-8${eol}Content-Transfer-Encoding: base64${eol}${eol}`,
          'latin1',
        ),
        textBody,
        Buffer.from(
          `${eol}--${boundary}${eol}Content-Type: application/octet-stream; name="f.bin"${eol}` +
            `Content-Disposition: attachment; filename="f.bin"${eol}Content-Transfer-Encoding: base64${eol}${eol}`,
          'latin1',
        ),
        fileBody,
        Buffer.from(`${eol}--${boundary}--${eol}`, 'latin1'),
      ]),
    );

  /**
   * A base64 body as mailers really write it, and as they get it wrong: line lengths of any size,
   * padding inside the body (mailers that pad every line), stray spaces, punctuation and 8-bit
   * bytes, a lone last character.
   */
  const base64Body = fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(Buffer.from(b).toString('base64'), 'latin1')),
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(Buffer.from(b).toString('base64').replace(/=+$/, ''), 'latin1')),
        fc.constantFrom('=', '==', ' ', '\t', '!', '-', 'Q', 'QU', 'QUI').map((s) => Buffer.from(s, 'latin1')),
        fc.constantFrom([0xc3, 0xa9], [0xff], [0xef, 0xbb, 0xbf], [0x80]).map((b) => Buffer.from(b)),
      ),
      { maxLength: 30 },
    )
    .chain((pieces) =>
      fc.integer({ min: 1, max: 120 }).map((width) => {
        // Folded at `width` characters, never inside an 8-bit byte run (which would change nothing).
        const flat = Buffer.concat(pieces);
        const lines: Buffer[] = [];
        for (let i = 0; i < flat.length; i += width) lines.push(flat.subarray(i, i + width));
        return lines;
      }),
    );

  it('MAIL-2: base64 text and files decode to exactly the bytes postal-mime itself gives', async () => {
    await fc.assert(
      fc.asyncProperty(base64Body, base64Body, fc.constantFrom('\r\n', '\n'), async (text, file, eol) => {
        const raw = multipart(
          Buffer.concat(text.flatMap((l) => [l, Buffer.from(eol)])),
          Buffer.concat(file.flatMap((l) => [l, Buffer.from(eol)])),
          eol,
        );
        const ours = await parseMime(raw);
        const reference = await PostalMime.parse(raw);
        expect(ours.attachments.map((a) => [a.name, a.size, Buffer.from(a.content!).toString('hex')])).toEqual(
          reference.attachments.map((a) => [
            a.filename,
            (a.content as ArrayBuffer).byteLength,
            Buffer.from(a.content as ArrayBuffer).toString('hex'),
          ]),
        );
        // An empty text part is no text to postal-mime and '' to this adapter (it keeps parts as written).
        expect(ours.text ?? '').toBe(reference.text ?? '');
      }),
      { numRuns: depth(100, 300) },
    );
    // 300 messages (the long depth) take 3-4 s on a quiet core and more beside the other tiers' work.
  }, 30_000);

  it('MAIL-2: a 4 MB attachment is kept byte for byte', async () => {
    const bytes = randomBytes(4 * 1024 * 1024);
    const folded = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
    const m = await parseMime(multipart(Buffer.from('SGk='), Buffer.from(folded, 'latin1'), '\r\n'));
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0].size).toBe(bytes.length);
    expect(Buffer.from(m.attachments[0].content!).equals(bytes)).toBe(true);
    expect(m.text).toBe('Hi');
  });

  it('MAIL-2: a reply is parsed in slices, with other work let run between them', async () => {
    // One line per attachment row: with the shortest slice, every line is its own turn.
    const file = Buffer.from(randomBytes(3000).toString('base64').replace(/.{76}/g, '$&\r\n'), 'latin1');
    let turns = 0;
    let parsing = true;
    const tick = () => {
      turns++;
      if (parsing) setImmediate(tick);
    };
    setImmediate(tick);
    const slices = { count: 0 };
    await parseMime(multipart(Buffer.from('SGk='), file, '\r\n'), { sliceMs: 0, onYield: () => slices.count++ });
    parsing = false;
    const lines = file.toString('latin1').split('\r\n').length;
    expect(slices.count).toBeGreaterThanOrEqual(lines);
    // Other work ran while the message was parsed, not only after it.
    expect(turns).toBeGreaterThanOrEqual(lines / 2);
  });
});
