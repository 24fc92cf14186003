/**
 * What leaves Casework for a given caller: every view of a case, an update or an audit event is
 * built here, by one function, `viewFor` (PRIV-1, CASE-6).
 *
 * Callers with `restricted` access (staff working from the US, or from an unknown region, on an
 * EU/EEA organisation's case) get only the fields named in that kind's allow-list. A field that
 * is not named, including any field added to a record later, never reaches them: adding a field
 * to a restricted view is a deliberate edit of its allow-list, never an omission to remember.
 * Free text (subjects, descriptions, bodies, reasons, comments, sub-statuses, audit details),
 * people (names, e-mail addresses, phones, user ids of the customer's people) and attachment names
 * are personal data for this purpose.
 */
import type { CaseAccess } from './policy';
import type { Alarm, CloudIncident, MaintenanceAlert } from '../monitoring/ports';
import type { MonitoringNotice, NotificationEvent } from '../notifications/notifications';
import type { Device, InboxItem } from '../notifications/ports';
import type { InboundRecord, CaseMail } from '../mail/ports';
import type { ShortfallView } from '../access/ports';
import type { AccessRequest, Attachment, AuditEvent, Case, CaseAttachment, CaseUpdate, Escalation, Level, Org } from './types';

/** An organisation as GET /accounts shows it, with the caller's own level and subscription. */
export interface AccountRecord extends Org {
  /** The caller's effective level on it (customers only). */
  level?: Level;
  /** The caller's own choice of categories (NOTE-2), on GET /accounts/{orgId} for Designated Contacts. */
  subscription?: { newEscalations: boolean; newCritical: boolean; newHigh: boolean; cloudIncidents: boolean };
}

/** A file with the short-lived link that downloads it. */
export interface AttachmentDownload extends CaseAttachment {
  downloadUrl: string;
  expiresAt: string;
}

/** One favorite of GET /favorites (LIST-5) with what it points at, if the caller may still see it. */
export interface FavoriteRecord {
  kind: 'case' | 'account';
  id: string;
  createdAt: string;
  /** False when the caller may no longer see what it points at: it can still be removed. */
  available: boolean;
  case?: Case;
  account?: AccountRecord;
}

/** Every kind of view and the record it is built from. A new kind (favorites, notifications,
 * chat, mail log...) is a line here and an entry in VIEWS, which the compiler then demands. */
export interface ViewKinds {
  /** One case: GET /cases/{n} and the answers of the routes that change a case. */
  case: Case;
  /** A row of GET /cases. */
  caseRow: Case;
  /** A case found by GET /search (by number or by organisation name). */
  searchHit: Case;
  escalation: Escalation;
  closureRequest: NonNullable<Case['closureRequest']>;
  /** One update: GET /cases/{n}/updates/{id} and the answer to posting one. */
  update: CaseUpdate;
  /** A row of GET /cases/{n}/updates. */
  updateRow: CaseUpdate;
  attachment: Attachment;
  /** A file of the case: a row of GET /cases/{n}/attachments and the answer to an upload (MAIL-2, CASE-6). */
  caseAttachment: CaseAttachment;
  /** GET /cases/{n}/attachments/{id}: the file with its presigned download link. */
  attachmentDownload: AttachmentDownload;
  /** An event of GET /cases/{n}/history (CASE-9). */
  historyEvent: AuditEvent;
  /** A row of GET /admin/inbound-mail (MAIL-4): the sender and subject are personal data. */
  inboundMail: InboundRecord;
  /** An organisation: GET /accounts rows and GET /accounts/{orgId}. */
  account: AccountRecord;
  /** A row of GET /favorites and the answer to adding one (LIST-5). */
  favorite: FavoriteRecord;
  /** A domain event as it leaves for integrations (the SNS topic, NOTE-1): always restricted. */
  notification: NotificationEvent;
  /** What an alarm, incident or maintenance event says of its record (ALARM-1, ALARM-2). */
  notice: MonitoringNotice;
  /** A row of GET /accounts/{orgId}/alarms (ALARM-1). */
  alarm: Alarm;
  /** A row of GET /accounts/{orgId}/incidents (ALARM-2). */
  incident: CloudIncident;
  /** A row of GET /accounts/{orgId}/maintenance (ALARM-2), with its window. */
  maintenance: MaintenanceAlert;
  /** A row of GET /notifications and the text of a push (NOTE-1, NOTE-3), for its recipient. */
  inboxItem: InboxItem;
  /** A registered push device (POST /devices): its id and platform, never its token or endpoint. */
  device: Device;
  /** An access request (ACC-6): to its requester, its approvers and portal admins. */
  accessRequest: AccessRequest;
  /** A row of GET /admin/orgs/shortfall (ACC-5): approvers are the customer's people. */
  shortfall: ShortfallView;
  /** A row of GET /cases/{n}/mail: what became of one mail of the case, for staff. */
  caseMail: CaseMail;
}
export type ViewKind = keyof ViewKinds;

