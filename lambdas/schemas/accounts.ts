/** Accounts, favorites and subscriptions (LIST-5, NOTE-2). */
import { FAVORITE_KINDS } from '../domain/access/ports';
import { LEVELS } from '../domain/kernel/types';
import { CaseSchema } from './cases';
import * as z from 'zod';
import { CursorSchema, LimitSchema, pageOf, str } from './common';

export const OrgParams = z.strictObject({
  orgId: str().min(1).max(64).meta({ example: 'ORG-ACME' }),
});

export const AccountsQuery = z.strictObject({
  q: str().trim().min(1).max(100).optional(),
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

export const AccountSchema = z
  .object({
    orgId: str(),
    name: str(),
    type: z.enum(['customer', 'partner', 'vendor']),
    region: str().optional(),
    timeZone: str().optional(),
    gdpr: z.boolean().optional(),
    fedramp: z.boolean().optional(),
    alarmMonitoring: z.boolean().optional(),
    deployments: z.array(z.object({ productLine: str(), hosting: z.enum(['cloud', 'on_premises']) })).optional(),
    managedBy: str().optional(),
    level: z.enum(LEVELS).optional(),
    subscription: z.object(Categories).optional(),
    restricted: z.boolean().optional(),
  })
  .meta({ id: 'Account' });

export const AccountListSchema = pageOf(AccountSchema, 'AccountList');

/** NOTE-2: each category chosen separately; one left out keeps its current value (false when new). */
export const OrgSubscriptionBody = z
  .strictObject({
    newEscalations: Categories.newEscalations.optional(),
    newCritical: Categories.newCritical.optional(),
    newHigh: Categories.newHigh.optional(),
    cloudIncidents: Categories.cloudIncidents.optional(),
  })
  .meta({ id: 'OrgSubscriptionChange' });
export type OrgSubscriptionBody = z.infer<typeof OrgSubscriptionBody>;

export const OrgSubscriptionSchema = z.object({ orgId: str(), ...Categories }).meta({ id: 'OrgSubscription' });

export const CaseSubscriptionSchema = z
  .object({
    caseNumber: str(),
    subscribed: z.boolean(),
    /** `explicit` (this route), `favorite` (LIST-5). */
    sources: z.array(z.enum(['explicit', 'favorite'])),
  })
  .meta({ id: 'CaseSubscription' });

/** PUT and DELETE of a subscription or favorite take no body; an empty object is accepted. */
export const EmptyBody = z.strictObject({}).meta({ id: 'Empty' });

export const FavoriteParams = z.strictObject({
  kind: z.enum(FAVORITE_KINDS),
  /** A case number or an Org ID. */
  id: str().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a case number or an Org ID'),
});
export type FavoriteParams = z.infer<typeof FavoriteParams>;

export const FavoriteSchema = z
  .object({
    kind: z.enum(FAVORITE_KINDS),
    id: str(),
    createdAt: str(),
    available: z.boolean(),
    case: CaseSchema.partial().optional(),
    account: AccountSchema.optional(),
  })
  .meta({ id: 'Favorite' });

export const FavoriteListSchema = pageOf(FavoriteSchema, 'FavoriteList');
