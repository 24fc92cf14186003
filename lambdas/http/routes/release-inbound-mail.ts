/** The route declaration of release-inbound-mail: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { InboundMailParams, InboundMailSchema } from '../../schemas/mail';

export const route = {
  method: 'POST',
  path: '/admin/inbound-mail/{id}/release',
  handler: 'release-inbound-mail',
  permission: 'staff',
  table: 'write',
  writes: ['attachInbound'],
  caseData: false,
  summary:
    'Staff release a held inbound message: it is attached to its case as its sender, if the sender may still write it (MAIL-4)',
  request: { params: InboundMailParams },
  problems: ['/problems/sender-not-allowed', '/problems/already-released', '/problems/case-closed', '/problems/busy'],
  success: { status: 200, schema: InboundMailSchema },
} as const satisfies RouteDef;
