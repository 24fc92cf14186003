import * as z from 'zod';
import { pageOf, str } from './common';

/**
 * GET /admin/inbound-mail (API.md, MAIL-4): every inbound message with its one outcome. The view
 * itself is built in lambdas/domain/kernel/views.ts; this describes it for OpenAPI.
 */
export const InboundMailSchema = z
  .object({
    transportId: str(),
    receivedAt: str(),
    outcome: z.enum(['attached', 'duplicate', 'rejected', 'held']),
    caseNumber: str().optional(),
    updateId: str().optional(),
    of: str().optional(),
    reason: str().optional(),
    replied: z.boolean().optional(),
    releasedBy: str().optional(),
    releasedAt: str().optional(),
  })
  .meta({ id: 'InboundMail' });

/** A transport id: the SES message id (or, locally, a sha256 of the raw bytes). */
export const InboundMailParams = z.strictObject({
  id: str().regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be an inbound message id'),
});

export const InboundMailListSchema = pageOf(InboundMailSchema, 'InboundMailList');

/**
 * GET /cases/{caseNumber}/mail: each mail of the case and what became of it, for staff.
 * Built by the `caseMail` view (lambdas/domain/kernel/views.ts); restricted staff (PRIV-1) get no recipient.
 */
export const CaseMailSchema = z
  .object({
    mailId: str(),
    kind: z.enum(['case-update', 'case-status', 'reminder', 'closure-declined', 'notification', 'chat-transcript', 'notice']),
    status: z.enum(['queued', 'sent', 'failed', 'dead-lettered', 'not-sent']),
    reason: z.enum(['not-allowed', 'superseded']).optional(),
    attempts: z.number().int(),
    lastAttemptAt: str(),
    lastErrorClass: z.enum(['connection', 'timeout', 'throttled', 'rejected', 'busy', 'other']).optional(),
    recipientId: str().optional(),
    restricted: z.boolean().optional(),
  })
  .meta({ id: 'CaseMail' });

export const CaseMailListSchema = pageOf(CaseMailSchema, 'CaseMailList');
