/**
 * LIST-5: at most 20 favorites per user, organisations and cases together. Favoriting a case a
 * Designated Contact may subscribe to subscribes them to it; removing the favorite removes that
 * subscription only if the favorite made it, and only the favorite's part of it.
 */
import { loadAccount } from './accounts';
import { loadCase } from '../cases/cases';
import { conflict, validation } from '../kernel/errors';
import { LOST_RACE, retryOptimistic } from '../kernel/optimistic';
import { accountAccess, caseAccess, hiddenOnClient, levelOn, staffOf, type Caller, type CaseAccess } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { Page, PageRequest } from '../kernel/ports';
import type { Case, Org } from '../kernel/types';
import { viewFor, type FavoriteRecord, type View } from '../kernel/views';
import { FAVORITE_LIMIT, type FavoriteKind, type Favorite } from './ports';

export const favoritesLimit = (): ReturnType<typeof conflict> =>
  conflict(
    '/problems/favorites-limit',
    'Favorites limit reached',
    `At most ${FAVORITE_LIMIT} favorites, cases and accounts together; remove one before adding another.`,
    { limit: FAVORITE_LIMIT },
  );

const CASE_ID = /^\d{8}$/;

interface Subject {
  orgId: string;
  access: CaseAccess;
  record: Pick<FavoriteRecord, 'case' | 'account'>;
}

const accountRecord = (caller: Caller, org: Org) => {
  const level = staffOf(caller) ? undefined : levelOn(caller, org.orgId);
  return { ...org, ...(level ? { level } : {}) };
};

/** What the favorite points at, as the caller may see it; 404 when they may not (PRIV-3). */
const subjectOf = async (deps: Deps, caller: Caller, kind: FavoriteKind, id: string): Promise<Subject> => {
  if (kind === 'case') {
    if (!CASE_ID.test(id)) throw validation([{ path: 'id', message: 'must be an 8-digit case number' }]);
    const { c, access } = await loadCase(deps, caller, id);
    return { orgId: c.orgId, access, record: { case: c } };
  }
  const { org, access } = await loadAccount(deps, caller, id);
  return { orgId: org.orgId, access, record: { account: accountRecord(caller, org) } };
};

const view = (f: Favorite, subject: Subject): View<'favorite'> =>
  viewFor('favorite', { kind: f.kind, id: f.id, createdAt: f.createdAt, available: true, ...subject.record }, subject.access);

export interface FavoriteAdded {
  /** 201 when it is new, 200 when it already was a favorite (nothing changed). */
  status: 200 | 201;
  body: View<'favorite'>;
}

/** PUT /favorites/{kind}/{id}: idempotent; the 21st is 409 /problems/favorites-limit. */
export const addFavorite = async (deps: Deps, caller: Caller, kind: FavoriteKind, id: string): Promise<FavoriteAdded> => {
  const subject = await subjectOf(deps, caller, kind, id);
  const f: Favorite = {
    userId: caller.id,
    kind,
    id,
    orgId: subject.orgId,
    createdAt: deps.clock.now().toISOString(),
    // ACC-2: only a Designated Contact's favorite makes a subscription.
    subscribed: kind === 'case' && subject.access === 'write',
  };
  const outcome = await retryOptimistic('favorites', async () => {
    const added = await deps.favorites.addFavorite(f, FAVORITE_LIMIT);
    return added === 'raced' ? LOST_RACE : added;
  });
  if (outcome === 'limit') throw favoritesLimit();
  if (outcome === 'exists') {
    const existing = (await deps.favorites.getFavorite(caller.id, kind, id)) ?? f;
    return { status: 200, body: view(existing, subject) };
  }
  return { status: 201, body: view(f, subject) };
};

/**
 * DELETE /favorites/{kind}/{id}: one's own favorite goes whether or not its subject can still be
 * seen (so a lost one never holds a place); nothing about the subject is read or told. Idempotent.
 */
export const removeFavorite = async (deps: Deps, caller: Caller, kind: FavoriteKind, id: string): Promise<void> => {
  await retryOptimistic('favorites', async () => {
    const removed = await deps.favorites.removeFavorite(caller.id, kind, id);
    return removed === 'raced' ? LOST_RACE : removed;
  });
};

/**
 * GET /favorites: each favorite with its case or account, re-checked against access now. One
 * the caller may no longer see is listed as `available: false` with nothing of its subject, so it
 * can be removed; on the mobile app a FedRAMP organisation's favorites are left out (PRIV-2).
 */
export const listFavorites = async (deps: Deps, caller: Caller, page: PageRequest): Promise<Page<View<'favorite'>>> => {
  const res = await deps.favorites.listFavorites(caller.id, page);
  const cases = new Map<string, Case>();
  await Promise.all(
    res.items
      .filter((f) => f.kind === 'case')
      .map(async (f) => {
        const c = await deps.cases.getCase(f.id);
        if (c) cases.set(f.id, c);
      }),
  );
  const orgIds = [...new Set(res.items.map((f) => (f.kind === 'case' ? (cases.get(f.id)?.orgId ?? f.orgId) : f.id)))];
  const missing = orgIds.filter((id) => !caller.orgs.has(id));
  const orgs = new Map(caller.orgs);
  if (missing.length) for (const o of await deps.directory.getOrgs(missing)) orgs.set(o.orgId, o);

  const items: View<'favorite'>[] = [];
  for (const f of res.items) {
    const c = f.kind === 'case' ? cases.get(f.id) : undefined;
    const org = orgs.get(c?.orgId ?? f.orgId);
    if (org && hiddenOnClient(caller.client, org)) continue;
    const access: CaseAccess = !org
      ? 'none'
      : f.kind === 'case'
        ? c
          ? caseAccess(caller, org)
          : 'none'
        : accountAccess(caller, org);
    if (access === 'none') {
      items.push(viewFor('favorite', { kind: f.kind, id: f.id, createdAt: f.createdAt, available: false }, 'none'));
      continue;
    }
    items.push(view(f, { orgId: org!.orgId, access, record: c ? { case: c } : { account: accountRecord(caller, org!) } }));
  }
  return { items, next: res.next };
};
