/**
 * NOTE-1, ACC-5, CASE-*: the domain events the notifier derives from the table's changes. Pure:
 * the data module turns a stream record into a TableChange (item images without keys); this
 * module decides which events a change means. Every event id is derived from the change itself
 * (case number and version, update id, organisation event id), never from the delivery, so a
 * replayed stream record derives the same ids and every side effect keyed by them happens once.
 */
import type { Alarm, CloudIncident, MaintenanceAlert } from '../monitoring/ports';
import type { Case, CaseUpdate, OrgEvent, Severity, Status } from '../kernel/types';

/** The events about one case (they carry it, and reach its subscribers). */
export const CASE_NOTIFICATION_TYPES = [
  'case-created',
  'public-update',
  'status-changed',
  'severity-changed',
  'escalation-requested',
  'escalation-decided',
  'closure-requested',
  'case-closed',
  'needs-action-flagged',
  'chat-waiting',
  'chat-callback',
] as const;

export const NOTIFICATION_TYPES = [
  ...CASE_NOTIFICATION_TYPES,
  'designated-shortfall',
  'alarm',
  'cloud-incident',
  'maintenance',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** One domain event. `case` and `update` are the images it came from: for delivery, never for integrations. */
export interface NotificationEvent {
  eventId: string;
  eventType: NotificationType;
  at: string;
  /** Filled from the case when the item itself does not carry it (an update); see needsCase. */
  orgId?: string;
  soldToOrgId?: string;
  caseNumber?: string;
  severity?: Severity;
  status?: Status;
  productLine?: string;
  /** status-changed, severity-changed, case-closed: the old and new value (enums, never free text). */
  from?: string;
  to?: string;
  updateId?: string;
  authorKind?: CaseUpdate['authorKind'];
  escalationStatus?: 'requested' | 'accepted' | 'declined';
  /** designated-shortfall (ACC-5): how many Designated Contacts are left. */
  designatedContacts?: number;
  /** designated-shortfall (ACC-5): the organisation's Designated Approvers, who are told (user ids: never published). */
  approvers?: string[];
  /** needs-action-flagged: the waiting period the reminder belongs to (FLAG-1). */
  waitingSince?: string;
  /** alarm, cloud-incident, maintenance (ALARM-1, ALARM-2): what monitoring reported, as ingested. */
  notice?: MonitoringNotice;
  case?: Case;
  update?: CaseUpdate;
}

/**
 * ALARM-1, ALARM-2: the part of an ingested alarm, cloud incident or maintenance alert that an
 * event carries. `id` is the source's own id; `status` and `modifiedAt` tell a resend that
 * changed it (active -> closed) from one that did not.
 */
export interface MonitoringNotice {
  kind: 'alarm' | 'incident' | 'maintenance';
  id: string;
  orgId: string;
  title: string;
  status: string;
  modifiedAt: string;
  /** Alarms only: critical, major or minor, and the origin users may leave out (NOTE-2). */
  alarmSeverity?: 'critical' | 'major' | 'minor';
  origin?: string;
  /** Maintenance alerts only: when the work is planned. */
  window?: { start: string; end: string };
}

/** What a stream record says changed, with the storage keys already stripped. */
export type TableChange =
  | { kind: 'case'; change: 'insert' | 'modify'; old?: Case; new: Case }
  | { kind: 'update'; change: 'insert'; new: CaseUpdate }
  | { kind: 'orgEvent'; change: 'insert'; new: OrgEvent }
  | { kind: 'alarm'; old?: Alarm; new: Alarm }
  | { kind: 'incident'; old?: CloudIncident; new: CloudIncident }
  | { kind: 'maintenance'; old?: MaintenanceAlert; new: MaintenanceAlert }
  | { kind: 'other' };

const caseFields = (c: Case) => ({
  orgId: c.orgId,
  soldToOrgId: c.soldToOrgId,
  caseNumber: c.caseNumber,
  severity: c.severity,
  status: c.status,
  productLine: c.productLine,
  case: c,
});

/** Case-level ids name the version the change produced: one change, one id, however often it is replayed. */
const caseEventId = (c: Case, type: NotificationType) => `${type}#${c.caseNumber}#v${c.version}`;

const fromCase = (old: Case | undefined, c: Case): NotificationEvent[] => {
  if (!old) return [{ eventId: `case-created#${c.caseNumber}`, eventType: 'case-created', at: c.createdAt, ...caseFields(c) }];
  const out: NotificationEvent[] = [];
  const at = c.updatedAt;
  if (old.status !== c.status) {
    const eventType = c.status === 'closed' ? 'case-closed' : 'status-changed';
    out.push({ eventId: caseEventId(c, eventType), eventType, at, ...caseFields(c), from: old.status, to: c.status });
  }
  if (old.severity !== c.severity) {
    out.push({
      eventId: caseEventId(c, 'severity-changed'),
      eventType: 'severity-changed',
      at,
      ...caseFields(c),
      from: old.severity,
      to: c.severity,
    });
  }
  const esc = c.escalation;
  if (esc && esc.requestedAt !== old.escalation?.requestedAt && esc.status === 'requested') {
    out.push({
      eventId: `escalation-requested#${c.caseNumber}#${esc.requestedAt}`,
      eventType: 'escalation-requested',
      at: esc.requestedAt,
      ...caseFields(c),
      escalationStatus: 'requested',
    });
  }
  if (esc && esc.status !== 'requested' && esc.decidedAt && esc.decidedAt !== old.escalation?.decidedAt) {
    out.push({
      eventId: `escalation-decided#${c.caseNumber}#${esc.requestedAt}`,
      eventType: 'escalation-decided',
      at: esc.decidedAt,
      ...caseFields(c),
      escalationStatus: esc.status,
    });
  }
  const closure = c.closureRequest;
  if (closure && closure.requestedAt !== old.closureRequest?.requestedAt) {
    out.push({
      eventId: `closure-requested#${c.caseNumber}#${closure.requestedAt}`,
      eventType: 'closure-requested',
      at: closure.requestedAt,
      ...caseFields(c),
    });
  }
  // CHAT-2: a customer left a number after nobody answered their chat (staff hear of it).
  if (c.callbackRequestedAt && c.callbackRequestedAt !== old.callbackRequestedAt) {
    out.push({
      eventId: `chat-callback#${c.caseNumber}#${c.callbackRequestedAt}`,
      eventType: 'chat-callback',
      at: c.callbackRequestedAt,
      ...caseFields(c),
    });
  }
  // FLAG-1: the sweep's flag. One per waiting period, so the period names the event.
  if (!old.needsAction && c.needsAction && c.waitingSince) {
    out.push({
      eventId: `needs-action-flagged#${c.caseNumber}#${c.waitingSince}`,
      eventType: 'needs-action-flagged',
      at: c.needsActionSince ?? at,
      ...caseFields(c),
      waitingSince: c.waitingSince,
    });
  }
  return out;
};

const alarmNotice = (a: Alarm): MonitoringNotice => ({
  kind: 'alarm',
  id: a.id,
  orgId: a.orgId,
  title: a.description,
  status: a.status,
  modifiedAt: a.modifiedAt,
  alarmSeverity: a.severity,
  origin: a.origin,
});

const incidentNotice = (i: CloudIncident): MonitoringNotice => ({
  kind: 'incident',
  id: i.id,
  orgId: i.orgId,
  title: i.title,
  status: i.status,
  modifiedAt: i.modifiedAt,
});

const maintenanceNotice = (m: MaintenanceAlert, orgId: string): MonitoringNotice => ({
  kind: 'maintenance',
  id: m.id,
  orgId,
  title: m.title,
  status: m.status,
  modifiedAt: m.modifiedAt,
  window: m.window,
});

/**
 * ALARM-1, ALARM-2: news is what the notice says (status, severity, title, window...), not the
 * write: a record stored again with nothing changed in its notice (a replayed or touched item)
 * means no event. The modified time is part of the notice, so a resend the source really
 * modified is news, and its id (source id + modified time) is new too.
 */
const changed = (old: MonitoringNotice | undefined, next: MonitoringNotice): boolean => {
  if (!old) return true;
  // Field by field: a stored map's keys come back in no particular order.
  const flat = (n: MonitoringNotice) => [
    n.kind,
    n.id,
    n.orgId,
    n.title,
    n.status,
    n.modifiedAt,
    n.alarmSeverity,
    n.origin,
    n.window?.start,
    n.window?.end,
  ];
  const [a, b] = [flat(old), flat(next)];
  return a.some((v, i) => v !== b[i]);
};

const noticeEventId = (n: MonitoringNotice) => `${n.kind}#${n.orgId}#${n.id}#${n.modifiedAt}`;

const fromMonitoring = (change: Extract<TableChange, { kind: 'alarm' | 'incident' | 'maintenance' }>): NotificationEvent[] => {
  switch (change.kind) {
    case 'alarm': {
      const notice = alarmNotice(change.new);
      if (!changed(change.old && alarmNotice(change.old), notice)) return [];
      return [{ eventId: noticeEventId(notice), eventType: 'alarm', at: notice.modifiedAt, orgId: notice.orgId, notice }];
    }
    case 'incident': {
      const notice = incidentNotice(change.new);
      if (!changed(change.old && incidentNotice(change.old), notice)) return [];
      return [
        {
          eventId: noticeEventId(notice),
          eventType: 'cloud-incident',
          at: notice.modifiedAt,
          orgId: notice.orgId,
          ...(change.new.productLine ? { productLine: change.new.productLine } : {}),
          notice,
        },
      ];
    }
    case 'maintenance': {
      // One event per organisation the alert names: each has its own subscribers.
      const old = change.old;
      return change.new.orgIds.flatMap((orgId) => {
        const notice = maintenanceNotice(change.new, orgId);
        const before = old && old.orgIds.includes(orgId) ? maintenanceNotice(old, orgId) : undefined;
        if (!changed(before, notice)) return [];
        return [{ eventId: noticeEventId(notice), eventType: 'maintenance' as const, at: notice.modifiedAt, orgId, notice }];
      });
    }
  }
};

/** The events a change means; most changes (a touch, a session, a ledger item) mean none. */
export const deriveEvents = (change: TableChange): NotificationEvent[] => {
  switch (change.kind) {
    case 'case':
      if (change.change === 'insert') return fromCase(undefined, change.new);
      // Without the old image nothing can be compared (the stream must be NEW_AND_OLD_IMAGES).
      return change.old ? fromCase(change.old, change.new) : [];
    case 'update': {
      const u = change.new;
      // Internal notes are for staff only: they are no event anyone outside support hears of.
      if (u.visibility !== 'public') return [];
      return [
        {
          eventId: `public-update#${u.caseNumber}#${u.updateId}`,
          eventType: 'public-update',
          at: u.createdAt,
          caseNumber: u.caseNumber,
          updateId: u.updateId,
          authorKind: u.authorKind,
          update: u,
        },
      ];
    }
    case 'orgEvent': {
      const e = change.new;
      // CHAT-1: the event names the case only; the notifier reads it (needsCase) for owner and group.
      if (e.type === 'chat-waiting' && e.caseNumber && e.chatId) {
        return [{ eventId: `chat-waiting#${e.chatId}`, eventType: 'chat-waiting', at: e.at, caseNumber: e.caseNumber }];
      }
      if (e.type !== 'designated-shortfall') return [];
      return [
        {
          eventId: `designated-shortfall#${e.orgId}#${e.eventId}`,
          eventType: 'designated-shortfall',
          at: e.at,
          orgId: e.orgId,
          designatedContacts: e.designatedContacts,
          ...(e.approvers ? { approvers: e.approvers } : {}),
        },
      ];
    }
    case 'alarm':
    case 'incident':
    case 'maintenance':
      return fromMonitoring(change);
    default:
      return [];
  }
};

/** An update's event names its case but not the organisation: the notifier reads the case for it. */
export const needsCase = (e: NotificationEvent): boolean => e.caseNumber !== undefined && e.orgId === undefined;

export const withCase = (e: NotificationEvent, c: Case): NotificationEvent => ({ ...caseFields(c), ...e, case: c });
