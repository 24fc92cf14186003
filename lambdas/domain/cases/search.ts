/**
 * LIST-4: global search by case number or organisation name, over open and closed cases and
 * organisations, limited by default to cases created in the past year.
 */
import { formatCaseNumber, listableOrgs } from './cases';
import type { Caller } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { Case } from '../kernel/types';
import { renderFor, type Rendered } from '../kernel/rendered';
import { viewFor, type View } from '../kernel/views';

const YEAR_MS = 365 * 24 * 3600_000;

export interface SearchInput {
  q: string;
  from?: string;
  to?: string;
  limit: number;
}

export interface SearchResult {
  cases: View<'searchHit'>[];
  accounts: { orgId: string; name: string }[];
  from: string;
  to: string;
}

export const search = async (deps: Deps, caller: Caller, input: SearchInput): Promise<Rendered<SearchResult>> => {
  const now = deps.clock.now();
  const to = input.to ?? now.toISOString();
  const from = input.from ?? new Date(Date.parse(to) - YEAR_MS).toISOString();
  const visible = await listableOrgs(deps, caller);
  const inRange = (c: Case) => c.createdAt >= from && c.createdAt <= to;
  const cases = new Map<string, Case>();

  const digits = input.q.replace(/^#/, '');
  if (/^\d{1,8}$/.test(digits)) {
    const c = await deps.cases.getCase(formatCaseNumber(Number(digits)));
    if (c && visible.has(c.orgId) && inRange(c)) cases.set(c.caseNumber, c);
  }
  const prefix = input.q.toLowerCase();
  const accounts = [...visible.values()]
    .map((v) => v.org)
    .filter((o) => o.name.toLowerCase().startsWith(prefix))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const org of accounts) {
    if (cases.size >= input.limit) break;
    for (const c of await deps.cases.listOrgCasesCreated(org.orgId, from, to, input.limit - cases.size))
      cases.set(c.caseNumber, c);
  }
  // The caller's own search: each case through its view, and only the organisations they may list.
  return renderFor('http', 'self', {
    cases: [...cases.values()].slice(0, input.limit).map((c) => viewFor('searchHit', c, visible.get(c.orgId)!.access)),
    accounts: accounts.map((o) => ({ orgId: o.orgId, name: o.name })),
    from,
    to,
  });
};