/**
 * How one allowed field reaches a restricted caller: as is; through the allow-list of another
 * kind (each element, for an array); or as a function of the whole record decides (undefined
 * drops the field).
 */
export type FieldRule<T> = 'keep' | { view: ViewKind } | ((value: unknown, whole: T) => unknown);

/** The fields a restricted caller sees, in the order they appear in the JSON. */
export type AllowList<T> = { readonly [F in keyof T]?: FieldRule<T> };

interface ViewSpec<T> {
  restricted: AllowList<T>;
  /** What callers with full access see (default: the record as is). */
  full?: (value: T) => T;
  /** What customers (`read`, `write`) see of the full view: staff-only fields removed. */
  customer?: (value: T) => T;
  /** Top-level views say they were restricted, so a client can tell a gap from an empty field. */
  marked: boolean;
}

/** Customer people are personal data; vendor staff and the system are not the customer's. */
const unlessCustomer =
  (kindField: 'authorKind' | 'actorKind' | 'uploaderKind') =>
  (value: unknown, whole: unknown): unknown =>
    (whole as Record<string, unknown>)[kindField] === 'customer' ? undefined : value;

export const CASE_RESTRICTED = {
  caseNumber: 'keep',
  referenceId: 'keep',
  kind: 'keep',
  severity: 'keep',
  status: 'keep',
  needsAction: 'keep',
  needsActionSince: 'keep',
  orgId: 'keep',
  // An organisation, not a person: US staff find EU cases by it (LIST-4).
  orgName: 'keep',
  soldToOrgId: 'keep',
  productLine: 'keep',
  supportGroup: 'keep',
  // A vendor staff member's id and display name: the vendor's people, not the customer's (PRIV-1).
  ownerId: 'keep',
  ownerName: 'keep',
  escalated: 'keep',
  escalation: { view: 'escalation' },
  closureRequest: { view: 'closureRequest' },
  createdAt: 'keep',
  updatedAt: 'keep',
  version: 'keep',
} as const satisfies AllowList<Case>;

export const ESCALATION_RESTRICTED = {
  status: 'keep',
  requestedAt: 'keep',
  decidedAt: 'keep',
} as const satisfies AllowList<Escalation>;

export const CLOSURE_REQUEST_RESTRICTED = {
  requestedAt: 'keep',
} as const satisfies AllowList<NonNullable<Case['closureRequest']>>;

export const UPDATE_RESTRICTED = {
  updateId: 'keep',
  caseNumber: 'keep',
  authorId: unlessCustomer('authorKind'),
  authorName: unlessCustomer('authorKind'),
  authorKind: 'keep',
  channel: 'keep',
  visibility: 'keep',
  attachments: { view: 'attachment' },
  createdAt: 'keep',
  textQuality: 'keep',
} as const satisfies AllowList<CaseUpdate>;

/** An attachment's name is personal data (it is whatever the customer called the file). */
export const ATTACHMENT_RESTRICTED = {
  attachmentId: 'keep',
  contentType: 'keep',
  size: 'keep',
} as const satisfies AllowList<Attachment>;

/**
 * A file of a case: its name and its contents are personal data (PRIV-1), so a restricted caller
 * sees that it exists, its type, size and status, and gets no link. Where it is kept (`key`)
 * leaves for nobody.
 */
