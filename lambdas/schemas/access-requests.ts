import { ACCESS_REQUEST_STATUSES, LEVELS } from '../domain/kernel/types';
import * as z from 'zod';
import { CursorSchema, LimitSchema, pageOf, str } from './common';

const OrgId = str().trim().min(1).max(64);

/** ACC-6: anyone, no account needed. Combinations of one organisation; `soldToOrgId` defaults to the organisation. */
export const CreateAccessRequestBody = z
  .strictObject({
    email: str().trim().max(254).email('must be an email address'),
    // It reaches mail and the admin case's subject: one line of text.
    name: str()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
    level: z.enum(LEVELS),
    combinations: z
      .array(z.strictObject({ orgId: OrgId, soldToOrgId: OrgId.optional() }))
      .min(1)
      .max(20),
  })
  .meta({ id: 'CreateAccessRequest' });
export type CreateAccessRequestBody = z.infer<typeof CreateAccessRequestBody>;

export const AccessRequestParams = z.strictObject({
  id: str().regex(/^[0-9A-Z]{26}$/, 'must be an access request id'),
});

export const ConfirmAccessRequestBody = z
  .strictObject({ code: str().regex(/^\d{6}$/, 'must be the 6-digit code we mailed') })
  .meta({ id: 'ConfirmAccessRequest' });

export const AccessDecisionBody = z
  .strictObject({ approve: z.boolean(), comment: str().trim().max(2000).optional() })
  .meta({ id: 'AccessDecision' });

export const AccessRequestsQuery = z.strictObject({
  status: z.enum(ACCESS_REQUEST_STATUSES).optional(),
  limit: LimitSchema,
  cursor: CursorSchema,
});

export const AccessRequestSchema = z
  .object({
    requestId: str(),
    // Personal data: absent from the restricted view (PRIV-1).
    email: str().optional(),
    name: str().optional(),
    level: z.enum(LEVELS),
    orgId: str(),
    orgName: str(),
    combinations: z.array(z.object({ orgId: str(), soldToOrgId: str() })),
    decidingOrgId: str(),
    status: z.enum(ACCESS_REQUEST_STATUSES),
    createdAt: str(),
    codeExpiresAt: str().optional(),
    confirmedAt: str().optional(),
    caseNumber: str().optional(),
    decision: z
      .object({
        approve: z.boolean(),
        comment: str().optional(),
        decidedBy: str().optional(),
        decidedAt: str(),
      })
      .optional(),
    userId: str().optional(),
    overdueFlaggedAt: str().optional(),
    restricted: z.boolean().optional(),
  })
  .meta({ id: 'AccessRequest' });

/**
 * What `POST /access-requests` answers: the request as sent, nothing read from the directory, so
 * an organisation that does not exist is answered exactly like one that does.
 */
export const AccessRequestReceiptSchema = z
  .object({
    requestId: str(),
    email: str(),
    name: str(),
    level: z.enum(LEVELS),
    orgId: str(),
    status: z.literal('unconfirmed'),
    createdAt: str(),
    codeExpiresAt: str(),
  })
  .meta({ id: 'AccessRequestReceipt' });

export const AccessRequestListSchema = pageOf(AccessRequestSchema, 'AccessRequestList');
