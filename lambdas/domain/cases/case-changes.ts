/**
 * Everything that changes a case's fields: staff edits (CASE-3, CASE-4), escalation, closure and
 * reopening (CASE-7), and customer responses. Each change is one conditional write of the case
 * with its updates and audit events (CASE-9); concurrent writers retry, stale If-Match is 412.
 */
import { forbidden, notFound, Problem, preconditionFailed, validation } from '../kernel/errors';
import {
  afterKeyTaken,
  IdempotencyKeyTaken,
  idempotencyWrite,
  keyReused,
  priorRequest,
  type Created,
  type IdempotencyRequest,
} from '../kernel/idempotency';
import type { IdempotencyRecord, Page, PageRequest } from '../kernel/ports';
import { LOST_RACE, retryOptimistic } from '../kernel/optimistic';
import { afterCustomerResponse, assertTransition, closedCaseRefusal, withStatus } from './lifecycle';
import { canSeeInternal, canWrite, type Caller, type CaseAccess } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { MailJob } from '../mail/ports';
import { loadCase } from './cases';
import type { AuditEvent, Case, CaseUpdate, Severity, Status } from '../kernel/types';
import { viewCase, viewFor, viewUpdate, type CaseView, type HistoryEventView, type UpdateView } from '../kernel/views';
import { WAITING_STATES } from './lifecycle';

/** When a change to `c` happens: now, except that updatedAt never goes back (a lagging clock in this container). */
export const changeTime = (deps: Pick<Deps, 'clock'>, c: Pick<Case, 'updatedAt'>): string => {
  const now = deps.clock.now().toISOString();
  return now > c.updatedAt ? now : c.updatedAt;
};

/** The case a change decided on `read` writes: one version on, changed at `at` (by `changedBy`, when a person). */
export const nextVersion = (read: Pick<Case, 'version'>, next: Case, at: string, changedBy?: string): Case => ({
  ...next,
  updatedAt: at,
  version: read.version + 1,
  ...(changedBy ? { changedBy } : {}),
});

/** Fields whose every change is an audit event. */
const AUDITED: readonly (keyof Case)[] = [
  'status',
  'subStatus',
  'severity',
  'ownerId',
  'supportGroup',
  'contactPhone',
  'needsAction',
  'escalated',
];

export interface Actor {
  id: string;
  name: string;
  kind: AuditEvent['actorKind'];
}

export const actorOf = (caller: Caller): Actor => ({
  id: caller.id,
  name: caller.user?.name ?? caller.id,
  kind: caller.user?.staff ? 'staff' : 'customer',
});

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'Casework', kind: 'system' };

export type EventFacts = Pick<AuditEvent, 'action'> &
  Partial<Pick<AuditEvent, 'field' | 'from' | 'to' | 'fromName' | 'toName' | 'detail'>>;

/** CASE-9: an audit event of `actor` on a case, at `at`. */
export const auditEvent = (
  deps: Pick<Deps, 'ids'>,
  actor: Actor,
  caseNumber: string,
  at: string,
  facts: EventFacts,
): AuditEvent => ({
  caseNumber,
  eventId: deps.ids.next(),
  at,
  actorId: actor.id,
  actorName: actor.name,
  actorKind: actor.kind,
  ...facts,
});

/** CASE-9: one audit event per changed field, with from and to. */
export const diffEvents = (
  deps: Pick<Deps, 'ids'>,
  before: Case,
  after: Case,
  actor: Actor,
  at: string,
  action: string,
): AuditEvent[] =>
  AUDITED.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((field) =>
    auditEvent(deps, actor, after.caseNumber, at, {
      action,
      field,
      from: before[field] ?? null,
      to: after[field] ?? null,
      // CASE-9: history names the people an owner change is about, not only their ids.
      ...(field === 'ownerId' && before.ownerName ? { fromName: before.ownerName } : {}),
      ...(field === 'ownerId' && after.ownerName ? { toName: after.ownerName } : {}),
    }),
  );