export const CASE_ATTACHMENT_RESTRICTED = {
  attachmentId: 'keep',
  caseNumber: 'keep',
  contentType: 'keep',
  size: 'keep',
  visibility: 'keep',
  source: 'keep',
  updateId: 'keep',
  uploaderId: unlessCustomer('uploaderKind'),
  uploaderName: unlessCustomer('uploaderKind'),
  uploaderKind: 'keep',
  status: 'keep',
  reason: 'keep',
  createdAt: 'keep',
  checkedAt: 'keep',
} as const satisfies AllowList<CaseAttachment>;
const CASE_ATTACHMENT_FULL = {
  ...CASE_ATTACHMENT_RESTRICTED,
  fileName: 'keep',
  uploaderId: 'keep',
  uploaderName: 'keep',
} as const satisfies AllowList<CaseAttachment>;
export const ATTACHMENT_DOWNLOAD_RESTRICTED = CASE_ATTACHMENT_RESTRICTED satisfies AllowList<AttachmentDownload>;
const ATTACHMENT_DOWNLOAD_FULL = {
  ...CASE_ATTACHMENT_FULL,
  downloadUrl: 'keep',
  expiresAt: 'keep',
} as const satisfies AllowList<AttachmentDownload>;

/** Audited fields whose from and to carry no personal data; any other field shows only its name. */
export const HISTORY_VALUES_SHOWN: readonly string[] = [
  'status',
  'severity',
  'ownerId',
  'supportGroup',
  'needsAction',
  'escalated',
  'escalation',
  'closureRequest',
];

const valueOfNonPersonalField = (value: unknown, e: AuditEvent): unknown =>
  e.field !== undefined && HISTORY_VALUES_SHOWN.includes(e.field) ? value : undefined;

export const HISTORY_EVENT_RESTRICTED = {
  eventId: 'keep',
  caseNumber: 'keep',
  at: 'keep',
  actorId: unlessCustomer('actorKind'),
  actorName: unlessCustomer('actorKind'),
  actorKind: 'keep',
  action: 'keep',
  field: 'keep',
  from: valueOfNonPersonalField,
  to: valueOfNonPersonalField,
  fromName: valueOfNonPersonalField,
  toName: valueOfNonPersonalField,
} as const satisfies AllowList<AuditEvent>;

export const INBOUND_MAIL_RESTRICTED = {
  transportId: 'keep',
  receivedAt: 'keep',
  size: 'keep',
  outcome: 'keep',
  reason: 'keep',
  caseNumber: 'keep',
  updateId: 'keep',
  of: 'keep',
  replied: 'keep',
  rawKey: 'keep',
} as const satisfies AllowList<InboundRecord>;
/**
 * An organisation is not a person: US staff see EU/EEA organisations whole. The list is still an
 * allow-list, for everyone: fields added to organisation items later (contracts, contacts) do not
 * reach any caller until named here.
 */
export const ACCOUNT_RESTRICTED = {
  orgId: 'keep',
  name: 'keep',
  type: 'keep',
  region: 'keep',
  timeZone: 'keep',
  gdpr: 'keep',
  fedramp: 'keep',
  alarmMonitoring: 'keep',
  deployments: 'keep',
  managedBy: 'keep',
  level: 'keep',
  subscription: 'keep',
} as const satisfies AllowList<AccountRecord>;

/**
 * ACC-6: what anyone is shown of an access request. An allow-list for every caller: the code's
 * hash, the attempt count and the idempotency hash never leave.
 */
export const ACCESS_REQUEST_SHOWN = {
  requestId: 'keep',
  email: 'keep',
  name: 'keep',
  level: 'keep',
  orgId: 'keep',
  orgName: 'keep',
  combinations: 'keep',
  decidingOrgId: 'keep',
  status: 'keep',
  createdAt: 'keep',
  codeExpiresAt: 'keep',
  confirmedAt: 'keep',
  caseNumber: 'keep',
  decision: (d: unknown) => {
    const { requestHash: _h, ...shown } = d as NonNullable<AccessRequest['decision']>;
    return shown;
  },
  userId: 'keep',
  overdueFlaggedAt: 'keep',
} as const satisfies AllowList<AccessRequest>;

