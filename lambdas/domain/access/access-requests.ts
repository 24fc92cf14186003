/**
 * ACC-6 access requests, FLAG-2's 48-hour flag. Anyone with an individual corporate address
 * (ACC-3) asks for a level on combinations of one organisation; they first prove the address
 * with a one-time code; only then does the request open an admin case and reach the Designated
 * Approvers of the company (for a partner's end user, the partner's). An approver of that company,
 * or a portal admin, approves (the level is granted, the user created if new) or rejects; the
 * requester is mailed either way. Requests pending over 48 hours are flagged to portal admins.
 */
import { localTime } from '../mail/local-time';
import { ADMIN_CASE } from '../kernel/catalogue';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { actorOf, auditEvent, updateBy } from '../cases/case-changes';
import { LOST_RACE, retryOptimistic } from '../kernel/optimistic';
import { createdEvent, formatCaseNumber } from '../cases/cases';
import { conflict, forbidden, notFound, Problem, validation, type FieldError } from '../kernel/errors';
import { corporateEmailIssue } from './identity';
import { keyReused, type IdempotencyRequest } from '../kernel/idempotency';
import { combinationOf, LEVEL_RANK, membershipLevel } from '../kernel/levels';
import { composeCaseMail, composeNoticeMail } from '../mail/compose';
import type { OutboundMail, MailJob } from '../mail/ports';
import { hiddenOnClient, staffAccess, staffAccessOn, staffOf, type Caller, type CaseAccess } from '../kernel/policy';
import type { AccessGrant } from './ports';
import { anonymousSubject, rateLimited, rateWindow } from '../kernel/rate-limits';
import type { Deps } from '../kernel/deps';
import type { Page, PageRequest } from '../kernel/ports';
import type { AccessRequest, Case, Level, Membership, Org, User } from '../kernel/types';
import { renderFor, type Rendered } from '../kernel/rendered';
import { viewFor, type View } from '../kernel/views';

/** The code is good for 15 minutes and 5 attempts (counted before each comparison). */
export const CODE_TTL_MINUTES = 15;
export const MAX_CODE_ATTEMPTS = 5;
/** An unconfirmed request is deleted by TTL after a day. */
export const UNCONFIRMED_TTL_HOURS = 24;
/** FLAG-2 (ACC-6): requests are answered within 48 hours. */
export const PENDING_FLAG_AFTER_HOURS = 48;

export interface OpenInput {
  email: string;
  name: string;
  level: Level;
  combinations: { orgId: string; soldToOrgId?: string }[];
}

export const hashCode = (requestId: string, code: string): string =>
  createHash('sha256').update(`access-request|${requestId}|${code}`).digest('hex');

const sameHash = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** ACC-7: an end user managed by a partner is decided by the partner's approvers. */
export const decidingOrgOf = (org: Pick<Org, 'orgId' | 'managedBy'>): string => org.managedBy ?? org.orgId;

/**
 * The rules a request must meet before anything is stored or mailed (ACC-3, ACC-6, ACC-7): an
 * individual corporate address, combinations of one organisation that exist, and a level the
 * organisation's own people may hold (an end user managed by a partner: read-only at most).
 */
const ONE_ORG = 'one organisation per request';

export const checkRequest = (
  input: OpenInput,
  org: Org | undefined,
  existing: { endUserOrgId: string; soldToOrgId: string }[],
): FieldError[] | Problem => {
  const issue = corporateEmailIssue(input.email);
  if (issue) {
    return new Problem(
      403,
      '/problems/corporate-email-required',
      'Corporate email required',
      `${input.email}: ${issue} (ACC-3).`,
      [{ path: 'email', message: issue }],
    );
  }
  const errors: FieldError[] = [];
  const orgId = input.combinations[0]?.orgId;
  input.combinations.forEach((c, i) => {
    if (c.orgId !== orgId) errors.push({ path: `combinations.${i}.orgId`, message: ONE_ORG });
  });
  if (errors.length) return errors;
  if (!org || org.type === 'vendor') return [{ path: 'combinations.0.orgId', message: 'no such organisation' }];
  input.combinations.forEach((c, i) => {
    const soldTo = c.soldToOrgId ?? c.orgId;
    if (!existing.some((e) => e.endUserOrgId === c.orgId && e.soldToOrgId === soldTo)) {
      errors.push({ path: `combinations.${i}`, message: `${c.orgId} is not sold by ${soldTo}` });
    }
  });
  if (org.managedBy && input.level === 'designated') {
    errors.push({
      path: 'level',
      message: `${org.name} is represented by its partner: its own people may hold read_only at most (ACC-7)`,
    });
  }
  return errors;
};

