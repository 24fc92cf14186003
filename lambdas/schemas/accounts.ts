/** Accounts, favorites and subscriptions (LIST-5, NOTE-2). */
import { FAVORITE_KINDS } from '../domain/access/ports';
import { LEVELS } from '../domain/kernel/types';
import { CaseSchema } from './cases';
import * as z from 'zod/mini';
import { CursorSchema, LimitSchema, meta, pageOf, str } from './common';

export const OrgParams = z.strictObject({
  orgId: meta(str().check(z.minLength(1), z.maxLength(64)), { example: 'ORG-ACME' }),
});

export const AccountsQuery = z.strictObject({
  q: z.optional(str().check(z.trim(), z.minLength(1), z.maxLength(100))),
  limit: LimitSchema,
  cursor: CursorSchema,
});
export type AccountsQuery = z.infer<typeof AccountsQuery>;

const Categories = {
  newEscalations: z.boolean(),
  newCritical: z.boolean(),
  newHigh: z.boolean(),
  cloudIncidents: z.boolean(),
};

export const AccountSchema = meta(
  z.object({
    orgId: str(),
    name: str(),
    type: z.enum(['customer', 'partner', 'vendor']),
    region: z.optional(str()),
    timeZone: z.optional(str()),
    gdpr: z.optional(z.boolean()),
    fedramp: z.optional(z.boolean()),
    alarmMonitoring: z.optional(z.boolean()),
    deployments: z.optional(z.array(z.object({ productLine: str(), hosting: z.enum(['cloud', 'on_premises']) }))),
    managedBy: z.optional(str()),
    level: z.optional(z.enum(LEVELS)),
    subscription: z.optional(z.object(Categories)),
    restricted: z.optional(z.boolean()),
  }),
  { id: 'Account' },
);

export const AccountListSchema = pageOf(AccountSchema, 'AccountList');

/** NOTE-2: each category chosen separately; one left out keeps its current value (false when new). */
export const OrgSubscriptionBody = meta(
  z.strictObject({
    newEscalations: z.optional(Categories.newEscalations),
    newCritical: z.optional(Categories.newCritical),
    newHigh: z.optional(Categories.newHigh),
    cloudIncidents: z.optional(Categories.cloudIncidents),
  }),
  { id: 'OrgSubscriptionChange' },
);
export type OrgSubscriptionBody = z.infer<typeof OrgSubscriptionBody>;

export const OrgSubscriptionSchema = meta(z.object({ orgId: str(), ...Categories }), { id: 'OrgSubscription' });

export const CaseSubscriptionSchema = meta(
  z.object({
    caseNumber: str(),
    subscribed: z.boolean(),
    /** `explicit` (this route), `favorite` (LIST-5). */
    sources: z.array(z.enum(['explicit', 'favorite'])),
  }),
  { id: 'CaseSubscription' },
);

/** PUT and DELETE of a subscription or favorite take no body; an empty object is accepted. */
export const EmptyBody = meta(z.strictObject({}), { id: 'Empty' });

export const FavoriteParams = z.strictObject({
  kind: z.enum(FAVORITE_KINDS),
  /** A case number or an Org ID. */
  id: str().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a case number or an Org ID')),
});
export type FavoriteParams = z.infer<typeof FavoriteParams>;

export const FavoriteSchema = meta(
  z.object({
    kind: z.enum(FAVORITE_KINDS),
    id: str(),
    createdAt: str(),
    available: z.boolean(),
    case: z.optional(z.partial(CaseSchema)),
    account: z.optional(AccountSchema),
  }),
  { id: 'Favorite' },
);

export const FavoriteListSchema = pageOf(FavoriteSchema, 'FavoriteList');
