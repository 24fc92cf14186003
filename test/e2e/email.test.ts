/**
 * Email end to end in local mode: a staff update sends case mail through SES (seen in
 * aws-ses-v2-local's store), the contact replies over SMTP to the local inbound server, and the
 * case shows the email update and is back to `open`; staff see the outcome of every inbound
 * message, customers do not.
 */
import nodemailer from 'nodemailer';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

interface StoredMail {
  messageId: string;
  from: string;
  replyTo: string[];
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal({ seed: true });
});
afterAll(async () => {
  await local?.stop();
});

const api = async (email: string, path: string, init: { method?: string; body?: unknown } = {}) => {
  const res = await fetch(`${local.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${local.token(email)}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> };
};

const smtpPort = () => Number(new URL(local.urls.smtp).port);

describe('email, end to end in local mode', () => {
  let caseNumber: string;
  let sent: StoredMail;

  it('MAIL-1: a staff public update sends mail to the contact, with a Reply-To token and the Reference ID', async () => {
    // Dana's case that support is waiting on (demo data): the reply must move it back to open.
    const list = await api('dana@acme.example', '/cases?status=awaiting_info');
    expect(list.status).toBe(200);
    const waiting = (list.body.items as { caseNumber: string; subject: string; referenceId: string }[]).find(
      (c) => c.subject === 'IVR prompts play in the wrong language',
    )!;
    expect(waiting).toBeDefined();
    caseNumber = waiting.caseNumber;

    const update = await api('alice@vendor.example', `/cases/${caseNumber}/updates`, {
      method: 'POST',
      body: { body: 'Could you send us the IVR flow export?', visibility: 'public' },
    });
    expect(update.status).toBe(201);

    await local.mailSettled(); // case mail leaves through the stream and the mail queue
    const store = (await (await fetch(local.urls.sesStore)).json()) as { emails: StoredMail[] };
    // The sweep may also have reminded Dana about this waiting case: pick the update's own mail.
    const mails = store.emails.filter(
      (m) => m.subject.includes(`[Case ${caseNumber}]`) && m.body.text?.includes('Could you send us the IVR flow export?'),
    );
    expect(mails).toHaveLength(1);
    sent = mails[0]!;
    expect(sent.destination.to.join(' ')).toContain('dana@acme.example');
    expect(sent.from).toContain('support@casework.test');
    expect(sent.subject).toContain(`[ref:${waiting.referenceId}]`);
    expect(sent.body.text).toContain(`[ref:${waiting.referenceId}]`);
    expect(sent.replyTo.join(' ')).toMatch(/case\+[a-z0-9-]+@casework\.test/);
  });

  it('MAIL-2, CASE-4: the contact replies over SMTP; the case shows the email update and is open again', async () => {
    const replyTo = /case\+[a-z0-9-]+@casework\.test/.exec(sent.replyTo.join(' '))![0];
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort(), secure: false, ignoreTLS: true });
    const info = await transport.sendMail({
      envelope: { from: 'dana@acme.example', to: [replyTo] },
      from: 'Dana <dana@acme.example>',
      to: replyTo,
      subject: `Re: ${sent.subject}`,
      inReplyTo: `<${sent.messageId}@email.amazonses.com>`,
      references: [`<${sent.messageId}@email.amazonses.com>`],
      text: `Here is the export, attached.\n\nOn Monday, Casework Support wrote:\n> ${sent.body.text?.split('\n')[0] ?? ''}\n`,
      attachments: [{ filename: 'ivr-flow.json', content: '{"flow":"main"}', contentType: 'application/json' }],
    });
    // The server answers after receive-mail recorded the outcome: the case is updated by now.
    expect(info.response).toMatch(/^250/);

    const kase = await api('dana@acme.example', `/cases/${caseNumber}`);
    expect(kase.status).toBe(200);
    expect(kase.body.status).toBe('open');
    expect(kase.body.needsAction).toBe(false);

    const updates = await api('dana@acme.example', `/cases/${caseNumber}/updates`);
    const email = (updates.body.items as { updateId: string; channel: string; subject?: string }[]).filter(
      (u) => u.channel === 'email',
    );
    expect(email).toHaveLength(1);
    expect(email[0]!.subject).toContain(`[Case ${caseNumber}]`);
    const full = await api('dana@acme.example', `/cases/${caseNumber}/updates/${email[0]!.updateId}`);
    expect(JSON.stringify(full.body)).toContain('Here is the export, attached.');
    // MAIL-2: the new text without the quoted history; the full text is kept beside it.
    expect(full.body.body).not.toContain('Casework Support wrote');
    expect(full.body.fullText).toContain('Casework Support wrote');
    expect(JSON.stringify(full.body)).toContain('ivr-flow.json');
  });

  it("MAIL-2: the reply's attachment is kept and downloads through the case's attachments", async () => {
    const listed = await api('rita@acme.example', `/cases/${caseNumber}/attachments`);
    expect(listed.status).toBe(200);
    const files = listed.body.items as {
      attachmentId: string;
      fileName: string;
      source: string;
      status: string;
      updateId: string;
    }[];
    expect(files).toEqual([
      expect.objectContaining({
        fileName: 'ivr-flow.json',
        source: 'email',
        status: 'available',
        contentType: 'application/json',
      }),
    ]);
    // The update lists the file by the same id.
    const update = await api('rita@acme.example', `/cases/${caseNumber}/updates/${files[0]!.updateId}`);
    expect(update.body.attachments).toEqual([expect.objectContaining({ attachmentId: files[0]!.attachmentId })]);
    const got = await api('rita@acme.example', `/cases/${caseNumber}/attachments/${files[0]!.attachmentId}`);
    expect(got.status).toBe(200);
    const file = await fetch(got.body.downloadUrl as string);
    expect(await file.text()).toBe('{"flow":"main"}');
  });

  it('MAIL-4, MAIL-5: staff see every inbound message with its outcome; the same message again is a duplicate', async () => {
    const replyTo = /case\+[a-z0-9-]+@casework\.test/.exec(sent.replyTo.join(' '))![0];
    const raw =
      `From: dana@acme.example\r\nTo: ${replyTo}\r\nSubject: Re: ${sent.subject}\r\n` +
      `Message-ID: <again@acme.example>\r\nDate: Mon, 1 Jun 2026 10:00:00 +0000\r\n\r\nOne more thing.\r\n`;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort(), secure: false, ignoreTLS: true });
    // The same bytes again are the same message redelivered (one transport id, one outcome); the
    // same mail relayed once more (a new Received line, so a new transport id) is a duplicate.
    await transport.sendMail({ envelope: { from: 'dana@acme.example', to: [replyTo] }, raw });
    await transport.sendMail({ envelope: { from: 'dana@acme.example', to: [replyTo] }, raw });
    const relayed = `Received: from relay.acme.example by mx.casework.test; Mon, 1 Jun 2026 10:00:05 +0000\r\n${raw}`;
    await transport.sendMail({ envelope: { from: 'dana@acme.example', to: [replyTo] }, raw: relayed });

    const list = await api('alice@vendor.example', '/admin/inbound-mail?limit=10');
    expect(list.status).toBe(200);
    const items = list.body.items as { outcome: string; caseNumber?: string }[];
    expect(items.filter((i) => i.outcome === 'attached' && i.caseNumber === caseNumber)).toHaveLength(2);
    expect(items.filter((i) => i.outcome === 'duplicate')).toHaveLength(1);
    expect(list.body).toHaveProperty('nextCursor');

    const updates = await api('alice@vendor.example', `/cases/${caseNumber}/updates`);
    expect((updates.body.items as { channel: string }[]).filter((u) => u.channel === 'email')).toHaveLength(2);
  });

  it('MAIL-4: the inbound-mail list is for staff only', async () => {
    expect((await api('dana@acme.example', '/admin/inbound-mail')).status).toBe(403);
  });
});
