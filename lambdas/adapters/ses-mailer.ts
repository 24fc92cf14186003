import { SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutboundMail } from '../domain/mail';
import type { Mailer } from '../domain/ports';

/**
 * Sends through SES as a raw MIME message so Reply-To and References survive. Locally
 * AWS_ENDPOINT_URL_SES points the same client at aws-ses-v2-local.
 */
export const sesMailer = (client = new SESClient({})): Mailer => ({
  send: async (mail: OutboundMail) => {
    const raw = await new MailComposer({
      from: mail.from,
      to: mail.to,
      replyTo: mail.replyTo,
      subject: mail.subject,
      text: mail.text,
      references: mail.references,
    })
      .compile()
      .build();
    await client.send(new SendRawEmailCommand({ RawMessage: { Data: raw } }));
  },
});