export interface Change {
  next: Case;
  updates?: CaseUpdate[];
  events?: AuditEvent[];
  /**
   * Mail the change causes that the stream cannot tell from the case alone (a declined
   * closure request), written as intents in the change's own transaction.
   */
  mail?: MailJob[];
}

/** An Idempotency-Key on a change: who may replay it is checked first, by `authorize`. */
export interface IdempotentChange {
  request: IdempotencyRequest;
  /** The status of the first answer, replayed with it. */
  status: number;
  /** The caller's right to make this change, checked before the key is looked up. */
  authorize: (access: CaseAccess) => void;
}

/** A replay of a change to this case; a record of another case is another request (422). */
const sameCase = (record: IdempotencyRecord, caseNumber: string): IdempotencyRecord => {
  if (record.ref.caseNumber !== caseNumber) throw keyReused();
  return record;
};

/**
 * Reads the case, lets `mutate` decide the change (it may refuse with a Problem), and writes it
 * only at the version read. On a lost race it re-reads and decides again, unless the client
 * pinned a version with If-Match: then a stale version is 412. With an Idempotency-Key, each
 * attempt first checks the caller's right to the change, then the key: a request already made
 * answers with the case as it is now (`replayed`), and the key's record is written with the change.
 */
export const commitChange = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  mutate: (c: Case, access: CaseAccess, at: string) => Change,
  expectedVersion?: number,
  idem?: IdempotentChange,
): Promise<{ c: Case; access: CaseAccess; replayed: boolean }> =>
  retryOptimistic('case', async () => {
    const { c, access } = await loadCase(deps, caller, caseNumber);
    if (idem) {
      idem.authorize(access);
      const prior = await priorRequest(deps, caller, idem.request);
      if (prior) return { c, access, replayed: !!sameCase(prior, caseNumber) };
    }
    if (expectedVersion !== undefined && c.version !== expectedVersion) {
      throw preconditionFailed(`The case is at version ${c.version}, not ${expectedVersion}. Re-read it and try again.`);
    }
    const at = changeTime(deps, c);
    const change = mutate(c, access, at);
    const next = nextVersion(c, change.next, at, caller.id);
    const idempotency = idem && idempotencyWrite(caller, idem.request, idem.status, { caseNumber });
    try {
      const extra = { updates: change.updates, events: change.events, idempotency, mail: change.mail };
      if (await deps.cases.saveCase(next, c.version, extra)) {
        return { c: next, access, replayed: false };
      }
    } catch (err) {
      if (!(err instanceof IdempotencyKeyTaken) || !idem) throw err;
      // A concurrent request with the same key: answer with the case as it now is, or 409 while that request is in flight.
      sameCase(await afterKeyTaken(deps, caller, idem.request), caseNumber);
      const fresh = await loadCase(deps, caller, caseNumber);
      return { ...fresh, replayed: true };
    }
    if (expectedVersion !== undefined) throw preconditionFailed('The case changed while this request was applied.');
    return LOST_RACE;
  });

/**
 * A case action (CASE-7) answered with `status`: the caller's right to it is checked on every
 * attempt, and before an Idempotency-Key is looked up; `decide` makes the change.
 */
const caseAction = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  opts: { status: number; authorize: (access: CaseAccess) => void; idempotency?: IdempotencyRequest },
  decide: (current: Case, at: string) => Change,
): Promise<Created<CaseView>> => {
  const { status, authorize, idempotency } = opts;
  const idem = idempotency && { request: idempotency, status, authorize };
  const r = await commitChange(
    deps,
    caller,
    caseNumber,
    (current, access, at) => {
      authorize(access);
      return decide(current, at);
    },
    undefined,
    idem,
  );
  return answered(status, r);
};

/** The answer of a case-changing request: the case through the normal view, with the caller's access. */
const answered = (status: number, r: { c: Case; access: CaseAccess; replayed: boolean }): Created<CaseView> => ({
  status,
  body: viewCase(r.c, r.access),
  replayed: r.replayed,
});

