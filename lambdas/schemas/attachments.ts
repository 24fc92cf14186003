import * as z from 'zod/mini';
import { ALLOWED_TYPES, MAX_ATTACHMENT_BYTES } from '../domain/cases/attachments';
import { CaseNumberParams } from './cases';
import { int, meta, pageOf, str } from './common';

export const AttachmentParams = z.extend(CaseNumberParams, {
  attachmentId: str().check(z.regex(/^[0-9A-Za-z]{1,40}$/, 'must be an attachment id')),
});

/**
 * A file name as the customer's system gave it: no path, no control characters (it ends up in a
 * Content-Disposition header and on disk).
 */
const FileName = meta(
  str().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(255),
    z.refine((n) => !/[\u0000-\u001f\u007f/\\]/.test(n), { message: 'must be a file name without path or control characters' }),
  ),
  { example: 'server.log' },
);

export const CreateAttachmentBody = meta(
  z.strictObject({
    fileName: FileName,
    contentType: meta(str().check(z.minLength(1), z.maxLength(255)), {
      description: `One of ${ALLOWED_TYPES.join(', ')}`,
      example: 'text/plain',
    }),
    size: meta(int().check(z.gte(1)), { description: `Bytes; at most ${MAX_ATTACHMENT_BYTES} (5 MB)`, example: 2048 }),
    // Internal files are staff's, as internal updates are (CASE-6).
    visibility: z.optional(z.enum(['public', 'internal'])),
  }),
  { id: 'CreateAttachment' },
);

const fields = {
  attachmentId: str(),
  caseNumber: str(),
  // The name is personal data: absent from the restricted view (PRIV-1).
  fileName: z.optional(str()),
  contentType: str(),
  size: z.number(),
  visibility: z.enum(['public', 'internal']),
  source: z.enum(['upload', 'email']),
  updateId: z.optional(str()),
  uploaderId: z.optional(str()),
  uploaderName: z.optional(str()),
  uploaderKind: z.enum(['customer', 'staff']),
  status: z.enum(['pending', 'available', 'quarantined']),
  reason: z.optional(str()),
  createdAt: str(),
  checkedAt: z.optional(str()),
  restricted: z.optional(z.boolean()),
};

export const AttachmentSchema = meta(z.object(fields), { id: 'CaseAttachment' });
export const AttachmentListSchema = pageOf(AttachmentSchema, 'CaseAttachmentList');

export const UploadSchema = meta(z.object({ ...fields, uploadUrl: str(), expiresAt: str() }), {
  id: 'AttachmentUpload',
  description: 'PUT the file to uploadUrl with exactly the declared Content-Type and size',
});

export const DownloadSchema = meta(z.object({ ...fields, downloadUrl: z.optional(str()), expiresAt: z.optional(str()) }), {
  id: 'AttachmentDownload',
  description: 'downloadUrl answers the file as a download; restricted views carry none',
});