/** ACC-2 levels as a person reads them in mail. */
const LEVEL_WORDS: Record<AccessRequest['level'], string> = {
  basic: 'basic (no case access)',
  read_only: 'read-only',
  designated: 'Designated Contact (read-write)',
};

/** To the requester, about their own request (they hold it whole: `write`). */
export const codeMail = (domain: string, r: AccessRequest, code: string): Rendered<OutboundMail> =>
  renderFor(
    'mail',
    'write',
    composeNoticeMail(domain, {
      to: [r.email],
      subject: `Your Casework access request code: ${code}`,
      text:
        `Hello ${r.name},\n\nYour code is ${code}. It is valid for ${CODE_TTL_MINUTES} minutes.\n\n` +
        `To confirm your request for ${LEVEL_WORDS[r.level]} access to ${r.orgName}, enter this code on the ` +
        'support portal page where you asked for access. Once confirmed, your request goes to the people who ' +
        'approve access for your company, and we email you their decision.\n\n' +
        'If you did not ask for access to Casework, ignore this message: nothing happens until the code is confirmed.\n\n' +
        `Request reference: ${r.requestId}`,
    }),
  );

const describe = (r: AccessRequest) =>
  `${r.name} <${r.email}> asks for ${r.level} on ${r.orgName} (${r.combinations
    .map((c) => `${c.orgId}/${c.soldToOrgId}`)
    .join(', ')}).`;

/**
 * The admin case's mail to one approver: case mail like any other, with the
 * Reference ID and a reply token issued to that approver, so a reply lands on the admin case.
 */
export const approverMail = (
  domain: string,
  keyring: Parameters<typeof composeCaseMail>[2],
  adminCase: Case,
  to: string,
  r: AccessRequest,
): Rendered<OutboundMail> =>
  // An approver of the deciding company sees the request whole (`write`).
  renderFor(
    'mail',
    'write',
    composeCaseMail(adminCase, domain, keyring, {
      to: [to],
      subjectPrefix: 'Awaits your decision: ',
      text:
        `${describe(r)}\n\nPlease approve or reject it in the support portal under Access requests ` +
        `(request ${r.requestId}). Requests are answered within ${PENDING_FLAG_AFTER_HOURS} hours. ` +
        'A reply to this email is added to the admin case.',
    }),
  );

export const decisionMail = (domain: string, r: AccessRequest): Rendered<OutboundMail> =>
  renderFor(
    'mail',
    'write',
    composeNoticeMail(domain, {
      to: [r.email],
      subject: r.decision!.approve
        ? `Your access to ${r.orgName} was approved`
        : `Your access request for ${r.orgName} was declined`,
      text:
        `Hello ${r.name},\n\n` +
        (r.decision!.approve
          ? `You now hold ${r.level} access on ${r.orgName}. Sign in to the portal with ${r.email}.`
          : `Your request for ${r.level} access on ${r.orgName} was declined.`) +
        (r.decision!.comment ? `\n\nComment: ${r.decision!.comment}` : '') +
        `\n\nAdmin case ${r.caseNumber}.`,
    }),
  );

/**
 * FLAG-2: the overdue mail for one admin, rendered through the access-request view of that admin's
 * own access: staff working from the US read an EU/EEA requester's request
 * without name or address, as in the list.
 */
