/**
 * A case's files over HTTP (MAIL-2, CASE-6): uploads really PUT to the presigned URL on fauxqs's
 * S3, the emulator's "object created" reaches check-attachment as S3's event would, and downloads
 * really GET the file back. Limits follow the AWS Support API's attachment sets (3 files of 5 MB).
 */
import { startTestLocal, type TestLocal } from '../helpers/local-mode';

let local: TestLocal;
beforeAll(async () => {
  // Nothing here reads a notification: no notifier, mail or push work beside the requests.
  local = await startTestLocal({ sweepEveryMs: 0, stream: false });
});
afterAll(async () => local?.stop());

const api = async (email: string, method: string, path: string, body?: unknown, client: 'web' | 'mobile' = 'web') => {
  const res = await fetch(`${local.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${local.token(email, client)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

const DANA = 'dana@acme.example';
const DAVE = 'dave@acme.example';
const RITA = 'rita@acme.example';
const ALICE = 'alice@vendor.example';
const FRED = 'fred@initech.example';
const MB = 1024 * 1024;

const newCase = async (email: string, orgId: string) => {
  const created = await api(email, 'POST', '/cases', {
    subject: 'Recordings missing',
    description: 'Calls since Monday have no recording',
    severity: 'medium',
    orgId,
    productLine: 'Genesys Cloud CX',
  });
  expect(created.status).toBe(201);
  return created.body.caseNumber as string;
};

/** Asks for an upload and PUTs `bytes` to it as a browser would: the declared type, the actual bytes. */
const upload = async (
  email: string,
  n: string,
  file: { fileName: string; contentType: string; bytes: Uint8Array },
  extra = {},
) => {
  const asked = await api(email, 'POST', `/cases/${n}/attachments`, {
    fileName: file.fileName,
    contentType: file.contentType,
    size: file.bytes.byteLength,
    ...extra,
  });
  expect(asked.status).toBe(201);
  const put = await fetch(asked.body.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': file.contentType },
    body: file.bytes,
  });
  expect(put.status).toBe(200);
  return asked.body as { attachmentId: string; status: string; uploadUrl: string; expiresAt: string };
};

/** The check runs on S3's event, after the PUT: wait until the file leaves `pending`. */
const settled = async (email: string, n: string, id: string, client: 'web' | 'mobile' = 'web') => {
  for (let i = 0; i < 100; i++) {
    const got = await api(email, 'GET', `/cases/${n}/attachments/${id}`, undefined, client);
    if (got.status !== 409 || got.body.type !== '/problems/attachment-pending') return got;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`attachment ${id} stayed pending`);
};

const text = (s: string) => new TextEncoder().encode(s);

describe('attachments (MAIL-2, CASE-6)', () => {
  it('MAIL-2, CASE-6: dana uploads a file through the presigned PUT; rita downloads it as an attachment', async () => {
    const n = await newCase(DANA, 'ORG-ACME');
    const log = text('2026-12-01T10:00:00Z ERROR recording upload failed\n'.repeat(200));
    const asked = await upload(DANA, n, { fileName: 'recorder log.txt', contentType: 'text/plain', bytes: log });
    expect(asked.status).toBe('pending');
    expect(Date.parse(asked.expiresAt)).toBeGreaterThan(Date.now());
    // The presigned PUT signs the type and the length: S3 takes no other.
    const signed = new URL(asked.uploadUrl).searchParams.get('X-Amz-SignedHeaders') ?? '';
    expect(signed.split(';')).toEqual(expect.arrayContaining(['content-length', 'content-type', 'host']));

    // Read-only rita may read the case, so she may download its public files.
    const got = await settled(RITA, n, asked.attachmentId);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ fileName: 'recorder log.txt', contentType: 'text/plain', size: log.byteLength });
    expect(Date.parse(got.body.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    const file = await fetch(got.body.downloadUrl);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(log);
    // The link asks S3 to answer it as a download, under the file's name.
    const disposition = new URL(got.body.downloadUrl).searchParams.get('response-content-disposition');
    expect(disposition).toMatch(/^attachment; filename="recorder log\.txt"/);

    const listed = await api(RITA, 'GET', `/cases/${n}/attachments`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        attachmentId: asked.attachmentId,
        status: 'available',
        source: 'upload',
        uploaderKind: 'customer',
      }),
    ]);
    expect(listed.body.items[0].key).toBeUndefined();
  });

  it('MAIL-2: refusals: over 5 MB, a type not allowed, a fourth file in an hour; read-only rita may not upload', async () => {
    const n = await newCase(DANA, 'ORG-ACME');
    const ask = (email: string, body: object) => api(email, 'POST', `/cases/${n}/attachments`, body);
    const big = await ask(DANA, { fileName: 'dump.zip', contentType: 'application/zip', size: 5 * MB + 1 });
    expect(big.status).toBe(400);
    expect(big.body.errors).toEqual([expect.objectContaining({ path: 'size' })]);
    const html = await ask(DANA, { fileName: 'page.html', contentType: 'text/html', size: 100 });
    expect(html.status).toBe(400);
    expect(html.body.errors).toEqual([expect.objectContaining({ path: 'contentType' })]);
    const path = await ask(DANA, { fileName: '../etc/passwd', contentType: 'text/plain', size: 100 });
    expect(path.status).toBe(400);

    expect((await ask(RITA, { fileName: 'a.txt', contentType: 'text/plain', size: 10 })).status).toBe(403);

    for (const name of ['1.txt', '2.txt', '3.txt']) {
      expect((await ask(DANA, { fileName: name, contentType: 'text/plain', size: 10 })).status).toBe(201);
    }
    const fourth = await ask(DANA, { fileName: '4.txt', contentType: 'text/plain', size: 10 });
    expect(fourth.status).toBe(409);
    expect(fourth.body.type).toBe('/problems/attachment-set-full');
    // The set is the uploader's: dave, another Designated Contact, starts his own.
    expect((await ask(DAVE, { fileName: '4.txt', contentType: 'text/plain', size: 10 })).status).toBe(201);
  });

  it('MAIL-2: a file whose bytes are not of its declared type is quarantined and cannot be downloaded', async () => {
    const n = await newCase(DANA, 'ORG-ACME');
    const asked = await upload(DANA, n, {
      fileName: 'screen.png',
      contentType: 'image/png',
      bytes: text('#!/bin/sh\nrm -rf /\n'),
    });
    const got = await settled(DANA, n, asked.attachmentId);
    expect(got.status).toBe(409);
    expect(got.body).toMatchObject({ type: '/problems/attachment-quarantined', reason: 'content-not-of-declared-type' });
    const listed = await api(DANA, 'GET', `/cases/${n}/attachments`);
    expect(listed.body.items).toEqual([expect.objectContaining({ attachmentId: asked.attachmentId, status: 'quarantined' })]);
  });

  it('MAIL-2: a PUT of another length than declared never becomes available', async () => {
    const n = await newCase(DANA, 'ORG-ACME');
    const asked = await api(DANA, 'POST', `/cases/${n}/attachments`, { fileName: 'a.txt', contentType: 'text/plain', size: 10 });
    const put = await fetch(asked.body.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: text('much longer than ten bytes'),
    });
    // S3 refuses a length other than the signed one; an emulator that takes it still gets the check.
    if (put.status === 200) {
      const got = await settled(DANA, n, asked.body.attachmentId);
      expect(got.body).toMatchObject({ type: '/problems/attachment-quarantined', reason: 'size-mismatch' });
    } else {
      expect(put.status).toBeGreaterThanOrEqual(400);
      const got = await api(DANA, 'GET', `/cases/${n}/attachments/${asked.body.attachmentId}`);
      expect(got.body.type).toBe('/problems/attachment-pending');
    }
  });

  it("CASE-6: an internal file is staff's: dana neither lists nor downloads it", async () => {
    const n = await newCase(DANA, 'ORG-ACME');
    const internal = await upload(
      ALICE,
      n,
      { fileName: 'triage.txt', contentType: 'text/plain', bytes: text('notes') },
      {
        visibility: 'internal',
      },
    );
    expect((await settled(ALICE, n, internal.attachmentId)).status).toBe(200);
    expect((await api(DANA, 'GET', `/cases/${n}/attachments/${internal.attachmentId}`)).status).toBe(404);
    expect((await api(DANA, 'GET', `/cases/${n}/attachments`)).body.items).toEqual([]);
    expect((await api(ALICE, 'GET', `/cases/${n}/attachments`)).body.items).toEqual([
      expect.objectContaining({ attachmentId: internal.attachmentId, visibility: 'internal' }),
    ]);
    // Customers attach public files only.
    const refused = await api(DANA, 'POST', `/cases/${n}/attachments`, {
      fileName: 'a.txt',
      contentType: 'text/plain',
      size: 5,
      visibility: 'internal',
    });
    expect(refused.status).toBe(400);
  });

  it("PRIV-2: FedRAMP Initech's files are not served to the mobile app", async () => {
    const n = await newCase(FRED, 'ORG-INITECH');
    const asked = await upload(FRED, n, { fileName: 'fed.txt', contentType: 'text/plain', bytes: text('fedramp') });
    expect((await settled(FRED, n, asked.attachmentId)).status).toBe(200);
    expect((await api(FRED, 'GET', `/cases/${n}/attachments`, undefined, 'mobile')).status).toBe(404);
    expect((await api(FRED, 'GET', `/cases/${n}/attachments/${asked.attachmentId}`, undefined, 'mobile')).status).toBe(404);
    expect(
      (await api(FRED, 'POST', `/cases/${n}/attachments`, { fileName: 'b.txt', contentType: 'text/plain', size: 3 }, 'mobile'))
        .status,
    ).toBe(404);
  });
});
