/** The route declaration of list-inbound-mail: imported by its handler alone, and listed in ../routes.ts. */
import type { RouteDef } from '../route-def';
import { PageQuery } from '../../schemas/cases';
import { InboundMailListSchema } from '../../schemas/mail';

export const route = {
  method: 'GET',
  path: '/admin/inbound-mail',
  handler: 'list-inbound-mail',
  permission: 'staff',
  table: 'read',
  caseData: false,
  summary: 'Every inbound message with its outcome: attached, duplicate or rejected with a reason (MAIL-4)',
  request: { query: PageQuery },
  success: { status: 200, schema: InboundMailListSchema },
} as const satisfies RouteDef;