export const overdueMail = (
  domain: string,
  to: string,
  r: AccessRequest,
  access: CaseAccess = 'staff',
  timeZone?: string,
): Rendered<OutboundMail> => {
  const shown = viewFor('accessRequest', r, access) as Partial<AccessRequest>;
  const who = shown.name && shown.email ? `${shown.name} <${shown.email}>` : 'A requester (personal data withheld, PRIV-1)';
  return renderFor(
    'mail',
    access,
    composeNoticeMail(domain, {
      to: [to],
      subject: `Access request pending over ${PENDING_FLAG_AFTER_HOURS} hours: ${r.orgName}`,
      text:
        `${who} asks for ${r.level} on ${r.orgName} (${r.combinations.map((c) => `${c.orgId}/${c.soldToOrgId}`).join(', ')}).` +
        `\n\nConfirmed ${r.confirmedAt ? localTime(r.confirmedAt, timeZone) : ''}, still pending. Request ${r.requestId}, admin case ${r.caseNumber}.`,
    }),
  );
};

const requestHashOf = (idempotency: IdempotencyRequest | undefined) => idempotency?.requestHash;

/** A request id: random, or (with an Idempotency-Key) derived from the address and the key, so a retry finds the first. */
const requestIdFor = (deps: Pick<Deps, 'ids'>, email: string, idempotency?: IdempotencyRequest): string =>
  idempotency
    ? createHash('sha256').update(`${email}|${idempotency.route}|${idempotency.key}`).digest('hex').slice(0, 26).toUpperCase()
    : deps.ids.next();

/**
 * What `POST /access-requests` answers: only what the caller sent and what
 * the request is, never anything read from the directory (no organisation name, deciding company
 * or defaulted sold-to), so the answer is the same for an organisation that exists and for one
 * that does not.
 */
export interface AccessRequestReceipt {
  requestId: string;
  email: string;
  name: string;
  level: Level;
  orgId: string;
  status: 'unconfirmed';
  createdAt: string;
  codeExpiresAt: string;
}

const receiptOf = (r: AccessRequest): AccessRequestReceipt => ({
  requestId: r.requestId,
  email: r.email,
  name: r.name,
  level: r.level,
  orgId: r.orgId,
  status: 'unconfirmed',
  createdAt: r.createdAt,
  codeExpiresAt: r.codeExpiresAt,
});

/**
 * A request the directory cannot match (no such organisation, a vendor, a combination not sold,
 * a level ACC-7 does not allow) must not be told apart from one it can (PRIV-3:
 * anonymous callers would learn which Org IDs exist). It is stored like any other, counted
 * against the same limits and answered the same 201, but it is `unmatched`: no code is mailed,
 * its code hash is of a random secret that is not a 6-digit code (so no code ever confirms it;
 * wrong codes are counted and answered exactly as for a matched request), and the TTL deletes it
 * after a day. It never reaches an approver.
 */
const unmatchedCodeHash = (deps: Pick<Deps, 'ids'>, requestId: string): string =>
  hashCode(requestId, `unmatched|${deps.ids.next()}|${randomBytes(32).toString('hex')}`);

