/** The route declaration of get-attachment: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { AttachmentParams, DownloadSchema } from '../../schemas/attachments';

export const route = {
  method: 'GET',
  path: '/cases/{caseNumber}/attachments/{attachmentId}',
  handler: 'get-attachment',
  permission: 'readCases',
  table: 'read',
  files: 'download',
  caseData: true,
  problems: ['/problems/attachment-pending', '/problems/attachment-quarantined'],
  summary: 'A file with a presigned download link (60 s, Content-Disposition: attachment)',
  request: { params: AttachmentParams },
  success: { status: 200, schema: DownloadSchema },
} as const satisfies RouteDef;
