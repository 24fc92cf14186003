import * as z from 'zod';
import { pageOf } from './common';

/**
 * GET /admin/inbound-mail (API.md, MAIL-4): every inbound message with its one outcome. The view
 * itself is built in lambdas/domain/views.ts; this describes it for OpenAPI.
 */
export const InboundMailSchema = z
  .object({
    transportId: z.string(),
    receivedAt: z.string(),
    outcome: z.enum(['attached', 'duplicate', 'rejected']),
    caseNumber: z.string().optional(),
    updateId: z.string().optional(),
    of: z.string().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'InboundMail' });

export const InboundMailListSchema = pageOf(InboundMailSchema, 'InboundMailList');
