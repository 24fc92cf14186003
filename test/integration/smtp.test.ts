/**
 * The local inbound path: SMTP on loopback -> raw bytes in the S3
 * emulator (fauxqs) -> an SES-shaped receipt event to the handler. The handler is injected: this
 * proves the transport; test/e2e/email.test.ts proves the whole flow with the real one.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import nodemailer from 'nodemailer';
import { inboundStore } from '../../lambdas/adapters/inbound-store';
import { startFauxqs } from '../../local/fauxqs';
import { startSmtp, type SmtpServer } from '../../local/smtp';

const BUCKET = 'casework-inbound-it';
let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let smtp: SmtpServer;
let s3: S3Client;
const events: SESEvent[] = [];
let handlerFails = false;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, buckets: [BUCKET] });
  s3 = new S3Client({ endpoint: fauxqs.endpoint, forcePathStyle: true });
  smtp = await startSmtp({
    port: 0,
    mailDomain: 'casework.test',
    prefix: 'inbound/',
    store: () => inboundStore(s3, BUCKET),
    handler: async (event) => {
      if (handlerFails) throw new Error('table unavailable');
      events.push(event);
      return { outcome: 'rejected', reason: 'test' };
    },
    maxBytes: 1024 * 1024,
  });
});

afterAll(async () => {
  await smtp?.close();
  s3?.destroy();
  await fauxqs?.stop();
});

beforeEach(() => {
  events.length = 0;
  handlerFails = false;
});

const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });

describe('local SMTP -> fauxqs S3 -> SES-shaped event', () => {
  it('MAIL-2: stores the raw message under prefix + sha256 and calls the handler with an SES receipt event', async () => {
    const info = await transport().sendMail({
      envelope: { from: 'dana@acme.example', to: ['Case+tok123@Casework.test'] },
      from: 'Dana <dana@acme.example>',
      to: 'case+tok123@casework.test',
      subject: 'Re: [Case 00001001] Printer on fire',
      text: 'It is still on fire.',
      attachments: [{ filename: 'log.txt', content: 'line 1' }],
    });
    expect(info.response).toMatch(/^250/);
    expect(events).toHaveLength(1);
    const record = events[0]!.Records[0]!;
    const { mail, receipt } = record.ses;
    expect(record.eventSource).toBe('aws:ses');
    expect(receipt.recipients).toEqual(['case+tok123@casework.test']);
    expect(mail.source).toBe('dana@acme.example');
    expect(receipt.action).toMatchObject({ type: 'Lambda', invocationType: 'Event' });
    // Locally every verdict is PASS (README): nothing here can check them.
    for (const v of [receipt.spamVerdict, receipt.virusVerdict, receipt.spfVerdict, receipt.dkimVerdict, receipt.dmarcVerdict]) {
      expect(v.status).toBe('PASS');
    }
    expect(new Date(mail.timestamp).toISOString()).toBe(mail.timestamp);

    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `inbound/${mail.messageId}` }));
    const bytes = Buffer.from(await stored.Body!.transformToByteArray());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(mail.messageId);
    const text = bytes.toString();
    expect(text).toContain('Subject: Re: [Case 00001001] Printer on fire');
    expect(text).toContain('filename=log.txt');
  });

  it('MAIL-5: the same bytes twice give the same transport id', async () => {
    const raw =
      'From: dana@acme.example\r\nTo: case+x@casework.test\r\nSubject: same\r\nMessage-ID: <same@acme.example>\r\n\r\nbody\r\n';
    const send = () => transport().sendMail({ envelope: { from: 'dana@acme.example', to: ['case+x@casework.test'] }, raw });
    await send();
    await send();
    expect(events).toHaveLength(2);
    expect(events[0]!.Records[0]!.ses.mail.messageId).toBe(events[1]!.Records[0]!.ses.mail.messageId);
  });

  it('MAIL-3: mail for another domain is refused at RCPT TO and never stored', async () => {
    await expect(
      transport().sendMail({
        envelope: { from: 'x@spam.example', to: ['victim@elsewhere.example'] },
        raw: 'Subject: relay\r\n\r\nx',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    expect(events).toHaveLength(0);
  });

  it('a message over the size limit is refused with 552 and never stored', async () => {
    const big = 'x'.repeat(1024 * 1024 + 10);
    await expect(
      transport().sendMail({
        envelope: { from: 'dana@acme.example', to: ['case+x@casework.test'] },
        raw: `Subject: big\r\n\r\n${big}`,
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
    expect(events).toHaveLength(0);
  });

  it('MAIL-4: when the handler fails the client gets a 4xx, so it retries instead of the mail being lost', async () => {
    handlerFails = true;
    await expect(
      transport().sendMail({
        envelope: { from: 'dana@acme.example', to: ['case+x@casework.test'] },
        raw: 'Subject: retry\r\n\r\nx',
      }),
    ).rejects.toMatchObject({ responseCode: 451 });
  });
});
