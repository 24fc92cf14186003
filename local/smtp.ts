/**
 * The local stand-in for SES inbound (MAIL-2..5): an SMTP server on 127.0.0.1 that takes mail
 * for @<MAIL_DOMAIN> only, stores the raw message in the S3 emulator under the same prefix SES
 * uses, and calls receive-mail's handler with an SES-shaped receipt event.
 *
 * Differences from SES, on purpose: the transport id (SES's messageId) is the sha256 of the raw
 * bytes, so redelivering the same bytes is a duplicate as in AWS; and every verdict (spam,
 * virus, SPF, DKIM, DMARC) is PASS, since nothing here can check them. The reply to the client
 * comes after the handler has recorded the outcome, so a test can read the result right after
 * sending; a failure to store or to record is a 451 and the client retries.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { SESEvent } from 'aws-lambda';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { InboundStore } from '../lambdas/adapters/inbound-store';
import { MAX_INBOUND_BYTES } from '../lambdas/domain/mail/inbound-mail';

const HOST = '127.0.0.1';

export type SesHandler = (event: SESEvent) => Promise<unknown>;

export interface SmtpOptions {
  /** 0 picks a free port. */
  port: number;
  mailDomain: string;
  /** Where the raw message goes; in local mode the S3 emulator behind INBOUND_BUCKET. */
  store: () => InboundStore;
  /** INBOUND_PREFIX: the raw message is stored at prefix + transport id, as SES does. */
  prefix: string;
  /** receive-mail's handler in local mode; tests inject their own. */
  handler: SesHandler;
  log?: (message: string) => void;
  /** @default MAX_INBOUND_BYTES (SES's 40 MB), advertised with SIZE */
  maxBytes?: number;
}

export interface SmtpServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** What SES would deliver to a Lambda action for this message, as far as local mode knows it. */
export const sesEvent = (m: { messageId: string; at: Date; mailFrom: string; recipients: string[] }): SESEvent => {
  const verdict = { status: 'PASS' as const };
  const timestamp = m.at.toISOString();
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp,
            source: m.mailFrom,
            messageId: m.messageId,
            destination: m.recipients,
            // The handler reads headers from the raw message, never from the event.
            headersTruncated: false,
            headers: [],
            commonHeaders: { returnPath: m.mailFrom, date: timestamp, messageId: '' },
          },
          receipt: {
            timestamp,
            processingTimeMillis: 0,
            recipients: m.recipients,
            spamVerdict: verdict,
            virusVerdict: verdict,
            spfVerdict: verdict,
            dkimVerdict: verdict,
            dmarcVerdict: verdict,
            dmarcPolicy: 'none',
            action: {
              type: 'Lambda',
              functionArn: 'arn:aws:lambda:local:000000000000:function:receive-mail',
              invocationType: 'Event',
            },
          },
        },
      },
    ],
  };
};

const smtpError = (code: number, message: string): Error => Object.assign(new Error(message), { responseCode: code });

const readBounded = (stream: SMTPServerDataStream): Promise<Buffer | undefined> =>
  new Promise((resolveRead, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      // smtp-server keeps counting past the limit (sizeExceeded) but we stop keeping bytes.
      if (!stream.sizeExceeded) chunks.push(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolveRead(stream.sizeExceeded ? undefined : Buffer.concat(chunks)));
  });

export const startSmtp = async (opts: SmtpOptions): Promise<SmtpServer> => {
  const log = opts.log ?? (() => {});
  const domain = opts.mailDomain.toLowerCase();
  const maxBytes = opts.maxBytes ?? MAX_INBOUND_BYTES;

  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) => {
    void (async () => {
      const raw = await readBounded(stream);
      if (!raw) return callback(smtpError(552, `Message exceeds the ${maxBytes} byte limit`));
      const messageId = createHash('sha256').update(raw).digest('hex');
      const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      try {
        await opts.store().put(`${opts.prefix}${messageId}`, new Uint8Array(raw));
      } catch (err) {
        log(`smtp: could not store ${messageId}: ${String(err)}`);
        return callback(smtpError(451, 'Could not store the message, try again later'));
      }
      try {
        const result = await opts.handler(sesEvent({ messageId, at: new Date(), mailFrom, recipients }));
        log(`smtp: ${messageId.slice(0, 12)} from ${mailFrom || '<>'}: ${JSON.stringify(result)}`);
      } catch (err) {
        // In AWS the async invocation would be retried and then dead-lettered; here the client retries.
        log(`smtp: receive-mail failed for ${messageId}: ${String(err)}`);
        return callback(smtpError(451, 'Could not process the message, try again later'));
      }
      callback();
    })().catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
  };

  const server = new SMTPServer({
    name: `mx.${domain}`,
    banner: 'Casework local inbound mail (SES stand-in)',
    size: maxBytes,
    authOptional: true,
    // Loopback only, as SES's own MX would be: no AUTH, no TLS to configure.
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo: (address: SMTPServerAddress, _session, callback) => {
      const at = address.address.lastIndexOf('@');
      const rcptDomain = address.address.slice(at + 1).toLowerCase();
      if (at < 1 || rcptDomain !== domain) return callback(smtpError(550, `Relay denied: only @${domain} is accepted here`));
      callback();
    },
    onData,
  });
  server.on('error', (err) => log(`smtp: ${String(err)}`));

  await new Promise<void>((resolveListen, reject) => {
    const onError = (err: Error) => reject(new Error(`SMTP server could not listen on ${HOST}:${opts.port}: ${err.message}`));
    server.server.once('error', onError);
    server.listen(opts.port, HOST, () => {
      server.server.removeListener('error', onError);
      resolveListen();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `smtp://${HOST}:${port}`,
    close: () => (closing ??= new Promise<void>((r) => server.close(() => r()))),
  };
};