/** ACC-6: POST /access-requests. Stores the request unconfirmed and mails the code. */
export const openAccessRequest = async (
  deps: Deps,
  input: OpenInput,
  sourceIp: string,
  idempotency?: IdempotencyRequest,
): Promise<{ status: number; body: AccessRequestReceipt; replayed: boolean }> => {
  const email = input.email.trim().toLowerCase();
  const orgId = input.combinations[0]?.orgId;
  const [org] = orgId ? await deps.directory.getOrgs([orgId]) : [];
  // Sold-to defaults to the organisation itself, or to the partner that sold an end user (ACC-7).
  const combinations = input.combinations.map((c) => ({
    orgId: c.orgId,
    soldToOrgId: c.soldToOrgId ?? (org?.orgId === c.orgId ? (org.managedBy ?? c.orgId) : c.orgId),
  }));
  const existing = org
    ? await deps.directory.getCombinations(combinations.map((c) => ({ endUserOrgId: c.orgId, soldToOrgId: c.soldToOrgId })))
    : [];
  const checked = checkRequest({ ...input, email, combinations }, org, existing);
  // Refusals that depend on the body alone (ACC-3, one organisation per request) are answered;
  // a directory mismatch is not (it would tell whether the organisation exists): the request is
  // kept unmatched, answered like any other, and goes nowhere.
  if (checked instanceof Problem) throw checked;
  const bodyIssues = checked.filter((e) => e.message === ONE_ORG);
  if (bodyIssues.length) throw validation(bodyIssues);
  const matched = checked.length === 0 && org !== undefined;

  const now = deps.clock.now();
  const at = now.toISOString();
  const requestId = requestIdFor(deps, email, idempotency);
  const code = deps.ids.oneTimeCode();
  const r: AccessRequest = {
    requestId,
    email,
    name: input.name,
    level: input.level,
    orgId: matched ? org.orgId : (orgId ?? ''),
    orgName: matched ? org.name : '',
    combinations,
    decidingOrgId: matched ? decidingOrgOf(org) : '',
    status: 'unconfirmed',
    createdAt: at,
    codeHash: matched ? hashCode(requestId, code) : unmatchedCodeHash(deps, requestId),
    codeExpiresAt: new Date(now.getTime() + CODE_TTL_MINUTES * 60_000).toISOString(),
    attempts: 0,
    ...(matched ? {} : { unmatched: true as const }),
    ...(idempotency ? { requestHash: idempotency.requestHash } : {}),
  };
  // ACC-6: counted in the request's own transaction, so only a request stored counts.
  const limits = [
    rateWindow('accessRequestsPerAddress', anonymousSubject('access-email', email), now),
    rateWindow('accessRequestsPerSourceIp', anonymousSubject('access-ip', sourceIp), now),
  ];
  // The code mail is an intent in the request's own transaction, sent by the mail queue's
  // consumer with retries: the request never waits on SES, and a stored request always gets its code.
  const codeJob: MailJob | undefined = matched
    ? { kind: 'notice', key: `access-code#${requestId}`, at, requestId, mail: codeMail(deps.mailDomain, r, code) }
    : undefined;
  const outcome = await deps.accessRequests.open(
    r,
    limits.map((l) => l.window),
    Math.floor(now.getTime() / 1000) + UNCONFIRMED_TTL_HOURS * 3600,
    codeJob,
  );
  if (outcome === 'exists') {
    // Only an Idempotency-Key makes a known id: the same key with another body is 422.
    const first = await deps.accessRequests.get(requestId);
    if (!first || first.requestHash !== requestHashOf(idempotency)) throw keyReused();
    return { status: 201, body: receiptOf(first), replayed: true };
  }
  if (outcome !== 'created') throw rateLimited(limits.find((l) => l.window.name === outcome.limited.name) ?? limits[0]);
  return { status: 201, body: receiptOf(r), replayed: false };
};

const codeExpired = () =>
  new Problem(410, '/problems/code-expired', 'Code expired', 'The code has expired; make the access request again.');
const attemptsUsed = () =>
  new Problem(
    410,
    '/problems/code-attempts-exhausted',
    'Code attempts used up',
    `The code was entered wrongly ${MAX_CODE_ATTEMPTS} times; make the access request again.`,
  );

/** The admin case a confirmed request opens (CASE-1): a case of the organisation, kind admin. */
export const adminCaseFor = (r: AccessRequest, caseNumber: string, referenceId: string, contactId: string, at: string): Case => ({
  caseNumber,
  referenceId,
  kind: 'admin',
  subject: `Access request: ${r.name} asks for ${r.level} on ${r.orgName}`,
  description: `${describe(r)}\n\nRequest ${r.requestId}. Decided by the Designated Approvers of ${r.decidingOrgId} or a portal admin.`,
  severity: 'low',
  status: 'new',
  orgId: r.orgId,
  soldToOrgId: r.combinations[0].soldToOrgId,
  orgName: r.orgName,
  productLine: ADMIN_CASE.productLine,
  supportGroup: ADMIN_CASE.supportGroup,
  contactId,
  contactName: r.name,
  contactEmail: r.email,
  createdAt: at,
  updatedAt: at,
  version: 1,
  needsAction: false,
});