const requireStaffWrite = (access: CaseAccess) => {
  if (access === 'restricted') throw forbidden('Staff working from the US cannot change cases of EU/EEA organisations (PRIV-1).');
  if (access !== 'staff') throw forbidden('Only staff may do this.');
};

const requireCustomerWrite = (access: CaseAccess) => {
  if (access === 'restricted') throw forbidden('Staff working from the US cannot change cases of EU/EEA organisations (PRIV-1).');
  if (!canWrite(access)) throw forbidden('Your access to this case is read-only.');
};

/** CASE-7: escalation, closure requests and reopening are the customer's Designated Contacts' to ask. */
const requireDesignated = (access: CaseAccess) => {
  if (access === 'restricted') throw forbidden('Staff working from the US cannot change cases of EU/EEA organisations (PRIV-1).');
  if (access === 'staff') throw forbidden("This is requested by the customer's Designated Contacts.");
  if (access !== 'write') throw forbidden('Your access to this case is read-only.');
};

/** A new update on a case, written by `actor`. */
export const updateBy = (
  deps: Pick<Deps, 'ids'>,
  caseNumber: string,
  actor: Actor,
  content: Omit<CaseUpdate, 'caseNumber' | 'updateId' | 'authorId' | 'authorName' | 'authorKind'>,
): CaseUpdate => ({
  caseNumber,
  updateId: deps.ids.next(),
  authorId: actor.id,
  authorName: actor.name,
  authorKind: actor.kind,
  ...content,
});

const systemNote = (
  deps: Pick<Deps, 'ids'>,
  c: Case,
  actor: Actor,
  at: string,
  body: string,
  channel: CaseUpdate['channel'] = 'system',
): CaseUpdate => updateBy(deps, c.caseNumber, actor, { channel, visibility: 'public', body, attachments: [], createdAt: at });

export interface PatchInput {
  status?: Status;
  subStatus?: string | null;
  severity?: Severity;
  ownerId?: string | null;
  supportGroup?: string;
  contactPhone?: string;
}

/** CASE-3, CASE-4: staff move cases through the lifecycle and change their fields. */
export const patchCase = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  input: PatchInput,
  ifMatch?: number,
): Promise<CaseView> => {
  const actor = actorOf(caller);
  const ownerName = typeof input.ownerId === 'string' ? await staffName(deps, input.ownerId) : undefined;
  const { c, access } = await commitChange(
    deps,
    caller,
    caseNumber,
    (current, access, at) => {
      requireStaffWrite(access);
      let next: Case = { ...current };
      if (input.status !== undefined && input.status !== current.status) {
        assertTransition(current.status, input.status);
        next = withStatus(next, input.status, at);
      }
      if (input.subStatus !== undefined) {
        if (input.subStatus === null) delete next.subStatus;
        else next.subStatus = input.subStatus;
      }
      if (input.severity !== undefined) next.severity = input.severity;
      if (input.ownerId !== undefined) {
        if (input.ownerId === null) {
          delete next.ownerId;
          delete next.ownerName;
        } else {
          next.ownerId = input.ownerId;
          next.ownerName = ownerName;
        }
      }
      if (input.supportGroup !== undefined) next.supportGroup = input.supportGroup;
      if (input.contactPhone !== undefined) next.contactPhone = input.contactPhone;
      if (next.severity === 'critical' && !next.contactPhone) {
        throw validation([
          { path: 'contactPhone', message: 'a critical case records a contact reachable at all times (CASE-3)' },
        ]);
      }
      // CASE-7: closing a case whose contact asked to close it grants the request.
      const granted = next.status === 'closed' && current.closureRequest ? closureResolved(deps, current, actor, at, true) : [];
      if (next.status === 'closed') delete next.closureRequest;
      return { next, events: [...diffEvents(deps, current, next, actor, at, 'update'), ...granted] };
    },
    ifMatch,
  );
  // MAIL-1: the contact's mail about the new status is sent from the committed change (the table
  // stream feeds the mail queue): the request never waits on SES nor fails after its commit.
  return viewCase(c, access);
};