/** PRIV-1: US staff see that a request of an EU/EEA organisation exists, not who asked or why. */
export const ACCESS_REQUEST_RESTRICTED = {
  requestId: 'keep',
  level: 'keep',
  orgId: 'keep',
  orgName: 'keep',
  combinations: 'keep',
  decidingOrgId: 'keep',
  status: 'keep',
  createdAt: 'keep',
  confirmedAt: 'keep',
  caseNumber: 'keep',
  decision: (d: unknown) => {
    const { approve, decidedAt } = d as NonNullable<AccessRequest['decision']>;
    return { approve, decidedAt };
  },
  overdueFlaggedAt: 'keep',
} as const satisfies AllowList<AccessRequest>;

/** PRIV-1: US staff see that an EU/EEA organisation is short of contacts, not who its approvers are. */
export const SHORTFALL_RESTRICTED = {
  orgId: 'keep',
  orgName: 'keep',
  designatedContacts: 'keep',
  required: 'keep',
} as const satisfies AllowList<ShortfallView>;

/**
 * A mail of the case as staff see it: ids, enums, counts and times, never the text,
 * the address or the transport's error message. The recipient's user id is a customer person's:
 * not for restricted staff (PRIV-1).
 */
export const CASE_MAIL_RESTRICTED = {
  mailId: 'keep',
  kind: 'keep',
  status: 'keep',
  reason: 'keep',
  attempts: 'keep',
  lastAttemptAt: 'keep',
  lastErrorClass: 'keep',
} as const satisfies AllowList<CaseMail>;
const CASE_MAIL_FULL = { ...CASE_MAIL_RESTRICTED, recipientId: 'keep' } as const satisfies AllowList<CaseMail>;

/** A restricted favorite of a case shows the case as a restricted row: no subject (PRIV-1). */
export const FAVORITE_RESTRICTED = {
  kind: 'keep',
  id: 'keep',
  createdAt: 'keep',
  available: 'keep',
  case: { view: 'caseRow' },
  account: { view: 'account' },
} as const satisfies AllowList<FavoriteRecord>;

const pick = <T>(value: T, allowed: AllowList<T>): T => {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(allowed)) {
    const v = (value as Record<string, unknown>)[field];
    if (v !== undefined) out[field] = v;
  }
  return out as T;
};

/**
 * PRIV-1: integration messages carry ids, enums and times only. Whoever subscribes to the topic
 * is not a person the policy can check, and one topic carries every organisation's events, so
 * the message is the restricted view for every organisation, EU/EEA or not: no subject, text,
 * name, address or customer user id, and not the case or update images the event was built
 * from. `from`/`to` are status and severity values; the Reference ID is left out (it routes
 * mail to the case, so it has no business outside Casework).
 */
export const NOTIFICATION_RESTRICTED = {
  eventId: 'keep',
  eventType: 'keep',
  at: 'keep',
  orgId: 'keep',
  soldToOrgId: 'keep',
  caseNumber: 'keep',
  severity: 'keep',
  status: 'keep',
  productLine: 'keep',
  from: 'keep',
  to: 'keep',
  updateId: 'keep',
  authorKind: 'keep',
  escalationStatus: 'keep',
  designatedContacts: 'keep',
  waitingSince: 'keep',
  notice: { view: 'notice' },
} as const satisfies AllowList<NotificationEvent>;

/**
 * ALARM-1, ALARM-2 in integration messages: ids, enums and times. The title (an alarm's
 * description, an incident's or maintenance alert's title) is free text and stays in Casework.
 */
export const NOTICE_RESTRICTED = {
  kind: 'keep',
  id: 'keep',
  orgId: 'keep',
  status: 'keep',
  modifiedAt: 'keep',
  alarmSeverity: 'keep',
  origin: 'keep',
  window: 'keep',
} as const satisfies AllowList<MonitoringNotice>;

/**
 * ALARM-1: an alarm row. Restricted callers (PRIV-1) do not see the description, which is free
 * text; everyone else sees the named fields, and nothing stored beside them.
 */