/** Until approval the requester may have no account: the admin case's contact is the request. */
export const requesterContactId = (requestId: string) => `access-request:${requestId}`;

/**
 * ACC-6: POST /access-requests/{id}/confirm. Every attempt is counted before the code is compared;
 * the right code moves the request to pending, opens the admin case and tells the approvers.
 * Once confirmed, any code (the right one included) answers 409: a retry learns it is done, and
 * nobody learns anything else about the request.
 */
export const confirmAccessRequest = async (deps: Deps, requestId: string, code: string): Promise<View<'accessRequest'>> => {
  const now = deps.clock.now();
  const at = now.toISOString();
  const stored = await deps.accessRequests.get(requestId);
  if (!stored) throw notFound();
  // Once confirmed, every code gets the same answer (right or wrong), so
  // the route tells nothing more about the request or its code: no oracle to count against.
  if (stored.status !== 'unconfirmed') {
    throw conflict('/problems/access-request-confirmed', 'Already confirmed', 'This access request has already been confirmed.');
  }
  if (stored.codeExpiresAt <= at) throw codeExpired();
  const counted = await deps.accessRequests.countAttempt(requestId, MAX_CODE_ATTEMPTS, at);
  if (!counted) {
    const again = await deps.accessRequests.get(requestId);
    if (again && again.status !== 'unconfirmed') return confirmAccessRequest(deps, requestId, code);
    if (again && again.codeExpiresAt <= at) throw codeExpired();
    throw attemptsUsed();
  }
  if (counted.unmatched || !sameHash(counted.codeHash, hashCode(requestId, code))) {
    const left = MAX_CODE_ATTEMPTS - counted.attempts;
    throw new Problem(
      400,
      '/problems/invalid-code',
      'Wrong code',
      left > 0 ? `The code is wrong; ${left} attempt(s) left.` : 'The code is wrong; no attempts left.',
      [{ path: 'code', message: 'is not the code we mailed' }],
      { attemptsLeft: left },
    );
  }
  const existingUser = await deps.accessRequests.userIdByEmail(counted.email);
  const caseNumber = formatCaseNumber(await deps.cases.nextCaseNumber());
  const confirmed: AccessRequest = { ...counted, status: 'pending', confirmedAt: at, caseNumber };
  const adminCase = adminCaseFor(
    confirmed,
    caseNumber,
    deps.ids.referenceId(),
    existingUser ?? requesterContactId(requestId),
    at,
  );
  const created = createdEvent(
    deps,
    adminCase,
    { actorId: 'system', actorName: 'Casework', actorKind: 'system' },
    'Access request',
  );
  // The approvers' mail (case mail of the admin case, a reply token per approver) is
  // written with the confirmation, so a confirmed request always reaches its approvers.
  const approvers = await deps.accessRequests.approversOf(confirmed.decidingOrgId);
  const keyring = approvers.length ? await deps.replyKeys() : undefined;
  const approverJobs: MailJob[] = approvers.map((a) => ({
    kind: 'notice',
    key: `access-approvers#${requestId}#${a.userId}`,
    at,
    requestId,
    caseNumber,
    mail: approverMail(deps.mailDomain, keyring!, adminCase, a.email, confirmed),
  }));
  if (!(await deps.accessRequests.confirm(confirmed, adminCase, [created], approverJobs))) {
    return confirmAccessRequest(deps, requestId, code);
  }
  return viewFor('accessRequest', confirmed, 'write');
};

/** The companies whose requests the caller decides: those they are a Designated Approver of. */
export const approverOrgIds = (caller: Caller): string[] =>
  [...new Set(caller.memberships.filter((m) => m.approver).map((m) => m.orgId))].sort();

