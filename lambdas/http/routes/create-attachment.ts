/** The route declaration of create-attachment: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { CaseNumberParams } from '../../schemas/cases';
import { CreateAttachmentBody, UploadSchema } from '../../schemas/attachments';

export const route = {
  method: 'POST',
  path: '/cases/{caseNumber}/attachments',
  handler: 'create-attachment',
  permission: 'updateCases',
  table: 'write',
  writes: ['createUpload'],
  rateLimits: ['updates'],
  files: 'upload',
  caseData: true,
  problems: ['/problems/case-closed', '/problems/attachment-set-full'],
  summary: 'Start an upload: a pending file and its presigned PUT (3 files of 5 MB per set; MAIL-2, CASE-6)',
  request: { params: CaseNumberParams, body: CreateAttachmentBody },
  success: { status: 201, schema: UploadSchema, headers: ['location'] },
} as const satisfies RouteDef;
