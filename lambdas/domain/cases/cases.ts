/**
 * Cases: open, read, list, and add updates. Every function takes its ports as `deps` and asks
 * the policy before it reads or writes a case.
 */
import { ADMIN_CASE, productLine } from '../kernel/catalogue';
import { forbidden, notFound, validation } from '../kernel/errors';
import {
  afterKeyTaken,
  IdempotencyKeyTaken,
  idempotencyWrite,
  priorRequest,
  type Created,
  type IdempotencyRequest,
} from '../kernel/idempotency';
import type { IdempotencyRecord, Page, PageRequest } from '../kernel/ports';
import { canSeeInternal, caseAccess, readableOrgIds, staffOf, type Caller, type CaseAccess } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { AuditEvent, Case, CaseKind, Org, Severity, Status } from '../kernel/types';
import { viewCase, viewFor, viewUpdate, type CaseView, type UpdateView, type View } from '../kernel/views';

export type { Created, IdempotencyRequest };

export const CASE_NUMBER_WIDTH = 8;
export const formatCaseNumber = (n: number): string => String(n).padStart(CASE_NUMBER_WIDTH, '0');

/**
 * CASE-9: the event every case's history starts with: who opened it, as what, when. The first
 * status event then moves it from `new`.
 */
export const createdEvent = (
  deps: Pick<Deps, 'ids'>,
  c: Case,
  actor: Pick<AuditEvent, 'actorId' | 'actorName' | 'actorKind'>,
  detail?: string,
): AuditEvent => ({
  caseNumber: c.caseNumber,
  eventId: deps.ids.next(),
  at: c.createdAt,
  ...actor,
  action: 'created',
  ...(detail ? { detail } : {}),
});

const orgOf = async (deps: Pick<Deps, 'directory'>, caller: Caller, orgId: string): Promise<Org | undefined> =>
  caller.orgs.get(orgId) ?? (await deps.directory.getOrgs([orgId]))[0];

/** Loads a case with the caller's access to it; anything the caller may not see is a 404 (PRIV-3). */
export const loadCase = async (
  deps: Pick<Deps, 'directory' | 'cases'>,
  caller: Caller,
  caseNumber: string,
): Promise<{ c: Case; org: Org; access: CaseAccess }> => {
  const c = await deps.cases.getCase(caseNumber);
  if (!c) throw notFound();
  const org = await orgOf(deps, caller, c.orgId);
  const access = org ? caseAccess(caller, org) : 'none';
  if (!org || access === 'none') throw notFound();
  return { c, org, access };
};

export interface CreateCaseInput {
  kind: CaseKind;
  subject: string;
  description: string;
  severity: Severity;
  orgId: string;
  /** Support cases and feature requests: one the organisation has deployed. Admin cases: none, or the admin line. */
  productLine?: string;
  contactId?: string;
  contactPhone?: string;
}

/** PRIV-3: a replay is the created case as the caller may see it now, through the normal view. */
const replayCase = async (
  deps: Pick<Deps, 'directory' | 'cases'>,
  caller: Caller,
  record: IdempotencyRecord,
): Promise<Created<CaseView>> => {
  const { c, access } = await loadCase(deps, caller, record.ref.caseNumber);
  return { status: record.status, body: viewCase(c, access), replayed: true };
};

/**
 * CASE-1: the product line and support group a new case gets. A support case or feature request
 * names a line the organisation has deployed and goes to its group; an admin case is about the
 * account, whatever is deployed, and goes to Portal Administration (as ACC-6's admin cases do).
 */
const caseLine = (org: Org, input: CreateCaseInput): { name: string; supportGroup: string } => {
  if (input.kind === 'admin') {
    if (input.productLine !== undefined && input.productLine !== ADMIN_CASE.productLine) {
      throw validation([
        {
          path: 'productLine',
          message: `admin cases are about accounts and access, not a product: leave productLine out (or send "${ADMIN_CASE.productLine}")`,
        },
      ]);
    }
    return { name: ADMIN_CASE.productLine, supportGroup: ADMIN_CASE.supportGroup };
  }
  if (input.productLine === undefined) {
    throw validation([
      { path: 'productLine', message: `required for ${input.kind === 'support' ? 'a support case' : 'a feature request'}` },
    ]);
  }
  const line = productLine(input.productLine);
  if (!line || !org.deployments.some((d) => d.productLine === line.name)) {
    throw validation([{ path: 'productLine', message: `${org.name} has not deployed this product line` }]);
  }
  return line;
};

