/** Which events a table change means (NOTE-1, ACC-5, CASE-*, FLAG-1) and what leaves for integrations (PRIV-1). */
import { deriveEvents, type TableChange } from '../../lambdas/domain/notifications/notifications';
import { topicMessage } from '../../lambdas/domain/notifications/notifier';
import type { Case, CaseUpdate } from '../../lambdas/domain/kernel/types';

const base: Case = {
  caseNumber: '00000042',
  referenceId: 'ABCDEFGHJKMNPQRS',
  kind: 'support',
  subject: 'Agents of Müller GmbH cannot log in',
  description: 'Klaus Müller reports it',
  severity: 'high',
  status: 'open',
  orgId: 'ORG-GLOBEX',
  soldToOrgId: 'ORG-GLOBEX',
  orgName: 'Globex GmbH',
  productLine: 'Genesys Cloud CX',
  supportGroup: 'Cloud CX Support',
  contactId: 'u-greta',
  contactName: 'Greta Braun',
  contactEmail: 'greta@globex.example',
  contactPhone: '+49 30 1234567',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  needsAction: false,
};
const modify = (next: Partial<Case>, old: Partial<Case> = {}): TableChange => ({
  kind: 'case',
  change: 'modify',
  old: { ...base, ...old },
  new: { ...base, ...old, updatedAt: '2026-01-02T00:00:00.000Z', version: 2, ...next },
});
const types = (c: TableChange) => deriveEvents(c).map((e) => e.eventType);

