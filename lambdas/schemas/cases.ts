import { CASE_KINDS, CHANNELS, SEVERITIES, STATUSES } from '../domain/kernel/types';
import * as z from 'zod/mini';
import { CursorSchema, enumList, FromSchema, int, LimitSchema, meta, pageOf, str, ToSchema } from './common';

/** CASE-2, a case number with or without its leading zeros (`12` is `00000012`). */
export const CaseNumberSchema = meta(
  z.pipe(
    str().check(z.regex(/^\d{1,8}$/, 'must be a case number: up to 8 digits, with or without leading zeros (12 or 00000012)')),
    z.transform((n: string) => n.padStart(8, '0')),
  ),
  { example: '00001001' },
);

export const CaseNumberParams = z.strictObject({ caseNumber: CaseNumberSchema });

export const UpdateParams = z.extend(CaseNumberParams, {
  updateId: str().check(z.regex(/^[0-9A-Z]{26}$/, 'must be an update id')),
});

const bool = z.pipe(
  z.enum(['true', 'false']),
  z.transform((v: 'true' | 'false') => v === 'true'),
);

const Phone = str().check(z.regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number'));

export const ListCasesQuery = z
  .strictObject({
    scope: z.optional(z.enum(['all', 'mine'])),
    status: z.optional(enumList(STATUSES)),
    severity: z.optional(enumList(SEVERITIES)),
    kind: z.optional(enumList(CASE_KINDS)),
    orgId: z.optional(str().check(z.minLength(1), z.maxLength(64))),
    productLine: z.optional(str().check(z.minLength(1), z.maxLength(100))),
    needsAction: z.optional(bool),
    closed: z.optional(bool),
    from: z.optional(FromSchema),
    to: z.optional(ToSchema),
    sort: z._default(z.enum(['priority', 'lastModified']), 'priority'),
    limit: LimitSchema,
    cursor: CursorSchema,
  })
  // An empty range is the caller's mistake, not a query to send (it was a 500; found by the fuzz).
  .check(
    z.refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
      path: ['to'],
      message: 'must not be before from',
    }),
  );
export type ListCasesQuery = z.infer<typeof ListCasesQuery>;

export const CreateCaseBody = meta(
  z.strictObject({
    kind: z._default(z.enum(CASE_KINDS), 'support'),
    subject: str().check(z.trim(), z.minLength(1), z.maxLength(200)),
    description: str().check(z.trim(), z.minLength(1), z.maxLength(20000)),
    severity: z.enum(SEVERITIES),
    orgId: str().check(z.minLength(1), z.maxLength(64)),
    /** CASE-1: required for support cases and feature requests; admin cases carry their own (leave it out). */
    productLine: z.optional(str().check(z.minLength(1), z.maxLength(100))),
    /** Staff may open a case for a customer contact (a phone call); customers open for themselves. */
    contactId: z.optional(str().check(z.minLength(1), z.maxLength(64))),
    /** Always-reachable phone (CASE-3), required when staff open a critical case. */
    contactPhone: z.optional(Phone),
  }),
  { id: 'CreateCase' },
);
export type CreateCaseBody = z.infer<typeof CreateCaseBody>;

export const CaseSchema = meta(
  z.object({
    caseNumber: str(),
    referenceId: str(),
    kind: z.enum(CASE_KINDS),
    // Personal data: absent from the restricted view (PRIV-1), so optional in the contract.
    subject: z.optional(str()),
    description: z.optional(str()),
    severity: z.enum(SEVERITIES),
    status: z.enum(STATUSES),
    subStatus: z.optional(str()),
    orgId: str(),
    orgName: str(),
    soldToOrgId: str(),
    productLine: str(),
    supportGroup: str(),
    ownerId: z.optional(str()),
    ownerName: z.optional(str()),
    contactId: z.optional(str()),
    contactName: z.optional(str()),
    contactEmail: z.optional(str()),
    createdAt: str(),
    updatedAt: str(),
    version: int(),
    needsAction: z.boolean(),
    needsActionSince: z.optional(str()),
    // CHAT-2: left in a chat nobody answered; personal data, absent from the restricted view.
    callbackPhone: z.optional(str()),
    callbackRequestedAt: z.optional(str()),
    restricted: z.optional(z.boolean()),
  }),
  { id: 'Case' },
);