/** CASE-1..3: open a case. Customers open for themselves at most `high`; staff may open for a contact. */
export const createCase = async (
  deps: Deps,
  caller: Caller,
  input: CreateCaseInput,
  idempotency?: IdempotencyRequest,
): Promise<Created<CaseView>> => {
  const staff = staffOf(caller);
  const org = await orgOf(deps, caller, input.orgId);
  const access = org ? caseAccess(caller, org) : 'none';
  // Same answer whether the organisation does not exist or is not the caller's (no mass assignment).
  if (!org || org.type === 'partner' || access === 'none' || access === 'read') {
    throw validation([{ path: 'orgId', message: 'you may not open cases for this organisation' }]);
  }
  if (access === 'restricted')
    throw forbidden('Cases of EU/EEA organisations cannot be opened by staff working from the US (PRIV-1).');
  // Only now, with the caller's access to the organisation checked, may an earlier answer be replayed.
  const prior = await priorRequest(deps, caller, idempotency);
  if (prior) return replayCase(deps, caller, prior);

  const line = caseLine(org, input);
  if (!staff && input.severity === 'critical') {
    throw validation([
      { path: 'severity', message: 'customers open cases at most high; call support to have a case raised to critical (CASE-3)' },
    ]);
  }
  if (staff && input.severity === 'critical' && !input.contactPhone) {
    throw validation([{ path: 'contactPhone', message: 'a critical case records a contact reachable at all times (CASE-3)' }]);
  }
  if (!staff && input.contactId && input.contactId !== caller.id) {
    throw validation([{ path: 'contactId', message: 'customers open cases as themselves' }]);
  }

  const contact = staff ? await contactFor(deps, input) : { user: caller.user!, memberships: caller.memberships };
  const membership = contact.memberships.find((m) => m.orgId === org.orgId);
  if (!membership) throw validation([{ path: 'contactId', message: 'the contact is not a member of this organisation' }]);

  const now = deps.clock.now().toISOString();
  const c: Case = {
    caseNumber: formatCaseNumber(await deps.cases.nextCaseNumber()),
    referenceId: deps.ids.referenceId(),
    kind: input.kind,
    subject: input.subject,
    description: input.description,
    severity: input.severity,
    status: 'new',
    orgId: org.orgId,
    soldToOrgId: membership.soldToOrgId,
    orgName: org.name,
    productLine: line.name,
    supportGroup: line.supportGroup,
    contactId: contact.user.userId,
    contactName: contact.user.name,
    contactEmail: contact.user.email,
    ...(input.contactPhone ? { contactPhone: input.contactPhone } : {}),
    createdAt: now,
    updatedAt: now,
    version: 1,
    needsAction: false,
    changedBy: caller.id,
  };
  try {
    const opener = {
      actorId: caller.id,
      actorName: caller.user?.name ?? caller.id,
      actorKind: staff ? 'staff' : 'customer',
    } as const;
    await deps.cases.createCase(c, idempotencyWrite(caller, idempotency, 201, { caseNumber: c.caseNumber }), [
      createdEvent(deps, c, opener, staff ? `Opened by staff for ${c.contactName}` : undefined),
    ]);
  } catch (err) {
    if (!(err instanceof IdempotencyKeyTaken) || !idempotency) throw err;
    // A concurrent request with the same key got there first: answer as it did, or 409 while it is in flight.
    return replayCase(deps, caller, await afterKeyTaken(deps, caller, idempotency));
  }
  return { status: 201, body: viewCase(c, access), replayed: false };
};

const contactFor = async (deps: Pick<Deps, 'directory'>, input: CreateCaseInput) => {
  if (!input.contactId) throw validation([{ path: 'contactId', message: 'staff open a case for a customer contact' }]);
  const found = await deps.directory.getUserWithMemberships(input.contactId);
  if (!found) throw validation([{ path: 'contactId', message: 'no such contact' }]);
  return found;
};