export const ALARM_RESTRICTED = {
  id: 'keep',
  orgId: 'keep',
  severity: 'keep',
  status: 'keep',
  server: 'keep',
  appName: 'keep',
  origin: 'keep',
  modifiedAt: 'keep',
  receivedAt: 'keep',
} as const satisfies AllowList<Alarm>;
const ALARM_FIELDS = { ...ALARM_RESTRICTED, description: 'keep' } as const satisfies AllowList<Alarm>;

/** ALARM-2: the title is free text (PRIV-1); ids, statuses, product lines and times are not. */
export const INCIDENT_RESTRICTED = {
  id: 'keep',
  orgId: 'keep',
  status: 'keep',
  productLine: 'keep',
  modifiedAt: 'keep',
  receivedAt: 'keep',
} as const satisfies AllowList<CloudIncident>;
const INCIDENT_FIELDS = { ...INCIDENT_RESTRICTED, title: 'keep' } as const satisfies AllowList<CloudIncident>;

export const MAINTENANCE_RESTRICTED = {
  id: 'keep',
  orgIds: 'keep',
  status: 'keep',
  window: 'keep',
  modifiedAt: 'keep',
  receivedAt: 'keep',
} as const satisfies AllowList<MaintenanceAlert>;
const MAINTENANCE_FIELDS = { ...MAINTENANCE_RESTRICTED, title: 'keep' } as const satisfies AllowList<MaintenanceAlert>;

/**
 * An inbox item's title names case numbers, severities, statuses and organisations only; its
 * body may carry the case's subject or an alarm's text. The recipient, the FedRAMP flag and the
 * expiry are bookkeeping and leave for nobody (full views pick the same fields plus the body).
 */
export const INBOX_ITEM_RESTRICTED = {
  notificationId: 'keep',
  eventType: 'keep',
  at: 'keep',
  orgId: 'keep',
  caseNumber: 'keep',
  severity: 'keep',
  title: 'keep',
} as const satisfies AllowList<InboxItem>;

const INBOX_ITEM_FULL = { ...INBOX_ITEM_RESTRICTED, body: 'keep' } as const satisfies AllowList<InboxItem>;

/** Never the token (it addresses the phone) nor the SNS endpoint: the app knows its device by id. */
export const DEVICE_RESTRICTED = {
  deviceId: 'keep',
  platform: 'keep',
  createdAt: 'keep',
} as const satisfies AllowList<Device>;

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
  'ownerName',
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

const fullCase = (c: Case): Case => {
  const out: Record<string, unknown> = {};
  for (const k of CASE_FIELD_ORDER) if (c[k] !== undefined) out[k] = c[k];
  for (const [k, v] of Object.entries(c)) if (!(k in out)) out[k] = v;
  // waitingSince is bookkeeping for the sweep, not part of the contract.
  delete out.waitingSince;
  delete out.changedBy;
  return out as unknown as Case;
};

/** The allow-list of every kind of view: what later views (favorites, notifications...) reuse. */
export const RESTRICTED = {
  case: CASE_RESTRICTED,
  caseRow: CASE_RESTRICTED,
  searchHit: CASE_RESTRICTED,
  escalation: ESCALATION_RESTRICTED,
  closureRequest: CLOSURE_REQUEST_RESTRICTED,
  update: UPDATE_RESTRICTED,
  updateRow: UPDATE_RESTRICTED,
  attachment: ATTACHMENT_RESTRICTED,
  caseAttachment: CASE_ATTACHMENT_RESTRICTED,
  attachmentDownload: ATTACHMENT_DOWNLOAD_RESTRICTED,
  historyEvent: HISTORY_EVENT_RESTRICTED,
  inboundMail: INBOUND_MAIL_RESTRICTED,
  account: ACCOUNT_RESTRICTED,
  favorite: FAVORITE_RESTRICTED,
  notification: NOTIFICATION_RESTRICTED,
  notice: NOTICE_RESTRICTED,
  alarm: ALARM_RESTRICTED,
  incident: INCIDENT_RESTRICTED,
  maintenance: MAINTENANCE_RESTRICTED,
  inboxItem: INBOX_ITEM_RESTRICTED,
  device: DEVICE_RESTRICTED,
  accessRequest: ACCESS_REQUEST_RESTRICTED,
  shortfall: SHORTFALL_RESTRICTED,
  caseMail: CASE_MAIL_RESTRICTED,
} as const satisfies { readonly [K in ViewKind]: AllowList<ViewKinds[K]> };

