import * as z from 'zod';
import { ALLOWED_TYPES, MAX_ATTACHMENT_BYTES } from '../domain/cases/attachments';
import { CaseNumberParams } from './cases';
import { pageOf, str } from './common';

export const AttachmentParams = CaseNumberParams.extend({
  attachmentId: str().regex(/^[0-9A-Za-z]{1,40}$/, 'must be an attachment id'),
});

/**
 * A file name as the customer's system gave it: no path, no control characters (it ends up in a
 * Content-Disposition header and on disk).
 */
const FileName = str()
  .trim()
  .min(1)
  .max(255)
  .refine((n) => !/[\u0000-\u001f\u007f/\\]/.test(n), { message: 'must be a file name without path or control characters' })
  .meta({ example: 'server.log' });

export const CreateAttachmentBody = z
  .strictObject({
    fileName: FileName,
    contentType: str()
      .min(1)
      .max(255)
      .meta({ description: `One of ${ALLOWED_TYPES.join(', ')}`, example: 'text/plain' }),
    size: z
      .number()
      .int()
      .min(1)
      .meta({ description: `Bytes; at most ${MAX_ATTACHMENT_BYTES} (5 MB)`, example: 2048 }),
    // Internal files are staff's, as internal updates are (CASE-6).
    visibility: z.enum(['public', 'internal']).optional(),
  })
  .meta({ id: 'CreateAttachment' });

const fields = {
  attachmentId: str(),
  caseNumber: str(),
  // The name is personal data: absent from the restricted view (PRIV-1).
  fileName: str().optional(),
  contentType: str(),
  size: z.number(),
  visibility: z.enum(['public', 'internal']),
  source: z.enum(['upload', 'email']),
  updateId: str().optional(),
  uploaderId: str().optional(),
  uploaderName: str().optional(),
  uploaderKind: z.enum(['customer', 'staff']),
  status: z.enum(['pending', 'available', 'quarantined']),
  reason: str().optional(),
  createdAt: str(),
  checkedAt: str().optional(),
  restricted: z.boolean().optional(),
};

export const AttachmentSchema = z.object(fields).meta({ id: 'CaseAttachment' });
export const AttachmentListSchema = pageOf(AttachmentSchema, 'CaseAttachmentList');

export const UploadSchema = z
  .object({ ...fields, uploadUrl: str(), expiresAt: str() })
  .meta({ id: 'AttachmentUpload', description: 'PUT the file to uploadUrl with exactly the declared Content-Type and size' });

export const DownloadSchema = z
  .object({ ...fields, downloadUrl: str().optional(), expiresAt: str().optional() })
  .meta({ id: 'AttachmentDownload', description: 'downloadUrl answers the file as a download; restricted views carry none' });
