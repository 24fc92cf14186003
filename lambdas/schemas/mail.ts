import * as z from 'zod/mini';
import { int, meta, pageOf, str } from './common';

/**
 * GET /admin/inbound-mail (API.md, MAIL-4): every inbound message with its one outcome. The view
 * itself is built in lambdas/domain/kernel/views.ts; this describes it for OpenAPI.
 */
export const InboundMailSchema = meta(
  z.object({
    transportId: str(),
    receivedAt: str(),
    outcome: z.enum(['attached', 'duplicate', 'rejected', 'held']),
    caseNumber: z.optional(str()),
    updateId: z.optional(str()),
    of: z.optional(str()),
    reason: z.optional(str()),
    replied: z.optional(z.boolean()),
    releasedBy: z.optional(str()),
    releasedAt: z.optional(str()),
  }),
  { id: 'InboundMail' },
);

/** A transport id: the SES message id (or, locally, a sha256 of the raw bytes). */
export const InboundMailParams = z.strictObject({
  id: str().check(z.regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be an inbound message id')),
});

export const InboundMailListSchema = pageOf(InboundMailSchema, 'InboundMailList');

/**
 * GET /cases/{caseNumber}/mail: each mail of the case and what became of it, for staff.
 * Built by the `caseMail` view (lambdas/domain/kernel/views.ts); restricted staff (PRIV-1) get no recipient.
 */
export const CaseMailSchema = meta(
  z.object({
    mailId: str(),
    kind: z.enum(['case-update', 'case-status', 'reminder', 'closure-declined', 'notification', 'chat-transcript', 'notice']),
    status: z.enum(['queued', 'sent', 'failed', 'dead-lettered', 'not-sent']),
    reason: z.optional(z.enum(['not-allowed', 'superseded'])),
    attempts: int(),
    lastAttemptAt: str(),
    lastErrorClass: z.optional(z.enum(['connection', 'timeout', 'throttled', 'rejected', 'busy', 'other'])),
    recipientId: z.optional(str()),
    restricted: z.optional(z.boolean()),
  }),
  { id: 'CaseMail' },
);

export const CaseMailListSchema = pageOf(CaseMailSchema, 'CaseMailList');