export const getCase = async (deps: Deps, caller: Caller, caseNumber: string): Promise<CaseView> => {
  const { c, access } = await loadCase(deps, caller, caseNumber);
  return viewCase(c, access);
};

export interface ListCasesInput {
  scope?: 'all' | 'mine';
  /** One value or several (LIST-3: `severity=high,critical`). */
  status?: Status | readonly Status[];
  severity?: Severity | readonly Severity[];
  kind?: CaseKind | readonly CaseKind[];
  orgId?: string;
  productLine?: string;
  needsAction?: boolean;
  closed?: boolean;
  from?: string;
  to?: string;
  sort: 'priority' | 'lastModified';
}

/** Organisations whose cases this caller's lists span, with the access each grants. */
export const listableOrgs = async (deps: Deps, caller: Caller): Promise<Map<string, { org: Org; access: CaseAccess }>> => {
  const orgs = staffOf(caller)
    ? (await deps.directory.listOrgs()).filter((o) => o.type !== 'partner' && o.type !== 'vendor')
    : readableOrgIds(caller).map((id) => caller.orgs.get(id)!);
  const out = new Map<string, { org: Org; access: CaseAccess }>();
  for (const org of orgs) {
    const access = caseAccess(caller, org);
    if (access !== 'none') out.set(org.orgId, { org, access });
  }
  return out;
};

/**
 * LIST-1..3: the caller's cases, one Query per organisation partition, merged. LIST-2 (`mine`)
 * keeps the same rules: not closed unless `closed=true`, the same filters, and the
 * order asked for: by last modified from the contact's own index; by priority from the
 * organisations' priority index, filtered to the caller's cases. A staff member's "mine" is the
 * cases they own.
 */
export const listCases = async (
  deps: Deps,
  caller: Caller,
  input: ListCasesInput,
  page: PageRequest,
): Promise<Page<View<'caseRow'>>> => {
  const visible = await listableOrgs(deps, caller);
  const scope = input.scope ?? caller.user?.settings.defaultList ?? 'all';
  const filter = {
    closed: input.closed ?? false,
    severity: input.severity,
    status: input.status,
    kind: input.kind,
    productLine: input.productLine,
    needsAction: input.needsAction,
    createdFrom: input.from,
    createdTo: input.to,
  };
  const view = (c: Case) => viewFor('caseRow', c, visible.get(c.orgId)!.access);
  const staff = staffOf(caller) !== undefined;
  if (scope === 'mine' && input.sort === 'lastModified' && !staff) {
    const res = await deps.cases.listContactCases(caller.id, filter, page);
    const items = res.items.filter((c) => visible.has(c.orgId) && (!input.orgId || c.orgId === input.orgId));
    return { items: items.map(view), next: res.next };
  }
  const orgIds = [...visible.keys()].filter((id) => !input.orgId || id === input.orgId).sort();
  if (orgIds.length === 0) return { items: [], next: null };
  // Staff open no cases of their own: their "mine" is the cases they own.
  const mine = scope !== 'mine' ? {} : staff ? { ownerId: caller.id } : { contactId: caller.id };
  const res = await deps.cases.listOrgCases({ ...filter, ...mine, orgIds, sort: input.sort }, page);
  return { items: res.items.map(view), next: res.next };
};

export const listUpdates = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  page: PageRequest,
): Promise<Page<UpdateView>> => {
  const { access } = await loadCase(deps, caller, caseNumber);
  const res = await deps.cases.listUpdates(caseNumber, { publicOnly: !canSeeInternal(access) }, page);
  return { items: res.items.map((u) => viewUpdate(u, access, 'list')), next: res.next };
};

export const getUpdate = async (deps: Deps, caller: Caller, caseNumber: string, updateId: string): Promise<UpdateView> => {
  const { access } = await loadCase(deps, caller, caseNumber);
  const u = await deps.cases.getUpdate(caseNumber, updateId);
  if (!u || (u.visibility === 'internal' && !canSeeInternal(access))) throw notFound();
  return viewUpdate(u, access, 'full');
};