/** `euData` is how the list decides access; it is not part of the row. */
const inboundRow = (r: InboundRecord): InboundRecord => {
  const { euData: _eu, ...rest } = r;
  return rest as InboundRecord;
};

/**
 * Where the raw message is kept (`rawKey`, attachments' `key`: S3 keys) is
 * Casework's business, not the customer's; a customer's list row carries no text as received
 * (`fullText`) either.
 */
const customerUpdate = (u: CaseUpdate): CaseUpdate => {
  const { rawKey: _r, ...rest } = u;
  return { ...rest, attachments: (u.attachments ?? []).map(({ key: _k, ...a }) => a) } as CaseUpdate;
};
const customerUpdateRow = (u: CaseUpdate): CaseUpdate => {
  const { fullText: _f, ...rest } = customerUpdate(u);
  return rest as CaseUpdate;
};

/** CASE-6: email updates list by subject; the full text is fetched on demand. */
const updateRow = (u: CaseUpdate): CaseUpdate => {
  if (u.channel !== 'email') return u;
  const { body: _b, fullText: _f, ...rest } = u;
  return rest as CaseUpdate;
};

const VIEWS: { readonly [K in ViewKind]: ViewSpec<ViewKinds[K]> } = {
  case: { restricted: RESTRICTED.case, full: fullCase, marked: true },
  caseRow: { restricted: RESTRICTED.caseRow, full: fullCase, marked: true },
  searchHit: { restricted: RESTRICTED.searchHit, full: fullCase, marked: true },
  escalation: { restricted: RESTRICTED.escalation, marked: false },
  closureRequest: { restricted: RESTRICTED.closureRequest, marked: false },
  update: { restricted: RESTRICTED.update, customer: customerUpdate, marked: true },
  updateRow: { restricted: RESTRICTED.updateRow, full: updateRow, customer: customerUpdateRow, marked: true },
  attachment: { restricted: RESTRICTED.attachment, marked: false },
  caseAttachment: { restricted: RESTRICTED.caseAttachment, full: (a) => pick(a, CASE_ATTACHMENT_FULL), marked: true },
  attachmentDownload: {
    restricted: RESTRICTED.attachmentDownload,
    full: (a) => pick(a, ATTACHMENT_DOWNLOAD_FULL),
    marked: true,
  },
  historyEvent: { restricted: RESTRICTED.historyEvent, marked: true },
  inboundMail: { restricted: RESTRICTED.inboundMail, full: inboundRow, marked: true },
  account: { restricted: RESTRICTED.account, full: (a) => pick(a, ACCOUNT_RESTRICTED), marked: true },
  favorite: {
    restricted: RESTRICTED.favorite,
    full: (f) => ({
      ...pick(f, FAVORITE_RESTRICTED),
      ...(f.case ? { case: fullCase(f.case) } : {}),
      ...(f.account ? { account: pick(f.account, ACCOUNT_RESTRICTED) } : {}),
    }),
    marked: false,
  },
  // Integration messages are always this view, so a marker would say nothing.
  notification: { restricted: RESTRICTED.notification, marked: false },
  notice: { restricted: RESTRICTED.notice, marked: false },
  alarm: { restricted: RESTRICTED.alarm, full: (a) => pick(a, ALARM_FIELDS), marked: true },
  incident: { restricted: RESTRICTED.incident, full: (i) => pick(i, INCIDENT_FIELDS), marked: true },
  maintenance: { restricted: RESTRICTED.maintenance, full: (m) => pick(m, MAINTENANCE_FIELDS), marked: true },
  inboxItem: { restricted: RESTRICTED.inboxItem, full: (i) => pick(i, INBOX_ITEM_FULL), marked: true },
  device: { restricted: RESTRICTED.device, full: (d) => pick(d, DEVICE_RESTRICTED), marked: false },
  shortfall: { restricted: RESTRICTED.shortfall, marked: true },
  caseMail: { restricted: RESTRICTED.caseMail, full: (m) => pick(m, CASE_MAIL_FULL), marked: true },
  accessRequest: {
    restricted: RESTRICTED.accessRequest,
    full: (r) => {
      const out: Record<string, unknown> = {};
      for (const [field, rule] of Object.entries(ACCESS_REQUEST_SHOWN) as [keyof AccessRequest, FieldRule<AccessRequest>][]) {
        const v = r[field];
        if (v === undefined) continue;
        out[field] = rule === 'keep' ? v : (rule as (value: unknown, whole: AccessRequest) => unknown)(v, r);
      }
      return out as unknown as AccessRequest;
    },
    marked: true,
  },
};

