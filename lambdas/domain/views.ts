/**
 * What leaves Casework for a given caller. Redaction happens here, once, for every route that
 * shows a case or an update (PRIV-1, CASE-6).
 */
import type { CaseAccess } from './policy';
import type { Case, CaseUpdate } from './types';

export type CaseView = Omit<Case, 'waitingSince' | 'subject' | 'description' | 'contactName' | 'contactEmail'> &
  Partial<Pick<Case, 'subject' | 'description' | 'contactName' | 'contactEmail'>> & { restricted?: boolean };

/** Fields in the order a person reading the JSON expects them (DynamoDB returns them unordered). */
const CASE_FIELD_ORDER: readonly (keyof Case)[] = [
  'caseNumber',
  'referenceId',
  'kind',
  'subject',
  'description',
  'severity',
  'status',
  'subStatus',
  'needsAction',
  'needsActionSince',
  'orgId',
  'orgName',
  'soldToOrgId',
  'productLine',
  'supportGroup',
  'ownerId',
  'contactId',
  'contactName',
  'contactEmail',
  'contactPhone',
  'escalated',
  'escalation',
  'closureRequest',
  'createdAt',
  'updatedAt',
  'version',
];

const ordered = (c: Case): Case => {
  const out: Record<string, unknown> = {};
  for (const k of CASE_FIELD_ORDER) if (c[k] !== undefined) out[k] = c[k];
  for (const [k, v] of Object.entries(c)) if (!(k in out)) out[k] = v;
  return out as unknown as Case;
};

export const viewCase = (c: Case, access: CaseAccess): CaseView => {
  // waitingSince is bookkeeping for the sweep, not part of the contract.
  const { waitingSince: _w, ...rest } = ordered(c);
  if (access !== 'restricted') return rest;
  // PRIV-1: US staff see that an EU case exists and its state, never its personal data.
  const { subject: _s, description: _d, contactName: _n, contactEmail: _e, ...safe } = rest;
  return { ...safe, restricted: true };
};

export type UpdateView = Omit<CaseUpdate, 'body' | 'authorName' | 'subject'> &
  Partial<Pick<CaseUpdate, 'body' | 'authorName' | 'subject'>> & { restricted?: boolean };

export const viewUpdate = (u: CaseUpdate, access: CaseAccess, mode: 'list' | 'full'): UpdateView => {
  if (access === 'restricted') {
    const { body: _b, subject: _s, fullText: _f, authorName, ...safe } = u;
    return { ...safe, ...(u.authorKind === 'customer' ? {} : { authorName }), restricted: true };
  }
  // CASE-6: email updates list by subject; the full text is fetched on demand.
  if (mode === 'list' && u.channel === 'email') {
    const { body: _b, fullText: _f, ...rest } = u;
    return rest;
  }
  return u;
};