/** CASE-7: a Designated Contact asks for escalation, with a reason. */
export const requestEscalation = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  reason: string,
  idempotency?: IdempotencyRequest,
): Promise<Created<CaseView>> => {
  const actor = actorOf(caller);
  return caseAction(deps, caller, caseNumber, { status: 201, authorize: requireDesignated, idempotency }, (current, at) => {
    if (current.status === 'closed')
      throw new Problem(409, '/problems/case-closed', 'Case closed', 'A closed case cannot be escalated; reopen it first.');
    if (current.escalation?.status === 'requested') {
      throw new Problem(
        409,
        '/problems/escalation-pending',
        'Escalation pending',
        'An escalation request is already waiting for a decision.',
      );
    }
    const next: Case = { ...current, escalation: { status: 'requested', reason, requestedBy: actor.id, requestedAt: at } };
    const event = auditEvent(deps, actor, caseNumber, at, {
      action: 'escalation-requested',
      field: 'escalation',
      from: current.escalation?.status ?? null,
      to: 'requested',
      detail: reason,
    });
    return { next, updates: [systemNote(deps, current, actor, at, `Escalation requested: ${reason}`)], events: [event] };
  });
};

/** CASE-7: staff accept or decline a pending escalation. */
export const decideEscalation = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  accept: boolean,
  comment: string,
  idempotency?: IdempotencyRequest,
): Promise<Created<CaseView>> => {
  const actor = actorOf(caller);
  return caseAction(deps, caller, caseNumber, { status: 200, authorize: requireStaffWrite, idempotency }, (current, at) => {
    if (current.escalation?.status !== 'requested') {
      throw new Problem(
        409,
        '/problems/no-escalation-pending',
        'No escalation pending',
        'There is no escalation request waiting for a decision.',
      );
    }
    const decided = accept ? 'accepted' : 'declined';
    const next: Case = {
      ...current,
      escalation: { ...current.escalation, status: decided, decidedBy: actor.id, decidedAt: at, comment },
      ...(accept ? { escalated: true } : {}),
    };
    const event = auditEvent(deps, actor, caseNumber, at, {
      action: `escalation-${decided}`,
      field: 'escalation',
      from: 'requested',
      to: decided,
      detail: comment,
    });
    return {
      next,
      updates: [systemNote(deps, current, actor, at, `Escalation ${decided}${comment ? `: ${comment}` : ''}`)],
      events: [event, ...diffEvents(deps, current, next, actor, at, `escalation-${decided}`)],
    };
  });
};

/** CASE-6, CASE-7: a closed case takes no updates from any channel (lifecycle.ts holds the rule). */
const refuseIfClosed = (c: Case) => {
  const refusal = closedCaseRefusal(c);
  if (refusal) throw refusal;
};

/** CASE-5: owners are vendor staff; their display name is kept on the case beside the id. */
const staffName = async (deps: Pick<Deps, 'directory'>, userId: string): Promise<string> => {
  const found = await deps.directory.getUserWithMemberships(userId);
  if (!found?.user.staff) throw validation([{ path: 'ownerId', message: 'must be the user id of a vendor staff member' }]);
  return found.user.name;
};

/** CASE-7, CASE-9: the event that settles a pending closure request, whichever way. */
const closureResolved = (
  deps: Pick<Deps, 'ids'>,
  current: Case,
  actor: Actor,
  at: string,
  accepted: boolean,
  comment?: string,
) => [
  auditEvent(deps, actor, current.caseNumber, at, {
    action: accepted ? 'closure-accepted' : 'closure-declined',
    field: 'closureRequest',
    from: 'requested',
    to: accepted ? 'accepted' : 'declined',
    ...(comment ? { detail: comment } : {}),
  }),
];

/**
 * CASE-7: staff accept a pending closure request (the case closes, as a PATCH to closed would) or
 * decline it (the case stays as it is, the request is gone so the contact may ask again, and the
 * requester is told why by mail and by a public note on the case).
 */
