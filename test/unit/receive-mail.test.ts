/**
 * receive-mail: the SES receipt event -> envelope mapping and the bounded S3 read (the
 * AWS path). The domain's receiveInboundMail is replaced by a recorder here: what it decides
 * is tested on its own side; this proves what it is given.
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { build, stop as stopEsbuild } from 'esbuild';
import { inboundStore } from '../../lambdas/adapters/inbound-store';
import { MAX_INBOUND_BYTES, receiveInboundMail } from '../../lambdas/domain/mail/inbound-mail';
import { envelopeFromSes, handler } from '../../lambdas/mail/receive-mail';

// esbuild's service (a child process) would otherwise outlive this file in the jest worker.
afterAll(() => stopEsbuild());

jest.mock('../../lambdas/domain/mail/inbound-mail', () => ({
  ...jest.requireActual('../../lambdas/domain/mail/inbound-mail'),
  receiveInboundMail: jest.fn(async () => ({ outcome: 'rejected', reason: 'test' })),
}));
const received = receiveInboundMail as jest.MockedFunction<typeof receiveInboundMail>;

const s3 = mockClient(S3Client);

/**
 * The shape of the SES documentation's example Lambda-action event ("Contents of notifications
 * for Amazon SES email receiving"; @types/aws-lambda SESEvent), with this stack's recipient.
 * The X-SES-* headers say PASS where the receipt says FAIL: only the receipt counts.
 */
const sesEvent = (overrides: { receipt?: Record<string, unknown>; mail?: Record<string, unknown> } = {}): SESEvent =>
  ({
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: '2015-09-11T20:32:33.936Z',
            source: 'dana@acme.example',
            messageId: 'd6iitobk75ur44p8kdnnp7g2n800',
            destination: ['Case+Abc@Casework.Example.com'],
            headersTruncated: false,
            headers: [
              { name: 'X-SES-Spam-Verdict', value: 'PASS' },
              { name: 'X-SES-Virus-Verdict', value: 'PASS' },
            ],
            commonHeaders: { returnPath: 'dana@acme.example', from: ['dana@acme.example'], date: '', messageId: '<x@y>' },
            ...overrides.mail,
          },
          receipt: {
            timestamp: '2015-09-11T20:32:33.936Z',
            processingTimeMillis: 222,
            recipients: ['Case+Abc@Casework.Example.com'],
            spamVerdict: { status: 'FAIL' },
            virusVerdict: { status: 'PASS' },
            spfVerdict: { status: 'GRAY' },
            dkimVerdict: { status: 'PASS' },
            dmarcVerdict: { status: 'PROCESSING_FAILED' },
            dmarcPolicy: 'reject',
            action: { type: 'Lambda', functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rm', invocationType: 'Event' },
            ...overrides.receipt,
          },
        },
      },
    ],
  }) as SESEvent;

/** A body that records whether anyone pulled bytes from it. */
const trackedBody = (bytes: number) => {
  const state = { pulled: 0, destroyed: false };
  const chunk = Buffer.alloc(Math.min(bytes, 64 * 1024), 'a');
  let left = bytes;
  const body = new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, chunk.length);
      left -= n;
      state.pulled += n;
      this.push(chunk.subarray(0, n));
    },
  });
  body.on('close', () => (state.destroyed = true));
  return { body, state };
};

beforeEach(() => {
  s3.reset();
  received.mockClear();
  process.env.INBOUND_BUCKET = 'raw-mail';
  process.env.INBOUND_PREFIX = 'inbound/';
});

describe('SES event -> envelope', () => {
  it('MAIL-5: the transport id is the SES messageId, and the raw message is at prefix + messageId (MAIL-2)', () => {
    const env = envelopeFromSes(sesEvent().Records[0]!, 'inbound/');
    expect(env.transportId).toBe('d6iitobk75ur44p8kdnnp7g2n800');
    expect(env.rawKey).toBe('inbound/d6iitobk75ur44p8kdnnp7g2n800');
    expect(env.receivedAt).toBe('2015-09-11T20:32:33.936Z');
  });

  it('MAIL-4: recipients are the receipt recipients (envelope RCPT TO), lower-cased', () => {
    const env = envelopeFromSes(sesEvent({ mail: { destination: ['other@elsewhere.example'] } }).Records[0]!, '');
    expect(env.recipients).toEqual(['case+abc@casework.example.com']);
  });

  it("MAIL-4: verdicts come from the receipt, never from the message's X-SES-* headers", () => {
    const env = envelopeFromSes(sesEvent().Records[0]!, '');
    expect(env.verdicts).toEqual({ spam: 'FAIL', virus: 'PASS', spf: 'GRAY', dkim: 'PASS', dmarc: 'PROCESSING_FAILED' });
  });

  it('MAIL-4: a verdict SES did not give counts as failed, not as passed', () => {
    const env = envelopeFromSes(sesEvent({ receipt: { spamVerdict: undefined, dkimVerdict: {} } }).Records[0]!, '');
    expect(env.verdicts.spam).toBe('PROCESSING_FAILED');
    expect(env.verdicts.dkim).toBe('PROCESSING_FAILED');
    expect(env.verdicts.virus).toBe('PASS');
  });

  it("MAIL-4: the envelope sender is the SES event's mail.source; a missing one reads as the null sender", () => {
    expect(envelopeFromSes(sesEvent().Records[0]!, '').mailFrom).toBe('dana@acme.example');
    expect(envelopeFromSes(sesEvent({ mail: { source: undefined } }).Records[0]!, '').mailFrom).toBe('');
  });

  it('refuses an event that is not an SES receipt, or a messageId that could name another key', () => {
    expect(() => envelopeFromSes({} as never, '')).toThrow(/not an SES receipt event/i);
    expect(() => envelopeFromSes(sesEvent({ mail: { messageId: '../other/key' } }).Records[0]!, '')).toThrow(/unexpected form/);
  });
});

