import { ACCESS_REQUEST_STATUSES, LEVELS } from '../domain/kernel/types';
import * as z from 'zod/mini';
import { CursorSchema, LimitSchema, meta, pageOf, str } from './common';

const OrgId = str().check(z.trim(), z.minLength(1), z.maxLength(64));

/** ACC-6: anyone, no account needed. Combinations of one organisation; `soldToOrgId` defaults to the organisation. */
export const CreateAccessRequestBody = meta(
  z.strictObject({
    email: str().check(z.trim(), z.maxLength(254), z.email('must be an email address')),
    // It reaches mail and the admin case's subject: one line of text.
    name: str().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(200),
      z.regex(/^[^\p{Cc}]+$/u, 'must not contain control characters'),
    ),
    level: z.enum(LEVELS),
    combinations: z
      .array(z.strictObject({ orgId: OrgId, soldToOrgId: z.optional(OrgId) }))
      .check(z.minLength(1), z.maxLength(20)),
  }),
  { id: 'CreateAccessRequest' },
);
export type CreateAccessRequestBody = z.infer<typeof CreateAccessRequestBody>;

export const AccessRequestParams = z.strictObject({
  id: str().check(z.regex(/^[0-9A-Z]{26}$/, 'must be an access request id')),
});

export const ConfirmAccessRequestBody = meta(
  z.strictObject({ code: str().check(z.regex(/^\d{6}$/, 'must be the 6-digit code we mailed')) }),
  { id: 'ConfirmAccessRequest' },
);

export const AccessDecisionBody = meta(
  z.strictObject({ approve: z.boolean(), comment: z.optional(str().check(z.trim(), z.maxLength(2000))) }),
  { id: 'AccessDecision' },
);

export const AccessRequestsQuery = z.strictObject({
  status: z.optional(z.enum(ACCESS_REQUEST_STATUSES)),
  limit: LimitSchema,
  cursor: CursorSchema,
});

export const AccessRequestSchema = meta(
  z.object({
    requestId: str(),
    // Personal data: absent from the restricted view (PRIV-1).
    email: z.optional(str()),
    name: z.optional(str()),
    level: z.enum(LEVELS),
    orgId: str(),
    orgName: str(),
    combinations: z.array(z.object({ orgId: str(), soldToOrgId: str() })),
    decidingOrgId: str(),
    status: z.enum(ACCESS_REQUEST_STATUSES),
    createdAt: str(),
    codeExpiresAt: z.optional(str()),
    confirmedAt: z.optional(str()),
    caseNumber: z.optional(str()),
    decision: z.optional(
      z.object({
        approve: z.boolean(),
        comment: z.optional(str()),
        decidedBy: z.optional(str()),
        decidedAt: str(),
      }),
    ),
    userId: z.optional(str()),
    overdueFlaggedAt: z.optional(str()),
    restricted: z.optional(z.boolean()),
  }),
  { id: 'AccessRequest' },
);

/**
 * What `POST /access-requests` answers: the request as sent, nothing read from the directory, so
 * an organisation that does not exist is answered exactly like one that does.
 */
export const AccessRequestReceiptSchema = meta(
  z.object({
    requestId: str(),
    email: str(),
    name: str(),
    level: z.enum(LEVELS),
    orgId: str(),
    status: z.literal('unconfirmed'),
    createdAt: str(),
    codeExpiresAt: str(),
  }),
  { id: 'AccessRequestReceipt' },
);

export const AccessRequestListSchema = pageOf(AccessRequestSchema, 'AccessRequestList');