export const decideClosure = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  accept: boolean,
  comment: string | undefined,
  idempotency?: IdempotencyRequest,
): Promise<Created<CaseView>> => {
  const actor = actorOf(caller);
  return caseAction(deps, caller, caseNumber, { status: 200, authorize: requireStaffWrite, idempotency }, (current, at) => {
    if (!current.closureRequest) {
      throw new Problem(
        409,
        '/problems/no-closure-pending',
        'No closure request pending',
        `Case ${current.caseNumber} has no closure request waiting for a decision.`,
      );
    }
    const requestedBy = current.closureRequest.requestedBy;
    const base: Case = { ...current };
    delete base.closureRequest;
    const next = accept ? withStatus(base, 'closed', at) : base;
    const note = accept
      ? `Closure request accepted; the case is closed${comment ? `: ${comment}` : '.'}`
      : `Closure request declined; the case stays open${comment ? `: ${comment}` : '.'}`;
    return {
      next,
      updates: [systemNote(deps, current, actor, at, note)],
      events: [
        ...closureResolved(deps, current, actor, at, accept, comment),
        ...diffEvents(deps, current, next, actor, at, accept ? 'closure-accepted' : 'closure-declined'),
      ],
      // MAIL-1: an accepted request closes the case, and the stream mails the contact the status
      // (mail/outbound.ts). A decline changes no status: its mail is an intent written with the
      // decision, once per version, so it can never be lost after the commit.
      ...(accept
        ? {}
        : {
            mail: [
              {
                kind: 'closure-declined',
                // The version this change commits: one mail per decline.
                key: `closure-declined#${current.caseNumber}#v${current.version + 1}`,
                at,
                caseNumber: current.caseNumber,
                userId: requestedBy ?? current.contactId,
                ...(comment ? { comment } : {}),
              },
            ],
          }),
    };
  });
};

/** CASE-7: a Designated Contact asks to close the case; staff decide (POST .../closure-request/decision) or close it with PATCH. */
export const requestClosure = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  reason?: string,
  idempotency?: IdempotencyRequest,
): Promise<Created<CaseView>> => {
  const actor = actorOf(caller);
  return caseAction(deps, caller, caseNumber, { status: 201, authorize: requireDesignated, idempotency }, (current, at) => {
    if (current.status === 'closed')
      throw new Problem(409, '/problems/case-closed', 'Case closed', 'The case is already closed.');
    if (current.closureRequest)
      throw new Problem(409, '/problems/closure-pending', 'Closure pending', 'Closure was already requested.');
    const next: Case = { ...current, closureRequest: { requestedBy: actor.id, requestedAt: at } };
    const event = auditEvent(deps, actor, caseNumber, at, {
      action: 'closure-requested',
      field: 'closureRequest',
      from: null,
      to: 'requested',
      ...(reason ? { detail: reason } : {}),
    });
    return {
      next,
      updates: [systemNote(deps, current, actor, at, `Closure requested${reason ? `: ${reason}` : ''}`)],
      events: [event],
    };
  });
};

/** CASE-7: a Designated Contact reopens a closed case. */
export const reopenCase = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  reason?: string,
  idempotency?: IdempotencyRequest,
): Promise<Created<CaseView>> => {
  const actor = actorOf(caller);
  return caseAction(deps, caller, caseNumber, { status: 200, authorize: requireDesignated, idempotency }, (current, at) => {
    if (current.status !== 'closed') {
      const state = current.status === 'open' ? 'already open' : `not closed (its status is ${current.status})`;
      throw new Problem(
        409,
        '/problems/not-closed',
        'Case not closed',
        `Case ${current.caseNumber} is ${state}: only a closed case can be reopened.`,
        undefined,
        { caseStatus: current.status },
      );
    }
    assertTransition(current.status, 'open');
    const next = withStatus(current, 'open', at);
    return {
      next,
      updates: [systemNote(deps, current, actor, at, `Case reopened${reason ? `: ${reason}` : ''}`)],
      events: diffEvents(deps, current, next, actor, at, 'reopen'),
    };
  });
};

