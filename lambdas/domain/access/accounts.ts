/**
 * Accounts (ACC-1: organisations, "accounts" in the app): the ones a caller may see, one of them,
 * and the caller's subscription to it (NOTE-2).
 */
import { notFound, validation } from '../kernel/errors';
import { accountAccess, levelOn, mayChangeSubscriptions, staffOf, type Caller, type CaseAccess } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { Page } from '../kernel/ports';
import {
  choiceOf,
  designatedOnly,
  hasCloudDeployment,
  mirrorFor,
  type OrgSubscriptionView,
} from '../notifications/subscriptions';
import type { OrgSubscriptionChoice } from '../notifications/ports';
import type { Org } from '../kernel/types';
import { viewFor, type AccountRecord, type View } from '../kernel/views';

/** An organisation and the caller's access to it; one the caller may not see is a 404 (PRIV-3). */
export const loadAccount = async (
  deps: Pick<Deps, 'directory'>,
  caller: Caller,
  orgId: string,
): Promise<{ org: Org; access: CaseAccess }> => {
  const org = caller.orgs.get(orgId) ?? (await deps.directory.getOrgs([orgId]))[0];
  const access = org ? accountAccess(caller, org) : 'none';
  if (!org || access === 'none') throw notFound();
  return { org, access };
};

const recordOf = (caller: Caller, org: Org, extra: Partial<AccountRecord> = {}): AccountRecord => {
  const level = staffOf(caller) ? undefined : levelOn(caller, org.orgId);
  return { ...org, ...(level ? { level } : {}), ...extra };
};

/** Name order, case-insensitive, then Org ID: also the cursor position. */
const sortKey = (org: Org): string => `${org.name.toLowerCase()}#${org.orgId}`;

/**
 * GET /accounts: staff see every customer and partner organisation; others the organisations
 * they are members of (any level). `q` keeps names starting with it (case-insensitive). The
 * organisations a caller may see are few, so a page is cut from the whole sorted set.
 */
export const listAccounts = async (
  deps: Deps,
  caller: Caller,
  input: { q?: string; limit: number; after?: unknown },
): Promise<Page<View<'account'>>> => {
  const prefix = (input.q ?? '').toLowerCase();
  const candidates = staffOf(caller)
    ? await deps.directory.listOrgs(prefix)
    : [...new Set(caller.memberships.map((m) => m.orgId))].map((id) => caller.orgs.get(id)).filter((o): o is Org => !!o);
  const after = typeof input.after === 'string' ? input.after : '';
  const visible = candidates
    .filter((o) => o.name.toLowerCase().startsWith(prefix) && accountAccess(caller, o) !== 'none')
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
    .filter((o) => sortKey(o) > after);
  const taken = visible.slice(0, input.limit);
  return {
    items: taken.map((o) => viewFor('account', recordOf(caller, o), accountAccess(caller, o))),
    next: visible.length > taken.length ? sortKey(taken[taken.length - 1]) : null,
  };
};

/** GET /accounts/{orgId}: with the caller's own subscription when they may have one. */
export const getAccount = async (deps: Deps, caller: Caller, orgId: string): Promise<View<'account'>> => {
  const { org, access } = await loadAccount(deps, caller, orgId);
  const subscription = mayChangeSubscriptions(caller, org)
    ? choiceOf(await deps.subscriptions.getOrgSubscription(org.orgId, caller.id))
    : undefined;
  return viewFor('account', recordOf(caller, org, subscription ? { subscription } : {}), access);
};

/**
 * NOTE-2: PUT /accounts/{orgId}/subscription. Each category is chosen separately; a category left
 * out keeps its current value (false when new). Cloud incidents need a cloud deployment (400 on
 * cloudIncidents). Visible but not a Designated Contact's: 403.
 */
export const subscribeToOrg = async (
  deps: Deps,
  caller: Caller,
  orgId: string,
  change: Partial<OrgSubscriptionChoice>,
): Promise<OrgSubscriptionView> => {
  const { org } = await loadAccount(deps, caller, orgId);
  if (!mayChangeSubscriptions(caller, org)) throw designatedOnly();
  if (change.cloudIncidents && !hasCloudDeployment(org)) {
    throw validation([
      { path: 'cloudIncidents', message: `${org.name} has no cloud deployment, so there are no cloud incidents to notify` },
    ]);
  }
  // The entry also carries the caller's alarm and maintenance choices (see notifications/subscriptions.ts).
  const mirror = mirrorFor(caller, org, caller.user!.settings) ?? { orgId: org.orgId, alarms: null, maintenance: false };
  const saved = await deps.subscriptions.putOrgSubscription(
    { orgId: org.orgId, userId: caller.id },
    change,
    mirror,
    deps.clock.now().toISOString(),
  );
  return { orgId: org.orgId, ...choiceOf(saved) };
};