const isPortalAdmin = (caller: Caller) => staffOf(caller)?.role === 'admin';

/**
 * How the caller sees a request it may decide: approvers whole; admins through PRIV-1; nobody
 * on the mobile app sees a FedRAMP organisation's requests (PRIV-2), whoever they are.
 */
const accessTo = async (
  deps: Pick<Deps, 'directory'>,
  caller: Caller,
  r: AccessRequest,
  orgs?: Map<string, Org>,
): Promise<CaseAccess> => {
  const org = orgs?.get(r.orgId) ?? (await deps.directory.getOrgs([r.orgId]))[0];
  const staff = staffOf(caller);
  if (staff?.role === 'admin') return org ? staffAccessOn(staff, caller.client, org) : 'restricted';
  // An organisation that cannot be read counts as FedRAMP (PRIV-2 fails closed).
  if (hiddenOnClient(caller.client, org ?? { fedramp: true })) return 'none';
  if (r.status !== 'unconfirmed' && approverOrgIds(caller).includes(r.decidingOrgId)) return 'write';
  return 'none';
};

export interface ListInput {
  status?: AccessRequest['status'];
}

/**
 * ACC-6: GET /access-requests. Approvers: their companies' requests, pending and decided; portal
 * admins: every company's. One company's partition per page position (the cursor names it).
 */
export const listAccessRequests = async (
  deps: Deps,
  caller: Caller,
  input: ListInput,
  page: PageRequest,
): Promise<Page<View<'accessRequest'>>> => {
  if (input.status === 'unconfirmed') {
    throw validation([{ path: 'status', message: 'unconfirmed requests are the requester’s, not listed' }]);
  }
  const partitions = isPortalAdmin(caller) ? ['ALL'] : approverOrgIds(caller);
  if (partitions.length === 0) throw forbidden('Only Designated Approvers and portal admins list access requests.');
  const position = (page.after ?? { p: 0 }) as { p: number; after?: unknown };
  const partition = partitions[position.p];
  if (partition === undefined) return { items: [], next: null };
  const res = await deps.accessRequests.listFor(partition, input.status, { limit: page.limit, after: position.after });
  const orgs = new Map((await deps.directory.getOrgs([...new Set(res.items.map((r) => r.orgId))])).map((o) => [o.orgId, o]));
  const items: View<'accessRequest'>[] = [];
  for (const r of res.items) {
    const access = await accessTo(deps, caller, r, orgs);
    if (access !== 'none') items.push(viewFor('accessRequest', r, access));
  }
  const next = res.next ? { p: position.p, after: res.next } : position.p + 1 < partitions.length ? { p: position.p + 1 } : null;
  return { items, next };
};

export interface DecisionInput {
  approve: boolean;
  comment?: string;
}

const decided = () =>
  conflict('/problems/access-request-decided', 'Already decided', 'This access request has already been decided.');

/** The memberships an approval writes: one per combination, keeping what an existing one holds besides its level. */
export const grantedMemberships = (r: AccessRequest, userId: string, current: Membership[]): Membership[] =>
  r.combinations.map((c) => {
    const held = current.find((m) => m.orgId === c.orgId && m.soldToOrgId === c.soldToOrgId);
    return held
      ? { ...held, level: r.level }
      : { userId, orgId: c.orgId, soldToOrgId: c.soldToOrgId, level: r.level, via: 'direct' };
  });

/** ACC-6: the request was made with the caller's address, or its requester is the caller's user. */
const namesCaller = async (deps: Pick<Deps, 'accessRequests'>, caller: Caller, r: AccessRequest): Promise<boolean> => {
  if (r.userId === caller.id) return true;
  if (caller.user && caller.user.email.trim().toLowerCase() === r.email.trim().toLowerCase()) return true;
  return (await deps.accessRequests.userIdByEmail(r.email)) === caller.id;
};

/**
 * The highest level the organisation's rules let an approval grant, checked at decision time
 * through the same rule the access policy applies to memberships: an end user represented by a
 * partner holds read-only at most (ACC-7); designated needs an active contract on every
 * combination asked for (ACC-4).
 */