/** CASE-4, CASE-8: a customer's update on a waiting case moves it back to open, in the same write. */
export const customerResponse = (deps: Pick<Deps, 'ids'>, current: Case, update: CaseUpdate, actor: Actor): Change => {
  const next = afterCustomerResponse(current, update.createdAt);
  return { next, updates: [update], events: diffEvents(deps, current, next, actor, update.createdAt, 'customer-response') };
};

/** CASE-9: the audit trail, through the history view (PRIV-1 restricts it like any other view). */
export const caseHistory = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  page: PageRequest,
): Promise<Page<HistoryEventView>> => {
  const { access } = await loadCase(deps, caller, caseNumber);
  const res = await deps.cases.listEvents(caseNumber, page);
  return { items: res.items.map((e) => viewFor('historyEvent', e, access)), next: res.next };
};

export interface AddUpdateInput {
  body: string;
  visibility: 'public' | 'internal';
}

/** PRIV-3: a replayed update is re-read and shown as the caller may see it now. */
const replayUpdate = async (
  deps: Deps,
  caseNumber: string,
  access: CaseAccess,
  record: IdempotencyRecord,
): Promise<Created<UpdateView>> => {
  const u = record.ref.updateId && (await deps.cases.getUpdate(sameCase(record, caseNumber).ref.caseNumber, record.ref.updateId));
  if (!u || (u.visibility === 'internal' && !canSeeInternal(access))) throw notFound();
  return { status: record.status, body: viewUpdate(u, access, 'full'), replayed: true };
};

/**
 * CASE-6: append an update from the portal or the app. A plain update only touches the case
 * (many writers append at once without conflict); a customer's reply to a waiting case also
 * moves it back to open (CASE-4) and clears needs-action (CASE-8) in the same transaction.
 * Which of the two it is, is decided from the status read, and each write holds only while the
 * case still has it: a reply racing a staff status change is decided again.
 */
export const addUpdate = async (
  deps: Deps,
  caller: Caller,
  caseNumber: string,
  input: AddUpdateInput,
  idempotency?: IdempotencyRequest,
): Promise<Created<UpdateView>> => {
  const actor = actorOf(caller);
  let { c, access } = await loadCase(deps, caller, caseNumber);
  requireCustomerWrite(access);
  refuseIfClosed(c);
  const staff = access === 'staff';
  if (input.visibility === 'internal' && !staff) {
    throw validation([{ path: 'visibility', message: 'only staff post internal updates' }]);
  }
  const update = updateBy(
    deps,
    caseNumber,
    { ...actor, kind: staff ? 'staff' : 'customer' },
    {
      channel: caller.client === 'mobile' ? 'mobile' : 'portal',
      visibility: input.visibility,
      body: input.body,
      attachments: [],
      createdAt: '',
    },
  );
  const idem = idempotencyWrite(caller, idempotency, 201, { caseNumber, updateId: update.updateId });
  return retryOptimistic('case', async (attempt) => {
    if (attempt > 0) {
      ({ c, access } = await loadCase(deps, caller, caseNumber));
      requireCustomerWrite(access);
      refuseIfClosed(c);
    }
    const prior = await priorRequest(deps, caller, idempotency);
    if (prior) return replayUpdate(deps, caseNumber, access, prior);
    update.createdAt = changeTime(deps, c);
    try {
      if (!staff && WAITING_STATES.includes(c.status)) {
        const change = customerResponse(deps, c, update, actor);
        const next = nextVersion(c, change.next, update.createdAt, caller.id);
        if (await deps.cases.saveCase(next, c.version, { ...change, idempotency: idem })) {
          return { status: 201, body: viewUpdate(update, access, 'full'), replayed: false };
        }
      } else if (await deps.cases.appendUpdate(update, c, idem)) {
        // MAIL-1: a staff public update reaches the contact through the mail queue.
        return { status: 201, body: viewUpdate(update, access, 'full'), replayed: false };
      }
    } catch (err) {
      if (!(err instanceof IdempotencyKeyTaken) || !idempotency) throw err;
      return replayUpdate(deps, caseNumber, access, await afterKeyTaken(deps, caller, idempotency));
    }
    return LOST_RACE;
  });
};
