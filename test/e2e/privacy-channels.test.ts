/**
 * PRIV-1, PRIV-2 and ACC-6 asserted on what each channel delivered, not on HTTP bodies:
 * the local push log (mobile push), the inbox as the phone and the web read it, the SES store
 * (mail), in local mode with every function in its worker. The personas: customers
 * on the mobile app, a contact demoted to basic, an approver deciding her own request.
 *
 * Expectations, from PRODUCT.md:
 * - PRIV-2: FedRAMP organisations and their cases are not served to the mobile app: no push about
 *   an Initech case reaches a phone, and the inbox read from the phone leaves it out (the web
 *   shows it: the control).
 * - ACC-2: basic is "no case access at all": after dave is demoted to basic, a staff public update
 *   on his case mails him nothing (before, the same update mailed him: the control).
 * - ACC-6: approvers decide others' requests; an approver who asks for herself is not the one to
 *   decide: no "approved" mail, no grant.
 * - PRIV-1: EU staff writing about an EU customer: the inbound log row shown to staff working from
 *   the US carries neither the subject nor the address (EU staff see both: the control).
 * - PRIV-2, staff on the phone: the inbound log read from the mobile app leaves out a FedRAMP
 *   customer's mail (on the web it is there: the control).
 */
import nodemailer from 'nodemailer';
import type { LocalPush } from '../../local/push';
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  local = await startTestLocal({ sweepEveryMs: 0 });
});
afterAll(async () => {
  await local?.stop();
});

interface StoredMail {
  destination: { to: string[] };
  subject: string;
  body: { text?: string };
}