const isRecord = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

const applyRule = (rule: FieldRule<unknown>, value: unknown, whole: unknown): unknown => {
  if (rule === 'keep') return value;
  if (typeof rule === 'function') return rule(value, whole);
  // Anything but a record cannot go through an allow-list of fields: it does not leave.
  if (Array.isArray(value)) return value.filter(isRecord).map((v) => restrictedView(rule.view, v as never));
  return isRecord(value) ? restrictedView(rule.view, value as never) : undefined;
};

/** The record as a restricted caller sees it: the kind's allow-list, and nothing else. */
export const restrictedView = <K extends ViewKind>(kind: K, value: ViewKinds[K]): View<K> => {
  const spec = VIEWS[kind] as ViewSpec<unknown>;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(spec.restricted) as [string, FieldRule<unknown>][]) {
    if (!Object.hasOwn(source, field) || source[field] === undefined) continue;
    const shown = applyRule(rule, source[field], value);
    if (shown !== undefined) out[field] = shown;
  }
  if (spec.marked) out.restricted = true;
  return out as View<K>;
};

/** The one function that decides what a caller with `access` sees of a record of kind `kind`. */
export const viewFor = <K extends ViewKind>(kind: K, value: ViewKinds[K], access: CaseAccess): View<K> => {
  if (access === 'restricted') return restrictedView(kind, value);
  // `none` never reaches a view (PRIV-3 answers 404 first); should it, it gets the least.
  if (access === 'none') return restrictedView(kind, value);
  const spec = VIEWS[kind] as ViewSpec<ViewKinds[K]>;
  const shown = spec.full ? spec.full(value) : value;
  return (spec.customer && (access === 'read' || access === 'write') ? spec.customer(shown) : shown) as unknown as View<K>;
};

type RequiredKeys<T> = { [F in keyof T]-?: object extends Pick<T, F> ? never : F }[keyof T];
type KeptKeys<A> = { [F in keyof A]-?: A[F] extends 'keep' ? F : never }[keyof A];
type Partly<V> = V extends readonly (infer E)[] ? Partial<E>[] : V extends object ? Partial<V> : V;

declare const VIEWED: unique symbol;
/**
 * The mark of a value built by viewFor (or restrictedView) for a resolved access. Type-level only
 * (no such property exists at runtime): a raw record lacks it, so an HTTP answer that must be made
 * of views (lambdas/http/route-def.ts, SuccessBodyOf) cannot be a raw domain object.
 */
export interface Viewed {
  readonly [VIEWED]: true;
}

/** What any caller may rely on: the required fields every view keeps as they are; the rest may be missing. */
export type View<
  K extends ViewKind,
  T = ViewKinds[K],
  Always extends keyof T = RequiredKeys<T> & KeptKeys<(typeof RESTRICTED)[K]>,
> = Pick<T, Always> & { [F in Exclude<keyof T, Always>]?: Partly<T[F]> } & { restricted?: boolean } & Viewed;

export type CaseView = View<'case'>;
export type UpdateView = View<'update'>;
export type HistoryEventView = View<'historyEvent'>;

/** A case as `access` sees it. */
export const viewCase = (c: Case, access: CaseAccess): CaseView => viewFor('case', c, access);

/** An update as `access` sees it: a row of the list (`list`) or the whole update (`full`). */
export const viewUpdate = (u: CaseUpdate, access: CaseAccess, mode: 'list' | 'full'): UpdateView =>
  mode === 'list' ? viewFor('updateRow', u, access) : viewFor('update', u, access);
