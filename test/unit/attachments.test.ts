/**
 * The checks a stored upload passes (MAIL-2, CASE-6), the presigned URLs' terms, and the header
 * a download is answered with. Expectations from docs/attachments.md: the declared size, the
 * declared type, the type's signature; a PUT only with the signed type and length.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { attachmentDisposition, s3AttachmentFiles } from '../../lambdas/adapters/attachment-files';
import { ALLOWED_TYPES, checkStoredUpload, uploadDefect } from '../../lambdas/domain/cases/attachments';
import type { AttachmentFiles, AttachmentRepo } from '../../lambdas/domain/cases/ports';
import type { CaseAttachment } from '../../lambdas/domain/kernel/types';

const file = (o: Partial<CaseAttachment> = {}): CaseAttachment => ({
  caseNumber: '00001001',
  attachmentId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  fileName: 'x',
  contentType: 'application/pdf',
  size: 9,
  visibility: 'public',
  source: 'upload',
  uploaderId: 'u-dana',
  uploaderName: 'Dana',
  uploaderKind: 'customer',
  status: 'pending',
  key: 'uploads/00001001/01JABCDEFGHJKMNPQRSTVWXYZ0',
  createdAt: '2026-12-01T00:00:00.000Z',
  ...o,
});
const bytes = (s: string | number[]) => (typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'utf8')) : new Uint8Array(s));

describe('MAIL-2: what a stored upload must be', () => {
  it('MAIL-2: a file of the declared size, type and signature passes', () => {
    expect(uploadDefect(file(), { size: 9, contentType: 'application/pdf', head: bytes('%PDF-1.7\n') })).toBeUndefined();
    const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0];
    expect(
      uploadDefect(file({ contentType: 'image/png', size: 10 }), { size: 10, contentType: 'image/png', head: bytes(png) }),
    ).toBeUndefined();
    expect(
      uploadDefect(file({ contentType: 'text/plain', size: 6 }), { size: 6, contentType: 'text/plain', head: bytes('héllo') }),
    ).toBeUndefined();
  });

  it('MAIL-2: another size, another stored type, or bytes of another kind quarantine it', () => {
    expect(uploadDefect(file(), { size: 10, contentType: 'application/pdf', head: bytes('%PDF-1.7\n') })).toBe('size-mismatch');
    expect(uploadDefect(file(), { size: 9, contentType: 'text/html', head: bytes('%PDF-1.7\n') })).toBe('type-mismatch');
    expect(uploadDefect(file(), { size: 9, contentType: 'application/pdf', head: bytes('<script>') })).toBe(
      'content-not-of-declared-type',
    );
    // A text type with NUL bytes is a binary in disguise.
    expect(
      uploadDefect(file({ contentType: 'text/plain', size: 4 }), {
        size: 4,
        contentType: 'text/plain',
        head: bytes([0x4d, 0x5a, 0, 0]),
      }),
    ).toBe('content-not-of-declared-type');
  });

  it('MAIL-2: nothing a browser would run is an allowed type', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/javascript', 'application/x-msdownload']) {
      expect(ALLOWED_TYPES).not.toContain(t);
    }
  });

  it('MAIL-2: the check settles a pending upload once, and quarantines by moving the object', async () => {
    let record = file({ contentType: 'image/png', size: 4 });
    const settled: unknown[] = [];
    const attachments: Pick<AttachmentRepo, 'getAttachment' | 'settle'> = {
      getAttachment: async () => record,
      settle: async (_n, _id, to) => {
        settled.push(to);
        record = { ...record, ...to };
        return true;
      },
    };
    const moved: string[] = [];
    const files: Pick<AttachmentFiles, 'inspect' | 'quarantine'> = {
      inspect: async () => ({ size: 4, contentType: 'image/png', head: bytes('text') }),
      quarantine: async (key) => {
        moved.push(key);
        return `quarantine/${key}`;
      },
    };
    const deps = { attachments, files, clock: { now: () => new Date('2026-12-01T00:00:01Z') } } as never;
    const key = record.key;
    expect(await checkStoredUpload(deps, key)).toBe('quarantined');
    expect(await checkStoredUpload(deps, key)).toBe('not-pending');
    expect(moved).toEqual([key]);
    expect(record.key).toBe(`quarantine/${key}`);
    expect(settled).toEqual([expect.objectContaining({ status: 'quarantined', reason: 'content-not-of-declared-type' })]);
    expect(await checkStoredUpload(deps, 'inbound/elsewhere')).toBe('unknown-key');
  });
});

describe('MAIL-2: presigned URLs', () => {
  const client = new S3Client({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  const s3 = s3AttachmentFiles('files', client);

  it('MAIL-2: an upload URL signs Content-Type and Content-Length, and expires', async () => {
    const url = new URL(await s3.uploadUrl('uploads/1/a', { contentType: 'text/plain', size: 12, expiresInSeconds: 900 }));
    expect(url.searchParams.get('X-Amz-SignedHeaders')!.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host']),
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
  });

  it('MAIL-2: a download URL asks for Content-Disposition: attachment under the file name', async () => {
    const url = new URL(
      await s3.downloadUrl('mail/1/a', { fileName: 'Prüfung "v2".pdf', contentType: 'application/pdf', expiresInSeconds: 60 }),
    );
    expect(url.searchParams.get('response-content-disposition')).toBe(attachmentDisposition('Prüfung "v2".pdf'));
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(attachmentDisposition('Prüfung "v2".pdf')).toBe(
      `attachment; filename="Pr_fung _v2_.pdf"; filename*=UTF-8''Pr%C3%BCfung%20%22v2%22.pdf`,
    );
  });
});
