/** The domain's vocabulary. Pure types: no AWS, no HTTP. */

export const LEVELS = ['basic', 'read_only', 'designated'] as const;
export type Level = (typeof LEVELS)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['new', 'open', 'awaiting_info', 'solution_proposed', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const CASE_KINDS = ['support', 'admin', 'feature_request'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CHANNELS = ['portal', 'mobile', 'email', 'chat', 'phone', 'system'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Where a staff member works from: a closed set (PRIV-1). */
export const REGIONS = ['US', 'EU'] as const;
export type Region = (typeof REGIONS)[number];

/** A stored region as one of REGIONS, exactly; anything else ('us', 'US-East', '') is unknown. */
export const parseRegion = (value: unknown): Region | undefined => REGIONS.find((r) => r === value);

export type Visibility = 'public' | 'internal';
export type Hosting = 'cloud' | 'on_premises';
export type OrgType = 'customer' | 'partner' | 'vendor';
export type StaffRole = 'analyst' | 'manager' | 'admin';
export type Client = 'web' | 'mobile' | 'machine';

export interface Deployment {
  productLine: string;
  hosting: Hosting;
}

export interface Org {
  orgId: string;
  name: string;
  type: OrgType;
  /** Work region of the customer record (drives time zone and data residency). */
  region: string;
  timeZone: string;
  gdpr: boolean;
  fedramp: boolean;
  alarmMonitoring: boolean;
  deployments: Deployment[];
  /** For an end user sold through a partner: the partner's Org ID (ACC-7). */
  managedBy?: string;
  /** The CRM's modified time of this record (ACC-1): an ingest replaces it only with a later one. */
  modifiedAt?: string;
}

export const CONTRACT_STATUSES = ['active', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export interface Contract {
  contractId: string;
  status: ContractStatus;
  /** When its status was last set (by the CRM's ingest, or a portal admin): a later change wins. */
  modifiedAt?: string;
}

/** An end-user organisation and the organisation that sold it (ACC-1), with its contracts. */
export interface Combination {
  endUserOrgId: string;
  soldToOrgId: string;
  contracts: Contract[];
  /** The CRM's modified time of the combination itself (ACC-1). */
  modifiedAt?: string;
}

export interface Membership {
  userId: string;
  /** The end-user organisation (or the partner itself for a partner's own membership). */
  orgId: string;
  soldToOrgId: string;
  level: Level;
  /** `partner`: held by a partner's contact on behalf of an end user it manages. */
  via: 'direct' | 'partner';
  partnerOrgId?: string;
  approver?: boolean;
}

export interface StaffProfile {
  role: StaffRole;
  /** As stored in the directory; the policy reads it through parseRegion and fails closed. */
  region: string;
  supportGroups: string[];
}

/** NOTE-2: which alarms a user wants notified (ALARM-1 severities; `all` takes every one). */
export const ALARM_SEVERITY_FILTERS = ['all', 'critical', 'major', 'minor'] as const;
export type AlarmSeverityFilter = (typeof ALARM_SEVERITY_FILTERS)[number];

export interface AlarmFilter {
  severity: AlarmSeverityFilter;
  /** Origins (monitored servers' sources) whose alarms are left out. */
  excludeOrigins: string[];
}

/** NOTE-2, NOTE-4: the user's own notification toggles; a missing toggle reads as its default. */
export const NOTIFICATION_TOGGLES = ['personalCases', 'alarms', 'maintenance', 'email', 'push'] as const;
export type NotificationToggle = (typeof NOTIFICATION_TOGGLES)[number];

export interface UserSettings {
  defaultList: 'all' | 'mine';
  notifications: Partial<Record<NotificationToggle, boolean>>;
  /** Set once the user has chosen an alarm filter; until then alarms are filtered as ALARM_FILTER_DEFAULT. */
  alarms?: AlarmFilter;
}

export interface User {
  userId: string;
  email: string;
  name: string;
  timeZone: string;
  staff?: StaffProfile;
  termsVersion?: string;
  settings: UserSettings;
  /** Always-reachable phone, recorded for critical cases (CASE-3). */
  phone?: string;
}

export interface Case {
  caseNumber: string;
  referenceId: string;
  kind: CaseKind;
  subject: string;
  description: string;
  severity: Severity;
  status: Status;
  subStatus?: string;
  orgId: string;
  soldToOrgId: string;
  orgName: string;
  productLine: string;
  supportGroup: string;
  ownerId?: string;
  /** CASE-5: the owner's display name, kept with ownerId (vendor staff: not personal data under PRIV-1). */
  ownerName?: string;
  contactId: string;
  contactName: string;
  contactEmail: string;
  /** Always-reachable phone of the contact, required for critical cases (CASE-3). */
  contactPhone?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  needsAction: boolean;
  needsActionSince?: string;
  /** When support began waiting on the customer (awaiting_info / solution_proposed). */
  waitingSince?: string;
  /** CASE-7: the latest escalation request and its decision. */
  escalation?: Escalation;
  escalated?: boolean;
  /** CASE-7: a Designated Contact asked to close; staff accept or decline (closure-request/decision), or close with PATCH. */
  closureRequest?: { requestedBy: string; requestedAt: string };
  /** CHAT-2: the number a customer left when no analyst answered a chat (personal data, PRIV-1). */
  callbackPhone?: string;
  callbackRequestedAt?: string;
  /**
   * Who made the change this version records (bookkeeping, never shown): the notifier does not
   * tell the actor of their own action.
   */
  changedBy?: string;
}

export interface Escalation {
  status: 'requested' | 'accepted' | 'declined';
  reason: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
}

/** CASE-9: one change to a case, with who, when, from and to. */
export interface AuditEvent {
  caseNumber: string;
  eventId: string;
  at: string;
  actorId: string;
  actorName: string;
  actorKind: 'customer' | 'staff' | 'system';
  action: string;
  field?: string;
  from?: unknown;
  to?: unknown;
  /** CASE-9: for an owner change, the display names of the staff members `from` and `to` name. */
  fromName?: string;
  toName?: string;
  detail?: string;
}

export interface Attachment {
  name: string;
  contentType: string;
  size: number;
  key?: string;
  /** A stored attachment (lambdas/domain/cases/attachments.ts): downloadable by this id. */
  attachmentId?: string;
}

/**
 * A file of a case (MAIL-2, CASE-6): uploaded through a presigned URL, or kept from an inbound
 * mail. `pending` until the stored object has passed the checks (its size and its first bytes
 * against the declared type), then `available`, else `quarantined` with the reason; no malware
 * scanner runs here (docs/attachments.md says what a deployment plugs in).
 */
export interface CaseAttachment {
  caseNumber: string;
  attachmentId: string;
  fileName: string;
  contentType: string;
  size: number;
  /** The visibility of the update it belongs to; an upload is public unless staff made it internal. */
  visibility: Visibility;
  source: 'upload' | 'email';
  /** The update it came with (email). */
  updateId?: string;
  uploaderId: string;
  uploaderName: string;
  uploaderKind: 'customer' | 'staff';
  status: 'pending' | 'available' | 'quarantined';
  reason?: string;
  /** Where the object is kept (the attachments bucket); Casework's business, never shown. */
  key: string;
  createdAt: string;
  checkedAt?: string;
}

export interface CaseUpdate {
  caseNumber: string;
  updateId: string;
  authorId: string;
  authorName: string;
  authorKind: 'customer' | 'staff' | 'system';
  channel: Channel;
  visibility: Visibility;
  subject?: string;
  body: string;
  attachments: Attachment[];
  createdAt: string;
  /** Email updates (MAIL-2): the whole text as received, and where the raw message is kept. */
  fullText?: string;
  rawKey?: string;
  /**
   * MAIL-2: `whole` when no new text could be told from the quoted history, so `body` is the
   * whole text as received (the portal shows it collapsed). Absent: history and signature stripped.
   */
  textQuality?: 'whole';
}

/** Something that happened to an organisation; the table stream delivers it (ACC-5). */
export interface OrgEvent {
  orgId: string;
  eventId: string;
  at: string;
  /**
   * `chat-waiting` (CHAT-1, NOTE-1): a chat on `caseNumber` is queued with no analyst.
   * `contract-status-changed` (ACC-4): a contract of one of the organisation's combinations was
   * terminated or reinstated; the levels it gates follow from the combination itself.
   */
  type: 'membership-level-changed' | 'designated-shortfall' | 'chat-waiting' | 'contract-status-changed';
  actorId: string;
  caseNumber?: string;
  chatId?: string;
  userId?: string;
  from?: Level;
  to?: Level;
  designatedContacts?: number;
  approvers?: string[];
  /** contract-status-changed: which contract, of which combination, from and to. */
  contract?: { contractId: string; soldToOrgId: string; from: ContractStatus; to: ContractStatus };
}

/** ACC-6: an access request's life: mailed a code, confirmed (pending approval), decided. */
export const ACCESS_REQUEST_STATUSES = ['unconfirmed', 'pending', 'approved', 'rejected'] as const;
export type AccessRequestStatus = (typeof ACCESS_REQUEST_STATUSES)[number];

export interface AccessRequest {
  requestId: string;
  /** Lower-cased; proven by the one-time code before anything goes to approvers. */
  email: string;
  name: string;
  level: Level;
  /** The organisation asked for; every combination is one of its own. */
  orgId: string;
  orgName: string;
  combinations: { orgId: string; soldToOrgId: string }[];
  /** Whose Designated Approvers decide: the organisation's, or its managing partner's (ACC-7). */
  decidingOrgId: string;
  status: AccessRequestStatus;
  createdAt: string;
  /** sha256 of the request id and the code: the code itself is never stored. */
  codeHash: string;
  codeExpiresAt: string;
  attempts: number;
  /** Idempotency-Key: the hash of the first request made with it. */
  requestHash?: string;
  confirmedAt?: string;
  caseNumber?: string;
  decision?: { approve: boolean; comment?: string; decidedBy: string; decidedAt: string; requestHash?: string };
  /** The user the approval granted to. */
  userId?: string;
  /** FLAG-2: when portal admins were told it had been pending over 48 hours. */
  overdueFlaggedAt?: string;
  /**
   * The directory could not match it (no such organisation, combination or
   * allowed level). Answered like any other request, but no code was mailed and none confirms it.
   */
  unmatched?: true;
}

/** Everything that resolves a user as a caller (kernel/caller.ts). */
export interface CallerSource {
  user: User;
  memberships: Membership[];
  /** The organisations the memberships name (end user and sold-to). */
  orgs: Org[];
  /** The combinations the memberships are held on, with their contracts. */
  combinations: Combination[];
}