export const CaseListSchema = pageOf(CaseSchema, 'CaseList');

export const CreateUpdateBody = meta(
  z.strictObject({
    body: str().check(z.trim(), z.minLength(1), z.maxLength(100000)),
    visibility: z._default(z.enum(['public', 'internal']), 'public'),
  }),
  { id: 'CreateUpdate' },
);
export type CreateUpdateBody = z.infer<typeof CreateUpdateBody>;

export const UpdateSchema = meta(
  z.object({
    updateId: str(),
    caseNumber: str(),
    // A customer author is personal data: absent from the restricted view (PRIV-1).
    authorId: z.optional(str()),
    authorName: z.optional(str()),
    authorKind: z.enum(['customer', 'staff', 'system']),
    channel: z.enum(CHANNELS),
    visibility: z.enum(['public', 'internal']),
    subject: z.optional(str()),
    body: z.optional(str()),
    // Restricted views list attachments by type and size only.
    attachments: z.array(
      z.object({ attachmentId: z.optional(str()), name: z.optional(str()), contentType: str(), size: z.number() }),
    ),
    createdAt: str(),
    // MAIL-2: an email update whose new text could not be told from its history carries the whole
    // text; the portal shows it collapsed.
    textQuality: z.optional(z.enum(['whole'])),
  }),
  { id: 'CaseUpdate' },
);

export const UpdateListSchema = pageOf(UpdateSchema, 'CaseUpdateList');

export const PageQuery = z.strictObject({ limit: LimitSchema, cursor: CursorSchema });

export const PatchCaseBody = meta(
  z
    .strictObject({
      status: z.optional(z.enum(STATUSES)),
      subStatus: z.optional(z.nullable(str().check(z.trim(), z.minLength(1), z.maxLength(100)))),
      severity: z.optional(z.enum(SEVERITIES)),
      ownerId: z.optional(z.nullable(str().check(z.minLength(1), z.maxLength(64)))),
      supportGroup: z.optional(str().check(z.minLength(1), z.maxLength(100))),
      contactPhone: z.optional(Phone),
    })
    .check(z.refine((b) => Object.keys(b).length > 0, { message: 'name at least one field to change' })),
  { id: 'PatchCase' },
);
export type PatchCaseBody = z.infer<typeof PatchCaseBody>;

const Comment = () => str().check(z.trim(), z.maxLength(2000));
const Reason = () => str().check(z.trim(), z.minLength(1), z.maxLength(2000));

export const EscalationBody = meta(z.strictObject({ reason: Reason() }), { id: 'EscalationRequest' });
export const EscalationDecisionBody = meta(z.strictObject({ accept: z.boolean(), comment: z._default(Comment(), '') }), {
  id: 'EscalationDecision',
});
export const ClosureDecisionBody = meta(z.strictObject({ accept: z.boolean(), comment: z.optional(Comment()) }), {
  id: 'ClosureDecision',
});
export const ReasonBody = meta(z.strictObject({ reason: z.optional(Reason()) }), { id: 'Reason' });

export const AuditEventSchema = meta(
  z.object({
    eventId: str(),
    caseNumber: str(),
    at: str(),
    actorId: z.optional(str()),
    actorName: z.optional(str()),
    actorKind: z.enum(['customer', 'staff', 'system']),
    action: str(),
    field: z.optional(str()),
    from: z.optional(z.unknown()),
    to: z.optional(z.unknown()),
    fromName: z.optional(str()),
    toName: z.optional(str()),
    detail: z.optional(str()),
  }),
  { id: 'AuditEvent' },
);
export const HistorySchema = pageOf(AuditEventSchema, 'History');

export const SearchQuery = z.strictObject({
  q: str().check(z.trim(), z.minLength(1), z.maxLength(100)),
  from: z.optional(FromSchema),
  to: z.optional(ToSchema),
  limit: LimitSchema,
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchResultSchema = meta(
  z.object({
    cases: z.array(CaseSchema),
    accounts: z.array(z.object({ orgId: str(), name: str() })),
    from: str(),
    to: str(),
  }),
  { id: 'SearchResult' },
);