describe('bounded S3 read', () => {
  it('MAIL-2: reads the whole message when it is within the limit', async () => {
    s3.on(GetObjectCommand, { Bucket: 'raw-mail', Key: 'inbound/m1' }).resolves({
      Body: Readable.from([Buffer.from('Subject: hi\r\n\r\nbody')]) as never,
      ContentLength: 19,
    });
    const out = await inboundStore(new S3Client({}), 'raw-mail').read('inbound/m1', 1000);
    expect(out.size).toBe(19);
    expect(Buffer.from(out.raw!).toString()).toBe('Subject: hi\r\n\r\nbody');
  });

  it('a message over the limit by Content-Length is not read at all, only its size reported', async () => {
    const { body, state } = trackedBody(2_000_000);
    s3.on(GetObjectCommand).resolves({ Body: body as never, ContentLength: 2_000_000 });
    const out = await inboundStore(new S3Client({}), 'raw-mail').read('inbound/big', 1_000_000);
    expect(out).toEqual({ size: 2_000_000 });
    expect(state.pulled).toBeLessThan(1_000_000);
    await new Promise((r) => setImmediate(r));
    expect(state.destroyed).toBe(true);
  });

  it('without a Content-Length, reading stops at the limit instead of buffering the rest', async () => {
    const { body, state } = trackedBody(5_000_000);
    s3.on(GetObjectCommand).resolves({ Body: body as never });
    const out = await inboundStore(new S3Client({}), 'raw-mail').read('inbound/big', 1_000_000);
    expect(out.raw).toBeUndefined();
    expect(out.size).toBeGreaterThan(1_000_000);
    expect(state.pulled).toBeLessThan(5_000_000);
  });
});

describe('handler', () => {
  it('MAIL-2: reads s3://INBOUND_BUCKET/INBOUND_PREFIX<messageId> and gives the domain the envelope and the bytes', async () => {
    const raw = Buffer.from('From: dana@acme.example\r\nSubject: Re: [Case 00001001]\r\n\r\nThanks');
    s3.on(GetObjectCommand, { Bucket: 'raw-mail', Key: 'inbound/d6iitobk75ur44p8kdnnp7g2n800' }).resolves({
      Body: Readable.from([raw]) as never,
      ContentLength: raw.length,
    });
    const outcomes = await handler(sesEvent());
    expect(outcomes).toEqual([{ outcome: 'rejected', reason: 'test' }]);
    expect(received).toHaveBeenCalledTimes(1);
    const [, envelope, bytes] = received.mock.calls[0]!;
    expect(envelope).toEqual({
      transportId: 'd6iitobk75ur44p8kdnnp7g2n800',
      rawKey: 'inbound/d6iitobk75ur44p8kdnnp7g2n800',
      receivedAt: '2015-09-11T20:32:33.936Z',
      recipients: ['case+abc@casework.example.com'],
      mailFrom: 'dana@acme.example',
      verdicts: { spam: 'FAIL', virus: 'PASS', spf: 'GRAY', dkim: 'PASS', dmarc: 'PROCESSING_FAILED' },
      size: raw.length,
    });
    expect(Buffer.from(bytes).equals(raw)).toBe(true);
  });

  it('over 40 MB the domain gets the size and an empty body (to record rejected: too-large)', async () => {
    const { body, state } = trackedBody(MAX_INBOUND_BYTES + 1);
    s3.on(GetObjectCommand).resolves({ Body: body as never, ContentLength: MAX_INBOUND_BYTES + 1 });
    await handler(sesEvent());
    const [, envelope, bytes] = received.mock.calls[0]!;
    expect(envelope.size).toBe(MAX_INBOUND_BYTES + 1);
    expect(bytes.byteLength).toBe(0);
    expect(state.pulled).toBeLessThan(MAX_INBOUND_BYTES);
  });

  it('MAIL-4: an S3 failure is thrown (Lambda retries, then the dead-letter queue), never recorded as an outcome', async () => {
    s3.on(GetObjectCommand).rejects(new Error('Service unavailable'));
    await expect(handler(sesEvent())).rejects.toThrow('Service unavailable');
    expect(received).not.toHaveBeenCalled();
  });

  it('its bundle carries no route table, middleware, route schemas or OpenAPI code', async () => {
    const inputsOf = async (module: string): Promise<string[]> => {
      const out = await build({
        entryPoints: [join(__dirname, '../../lambdas', `${module}.ts`)],
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        target: 'node24',
        logLevel: 'silent',
      });
      return Object.keys(out.metafile.inputs);
    };
    const forbidden = (inputs: string[]) =>
      inputs.filter((p) => /lambdas\/http\/|lambdas\/schemas\/|zod-to-openapi|@middy\/|node_modules\/zod\//.test(p));
    // The check sees the HTTP layer where it is: an HTTP handler's bundle has it.
    expect(forbidden(await inputsOf('http/list-inbound-mail'))).toEqual(
      // Its own route's declaration, not the table (one declaration per handler).
      expect.arrayContaining(['lambdas/http/routes/list-inbound-mail.ts', 'lambdas/http/middleware.ts']),
    );
    expect(forbidden(await inputsOf('mail/receive-mail'))).toEqual([]);
  });
});