const api = async (email: string | undefined, method: string, path: string, body?: unknown, client: 'web' | 'mobile' = 'web') => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      ...(email ? { authorization: `Bearer ${local.token(email, client)}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

const pushes = async () => ((await (await fetch(local.urls.push)).json()) as { pushes: LocalPush[] }).pushes;
const mails = async (): Promise<StoredMail[]> => {
  await local.mailSettled();
  return ((await (await fetch(local.urls.sesStore)).json()) as { emails: StoredMail[] }).emails;
};
const mailsTo = async (address: string) => (await mails()).filter((m) => m.destination.to.includes(address));

/** An open case of `orgId` at `severity`, as EU staff (who see every organisation) list it. */
const caseOf = async (orgId: string, severity: string): Promise<string> => {
  const items = (await api('eric@vendor.example', 'GET', `/cases?orgId=${orgId}&severity=${severity}`)).body.items as {
    caseNumber: string;
  }[];
  expect(items.length).toBeGreaterThan(0);
  return items[0].caseNumber;
};

describe('PRIV-2 on the channels', () => {
  it('PRIV-2: no push about a FedRAMP case reaches a phone, and the phone’s inbox leaves it out (web and Acme: the controls)', async () => {
    // fred (Initech, FedRAMP) and dana (Acme) both ask for new critical cases and register a phone.
    expect((await api('fred@initech.example', 'PUT', '/accounts/ORG-INITECH/subscription', { newCritical: true })).status).toBe(
      200,
    );
    expect((await api('dana@acme.example', 'PUT', '/accounts/ORG-ACME/subscription', { newCritical: true })).status).toBe(200);
    const phone = (email: string, token: string) => api(email, 'POST', '/devices', { platform: 'fcm', token }, 'mobile');
    expect((await phone('fred@initech.example', 'fred-phone')).status).toBe(201);
    expect((await phone('dana@acme.example', 'dana-phone')).status).toBe(201);

    const initech = await caseOf('ORG-INITECH', 'high');
    const acme = await caseOf('ORG-ACME', 'high');
    await local.notifier.drain();
    for (const n of [initech, acme]) {
      const raised = await api('eric@vendor.example', 'PATCH', `/cases/${n}`, {
        severity: 'critical',
        contactPhone: '+1 555 0100',
      });
      expect(raised.status).toBe(200);
    }
    await local.notifier.drain();

    const log = await pushes();
    expect(log.filter((p) => p.data.caseNumber === initech)).toEqual([]);
    expect(log.filter((p) => p.token === 'fred-phone')).toEqual([]);
    expect(log.filter((p) => p.token === 'dana-phone' && p.data.caseNumber === acme)).toHaveLength(1);

    const inbox = async (client: 'web' | 'mobile') =>
      (
        (await api('fred@initech.example', 'GET', '/notifications', undefined, client)).body.items as { caseNumber?: string }[]
      ).map((i) => i.caseNumber);
    expect(await inbox('mobile')).not.toContain(initech);
    expect(await inbox('web')).toContain(initech);
  });
});

describe('ACC-2 on the channels: a contact who lost access', () => {
  it('ACC-2: after dave is demoted to basic, a staff public update on his case mails him nothing', async () => {
    const opened = await api('dave@acme.example', 'POST', '/cases', {
      kind: 'support',
      subject: 'Queue stats missing',
      description: 'Dashboard shows nothing since Monday',
      severity: 'medium',
      orgId: 'ORG-ACME',
      productLine: 'Genesys Cloud CX',
    });
    expect(opened.status).toBe(201);
    const n = String(opened.body.caseNumber);
    const update = async (text: string) =>
      expect((await api('alice@vendor.example', 'POST', `/cases/${n}/updates`, { body: text })).status).toBe(201);
    const mailed = async (text: string) => (await mailsTo('dave@acme.example')).filter((m) => m.body.text?.includes(text));

    await update('First answer: please restart the collector.');
    expect(await mailed('First answer')).toHaveLength(1);

    expect((await api('adam@vendor.example', 'PUT', '/admin/orgs/ORG-ACME/members/u-dave', { level: 'basic' })).status).toBe(200);
    await update('Second answer: the fix is deployed.');
    expect(await mailed('Second answer')).toEqual([]);
  });
});

describe('ACC-6 on the channels: an approver asking for herself', () => {
  it('ACC-6: dana, demoted to basic but still Acme’s approver, cannot approve her own request: no grant, no approval mail', async () => {
    expect((await api('adam@vendor.example', 'PUT', '/admin/orgs/ORG-ACME/members/u-dana', { level: 'basic' })).status).toBe(200);
    const made = await api(undefined, 'POST', '/access-requests', {
      email: 'dana@acme.example',
      name: 'Dana',
      level: 'designated',
      combinations: [{ orgId: 'ORG-ACME' }],
    });
    expect(made.status).toBe(201);
    const id = String(made.body.requestId);
    const codeMail = (await mailsTo('dana@acme.example')).find((m) => m.body.text?.includes(id));
    const code = /Your code is (\d{6})/.exec(codeMail?.body.text ?? '')![1];
    expect((await api(undefined, 'POST', `/access-requests/${id}/confirm`, { code })).status).toBe(200);

    const decided = await api('dana@acme.example', 'POST', `/access-requests/${id}/decision`, { approve: true });
    expect(decided.status).toBe(403);
    const approvals = (await mailsTo('dana@acme.example')).filter((m) => m.subject.includes('was approved'));
    expect(approvals).toEqual([]);
    const me = await api('dana@acme.example', 'GET', '/me');
    expect((me.body.memberships as { orgId: string; level: string }[]).find((m) => m.orgId === 'ORG-ACME')?.level).toBe('basic');
  });
});

/** A message to support@ with no Reference ID, through the local SMTP server (SES receipt locally). */
const inbound = async (from: string, subject: string, text: string) => {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: Number(new URL(local.urls.smtp).port),
    secure: false,
    ignoreTLS: true,
  });
  await transport.sendMail({ from, to: 'support@casework.test', subject, text });
  await local.mailSettled();
};
type Row = Record<string, unknown> & { transportId: string };
const inboundLog = async (email: string, client: 'web' | 'mobile' = 'web'): Promise<Row[]> => {
  const res = await api(email, 'GET', '/admin/inbound-mail?limit=100', undefined, client);
  expect(res.status).toBe(200);
  return res.body.items as Row[];
};
/** The row whose subject (as EU staff on the web see it, in full) carries `marker`. */
const rowOf = async (marker: string): Promise<Row> => {
  for (let i = 0; i < 50; i++) {
    const row = (await inboundLog('eric@vendor.example')).find((r) => JSON.stringify(r).includes(marker));
    if (row) return row;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no inbound row with ${marker}`);
};

describe('the inbound log as a channel to staff', () => {
  it('PRIV-1: EU staff writing about an EU customer: US staff see the row without its subject or address; EU staff see both', async () => {
    const marker = 'Klaus-Richter-Globex-payroll';
    await inbound('eric@vendor.example', `Re: ${marker}`, 'Greta asked us to call Klaus back about the payroll queue.');
    const row = await rowOf(marker);
    expect(JSON.stringify(row)).toContain('eric@vendor.example');
    const asUs = (await inboundLog('alice@vendor.example')).find((r) => r.transportId === row.transportId);
    expect(asUs).toBeDefined();
    expect(JSON.stringify(asUs)).not.toContain(marker);
    expect(JSON.stringify(asUs)).not.toContain('eric@vendor.example');
  });

  it('PRIV-2: staff on the mobile app are not shown a FedRAMP customer’s mail in the inbound log; on the web it is there', async () => {
    const marker = 'Initech-federal-outage-report';
    await inbound('fred@initech.example', marker, 'Our agents cannot log in.');
    const row = await rowOf(marker);
    for (const staff of ['eric@vendor.example', 'adam@vendor.example']) {
      expect((await inboundLog(staff, 'web')).map((r) => r.transportId)).toContain(row.transportId);
      expect((await inboundLog(staff, 'mobile')).map((r) => r.transportId)).not.toContain(row.transportId);
    }
  });
});