describe('notification events derived from item images', () => {
  it('NOTE-1, CASE-3: a new case is one case-created event with its severity', () => {
    const [e, ...rest] = deriveEvents({ kind: 'case', change: 'insert', new: base });
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ eventType: 'case-created', orgId: 'ORG-GLOBEX', severity: 'high', caseNumber: '00000042' });
  });

  it('CASE-4, CASE-5: status and severity changes, with from and to; closing is case-closed', () => {
    expect(deriveEvents(modify({ severity: 'critical' }))).toEqual([
      expect.objectContaining({ eventType: 'severity-changed', from: 'high', to: 'critical', severity: 'critical' }),
    ]);
    expect(deriveEvents(modify({ status: 'awaiting_info' }))).toEqual([
      expect.objectContaining({ eventType: 'status-changed', from: 'open', to: 'awaiting_info' }),
    ]);
    expect(types(modify({ status: 'closed' }))).toEqual(['case-closed']);
    expect(types(modify({ status: 'solution_proposed', severity: 'low' }))).toEqual(['status-changed', 'severity-changed']);
  });

  it('CASE-7: escalation requested, escalation decided, closure requested', () => {
    const requested = {
      status: 'requested' as const,
      reason: 'Down',
      requestedBy: 'u-greta',
      requestedAt: '2026-01-02T00:00:00.000Z',
    };
    expect(types(modify({ escalation: requested }))).toEqual(['escalation-requested']);
    const decided = { ...requested, status: 'accepted' as const, decidedBy: 'u-eric', decidedAt: '2026-01-03T00:00:00.000Z' };
    expect(deriveEvents(modify({ escalation: decided, escalated: true }, { escalation: requested }))).toEqual([
      expect.objectContaining({ eventType: 'escalation-decided', escalationStatus: 'accepted' }),
    ]);
    expect(types(modify({ closureRequest: { requestedBy: 'u-greta', requestedAt: '2026-01-02T00:00:00.000Z' } }))).toEqual([
      'closure-requested',
    ]);
  });

  it('FLAG-1, CASE-8: the sweep flag is needs-action-flagged, named by its waiting period; clearing it is no event', () => {
    const waiting = { status: 'awaiting_info' as const, waitingSince: '2026-01-01T01:00:00.000Z' };
    const [e] = deriveEvents(modify({ needsAction: true, needsActionSince: '2026-01-02T02:00:00.000Z' }, waiting));
    expect(e).toMatchObject({ eventType: 'needs-action-flagged', waitingSince: waiting.waitingSince });
    expect(e.eventId).toContain(waiting.waitingSince);
    expect(types(modify({ needsAction: false }, { ...waiting, needsAction: true }))).toEqual([]);
  });

  it('NOTE-1: the same change derives the same event ids every time (a replay is recognised)', () => {
    const change = modify({ severity: 'critical', status: 'closed' });
    expect(deriveEvents(change).map((e) => e.eventId)).toEqual(deriveEvents(change).map((e) => e.eventId));
    expect(new Set(deriveEvents(change).map((e) => e.eventId)).size).toBe(2);
  });

  it('NOTE-1: a touch (updatedAt only) is no event; a public update is one, an internal note none', () => {
    expect(types(modify({}))).toEqual([]);
    const u: CaseUpdate = {
      caseNumber: '00000042',
      updateId: '01J',
      authorId: 'u-eric',
      authorName: 'Eric',
      authorKind: 'staff',
      channel: 'portal',
      visibility: 'public',
      body: 'We restarted the service',
      attachments: [],
      createdAt: '2026-01-02T00:00:00.000Z',
    };
    expect(types({ kind: 'update', change: 'insert', new: u })).toEqual(['public-update']);
    expect(types({ kind: 'update', change: 'insert', new: { ...u, visibility: 'internal' } })).toEqual([]);
  });

  it('ACC-5: a designated-shortfall organisation event is one event; a level change alone is none', () => {
    const e = { orgId: 'ORG-ACME', eventId: 'E1', at: '2026-01-02T00:00:00.000Z', actorId: 'u-adam', designatedContacts: 1 };
    expect(
      deriveEvents({ kind: 'orgEvent', change: 'insert', new: { ...e, type: 'designated-shortfall', approvers: ['u-dana'] } }),
    ).toEqual([expect.objectContaining({ eventType: 'designated-shortfall', orgId: 'ORG-ACME', designatedContacts: 1 })]);
    expect(types({ kind: 'orgEvent', change: 'insert', new: { ...e, type: 'membership-level-changed' } })).toEqual([]);
  });

  it('CHAT-2: a number left for a callback is one chat-callback event, named by when; the same image again is none', () => {
    const at = '2026-01-02T00:00:00.000Z';
    expect(deriveEvents(modify({ callbackPhone: '+49 30 1', callbackRequestedAt: at }))).toEqual([
      expect.objectContaining({ eventType: 'chat-callback', eventId: `chat-callback#00000042#${at}`, caseNumber: '00000042' }),
    ]);
    expect(types(modify({}, { callbackPhone: '+49 30 1', callbackRequestedAt: at }))).toEqual([]);
  });

  it('CHAT-1, NOTE-1: a chat-waiting organisation event is one chat-waiting event that names its case (the notifier reads it)', () => {
    const e = {
      orgId: 'ORG-ACME',
      eventId: 'chat-waiting#ch1',
      at: '2026-01-02T00:00:00.000Z',
      actorId: 'u-dana',
      type: 'chat-waiting' as const,
      caseNumber: '00000042',
      chatId: 'ch1',
    };
    const [ev, ...rest] = deriveEvents({ kind: 'orgEvent', change: 'insert', new: e });
    expect(rest).toEqual([]);
    expect(ev).toEqual({ eventId: 'chat-waiting#ch1', eventType: 'chat-waiting', at: e.at, caseNumber: '00000042' });
    const [published] = deriveEvents({ kind: 'orgEvent', change: 'insert', new: e });
    expect(JSON.parse(topicMessage(published, 'm0').body)).not.toHaveProperty('actorId');
  });

  it('PRIV-1: the integration message carries ids, enums and times only, with orgId, severity and eventType as attributes', () => {
    const [e] = deriveEvents(modify({ severity: 'critical' }));
    const m = topicMessage(e, 'm0');
    expect(m.attributes).toEqual({
      orgId: 'ORG-GLOBEX',
      severity: 'critical',
      eventType: 'severity-changed',
      eventId: e.eventId,
    });
    const body = JSON.parse(m.body);
    expect(Object.keys(body).sort()).toEqual(
      [
        'eventId',
        'eventType',
        'at',
        'orgId',
        'soldToOrgId',
        'caseNumber',
        'severity',
        'status',
        'productLine',
        'from',
        'to',
      ].sort(),
    );
    for (const personal of [
      base.subject,
      'Müller',
      base.contactName,
      base.contactEmail,
      base.contactPhone!,
      base.contactId,
      base.referenceId,
    ])
      expect(m.body).not.toContain(personal);
    const [shortfall] = deriveEvents({
      kind: 'orgEvent',
      change: 'insert',
      new: { orgId: 'ORG-ACME', eventId: 'E1', at: 'x', actorId: 'u-adam', type: 'designated-shortfall', approvers: ['u-dana'] },
    });
    expect(topicMessage(shortfall, 'm0').body).not.toContain('u-dana');
  });
});