const grantableLevel = async (deps: Pick<Deps, 'directory'>, r: AccessRequest): Promise<Level> => {
  const [org] = await deps.directory.getOrgs([r.orgId]);
  if (!org || org.type === 'vendor') return 'basic';
  const combos = await deps.directory.getCombinations(
    r.combinations.map((c) => ({ endUserOrgId: c.orgId, soldToOrgId: c.soldToOrgId })),
  );
  return r.combinations
    .map((c) => {
      const m: Membership = { userId: '', orgId: c.orgId, soldToOrgId: c.soldToOrgId, level: r.level, via: 'direct' };
      return membershipLevel(m, org, combinationOf(combos, m));
    })
    .reduce<Level>((low, l) => (LEVEL_RANK[l] < LEVEL_RANK[low] ? l : low), r.level);
};

/**
 * ACC-6: POST /access-requests/{id}/decision. Only while pending (a second decision is 409); an
 * approval creates or updates the sign-in user and grants the level in the same transaction that
 * settles the request and closes its admin case. The requester is mailed either way.
 */
export const decideAccessRequest = async (
  deps: Deps,
  caller: Caller,
  requestId: string,
  input: DecisionInput,
  idempotency?: IdempotencyRequest,
): Promise<View<'accessRequest'>> =>
  retryOptimistic('access request', async () => {
    const r = await deps.accessRequests.get(requestId);
    // PRIV-3: another company's request, or one nobody confirmed, does not exist for this caller.
    if (!r || r.status === 'unconfirmed') throw notFound();
    const access = await accessTo(deps, caller, r);
    if (access === 'none') throw notFound();
    if (r.status !== 'pending') {
      const d = r.decision;
      if (idempotency && d?.decidedBy === caller.id && d.requestHash === idempotency.requestHash)
        return viewFor('accessRequest', r, access);
      throw decided();
    }
    if (access === 'restricted')
      throw forbidden('Access requests of EU/EEA organisations are decided by staff working from the EU (PRIV-1).');
    // ACC-6: nobody decides a request they made or that names them (whoever else may decide it).
    if (await namesCaller(deps, caller, r)) {
      throw new Problem(
        403,
        '/problems/own-access-request',
        'Own access request',
        'Nobody decides an access request they made or that names them; another approver or a portal admin decides it.',
      );
    }
    // ACC-6, ACC-7, ACC-4: an approval grants at most what the organisation's rules allow today.
    if (input.approve) {
      const ceiling = await grantableLevel(deps, r);
      if (LEVEL_RANK[r.level] > LEVEL_RANK[ceiling]) {
        throw new Problem(
          409,
          '/problems/level-not-grantable',
          'Level not grantable',
          `${r.orgName}'s rules allow at most ${ceiling} for this request; reject it, or ask for a new request.`,
        );
      }
    }
    const at = deps.clock.now().toISOString();
    const c = await deps.cases.getCase(r.caseNumber!);
    if (!c) throw new Error(`access request ${requestId}: admin case ${r.caseNumber} missing`);
    const userId = input.approve ? await deps.userAccounts.ensureUser({ email: r.email, name: r.name }) : undefined;
    const next: AccessRequest = {
      ...r,
      status: input.approve ? 'approved' : 'rejected',
      decision: {
        approve: input.approve,
        ...(input.comment ? { comment: input.comment } : {}),
        decidedBy: caller.id,
        decidedAt: at,
        ...(idempotency ? { requestHash: idempotency.requestHash } : {}),
      },
      ...(userId ? { userId } : {}),
    };
    const actor = actorOf(caller);
    const closed: Case = {
      ...c,
      status: 'closed',
      updatedAt: at,
      version: c.version + 1,
      needsAction: false,
      ...(userId ? { contactId: userId } : {}),
    };
    delete closed.waitingSince;
    const update = updateBy(deps, c.caseNumber, actor, {
      channel: 'portal',
      visibility: 'public',
      body: `${input.approve ? `Approved: ${r.level} granted` : 'Rejected'}${input.comment ? `. ${input.comment}` : '.'}`,
      attachments: [],
      createdAt: at,
    });
    // CASE-9, ACC-6: the decision itself (who, what, which level) is in the admin case's history.
    const events = [
      auditEvent(deps, actor, c.caseNumber, at, {
        action: input.approve ? 'access-request-approved' : 'access-request-rejected',
        field: 'level',
        ...(input.approve ? { to: r.level } : {}),
        detail: `${input.approve ? 'Approved' : 'Rejected'} ${r.level} for request ${r.requestId}`,
      }),
      auditEvent(deps, actor, c.caseNumber, at, {
        action: 'access-request-decided',
        field: 'status',
        from: c.status,
        to: 'closed',
      }),
    ];
    let grant: AccessGrant | undefined;
    if (userId) {
      const found = await deps.directory.getUserWithMemberships(userId);
      const [org] = await deps.directory.getOrgs([r.orgId]);
      const user: User = found?.user ?? {
        userId,
        email: r.email,
        name: r.name,
        timeZone: org?.timeZone ?? 'UTC',
        settings: { defaultList: 'all', notifications: {} },
      };
      grant = {
        user,
        memberships: grantedMemberships(r, userId, found?.memberships ?? []),
        closedCase: closed,
        caseVersion: c.version,
        updates: [update],
        events,
      };
    }
    // The requester's mail is written with the decision, never queued after it.
    const decisionJob: MailJob = {
      kind: 'notice',
      key: `access-decision#${next.requestId}`,
      at,
      requestId: next.requestId,
      mail: decisionMail(deps.mailDomain, next),
    };
    const closing = { closedCase: closed, caseVersion: c.version, updates: [update], events };
    return (await deps.accessRequests.decide(next, grant, closing, [decisionJob]))
      ? viewFor('accessRequest', next, access)
      : LOST_RACE;
  });

