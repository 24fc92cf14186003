/**
 * Issue 20 (MAIL-2): the MIME adapter's fallbacks, one by one. The corpus test runs them on whole
 * messages; these name each rule and its edge.
 */
import { decodeFlowed, parseMime } from '../../lambdas/adapters/mime';

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
