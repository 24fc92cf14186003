import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutboundMail, Mailer } from '../domain/mail/ports';

/** Builds the raw MIME message: Reply-To, References and the MAIL-1 headers survive as set. */
export const rawMessage = (mail: OutboundMail): Promise<Buffer> =>
  new MailComposer({
    from: mail.from,
    to: mail.to,
    replyTo: mail.replyTo,
    subject: mail.subject,
    text: mail.text,
    ...(mail.references ? { references: mail.references } : {}),
    headers: mail.headers,
  })
    .compile()
    .build();

/**
 * Sends through SES as a raw MIME message and resolves to SES's MessageId (SES replaces any
 * Message-ID we set; the domain records this one against the case). Locally
 * AWS_ENDPOINT_URL_SES points the same client at aws-ses-v2-local, which returns its own id.
 */
/**
 * SES answers within these bounds or the send fails and is retried later from the
 * queue; they stay well under the consumer's timeout, so one stalled SES never holds a batch
 * until the function is killed.
 */
export const SES_TIMEOUTS = { connectionTimeout: 3_000, requestTimeout: 10_000 } as const;

export const sesMailer = (client = new SESClient({ requestHandler: SES_TIMEOUTS, maxAttempts: 2 })): Mailer => ({
  send: async (mail: OutboundMail) => {
    const res = await client.send(new SendRawEmailCommand({ RawMessage: { Data: await rawMessage(mail) } }));
    return res.MessageId;
  },
});