export interface PendingSweepReport {
  examined: number;
  flagged: number;
}

const PAGE = 100;

/**
 * FLAG-2: pending requests confirmed over 48 hours ago, from the pending partition of the sparse
 * waiting index (cost follows the requests pending, not all requests). Each is flagged with a
 * conditional write that carries the admins' mail intents, so of two runs only one mails them, and
 * the mail queue retries what fails.
 */
export const sweepPendingAccessRequests = async (deps: Deps): Promise<PendingSweepReport> => {
  const now = deps.clock.now();
  const at = now.toISOString();
  const before = new Date(now.getTime() - PENDING_FLAG_AFTER_HOURS * 3600_000).toISOString();
  const report: PendingSweepReport = { examined: 0, flagged: 0 };
  let admins: User[] | undefined;
  // One read per organisation per run: the overdue mail is rendered for each admin's region (PRIV-1).
  const orgs = new Map<string, Org | undefined>();
  let after: unknown;
  do {
    const page = await deps.accessRequests.duePending(before, { limit: PAGE, after });
    for (const r of page.items) {
      report.examined++;
      admins ??= await deps.accessRequests.portalAdmins();
      if (!orgs.has(r.orgId)) orgs.set(r.orgId, (await deps.directory.getOrgs([r.orgId]))[0]);
      const org = orgs.get(r.orgId);
      // One mail per admin, each rendered for that admin's region (PRIV-1), written with the flag:
      // the mail queue sends them with retries, so a flag never goes unannounced.
      const mail: MailJob[] = admins.map((a) => ({
        kind: 'notice',
        key: `access-overdue#${r.requestId}#${a.userId}`,
        at,
        mail: overdueMail(deps.mailDomain, a.email, r, a.staff && org ? staffAccess(a.staff, org) : 'restricted', a.timeZone),
      }));
      if (await deps.accessRequests.flagOverdue(r, at, mail)) report.flagged++;
    }
    after = page.next ?? undefined;
  } while (after);
  return report;
};
