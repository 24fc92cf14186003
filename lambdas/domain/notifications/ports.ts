/** What notifications need from outside: subscriptions, inbox and devices, push, the integration topic. */
import type { CallerSource } from '../kernel/types';
import type { Page, PageRequest } from '../kernel/ports';
import type { Rendered } from '../kernel/rendered';
import type { AlarmFilter, Severity, StaffRole, UserSettings } from '../kernel/types';
import type { NotificationEvent, NotificationType } from './notifications';

export type SubscriptionSource = 'explicit' | 'favorite';

/** CASE#<n> / SUB#<userId>: an entry with no sources left is not a subscription. */
export interface CaseSubscription {
  caseNumber: string;
  userId: string;
  orgId: string;
  sources: SubscriptionSource[];
  createdAt: string;
  updatedAt: string;
}

export const ORG_CATEGORIES = ['newEscalations', 'newCritical', 'newHigh', 'cloudIncidents'] as const;
export type OrgCategory = (typeof ORG_CATEGORIES)[number];

export type OrgSubscriptionChoice = Record<OrgCategory, boolean>;

/** ORG#<orgId> / SUB#<userId>: the categories chosen, plus the user's alarm and maintenance mirror. */
export interface OrgSubscription extends OrgSubscriptionChoice {
  orgId: string;
  userId: string;
  /** Present while the user wants alarms of this organisation (ALARM-1), with their filter. */
  alarms?: AlarmFilter;
  /** Present (true) while the user wants maintenance alerts. */
  maintenance?: boolean;
  updatedAt: string;
}

/** What the mirror of a user's alarm and maintenance settings writes on one organisation. */
export interface OrgNotifyMirror {
  orgId: string;
  alarms: AlarmFilter | null;
  maintenance: boolean;
}

/** Why someone receives an event (a recipient may have several reasons). */
export type Reason = 'case-subscription' | 'personal-case' | OrgCategory | 'alarms' | 'maintenance' | 'approver' | StaffReason;

/** NOTE-1: why a staff member is told (staff-recipients.ts); each is re-checked on their profile at send time. */
export const STAFF_REASONS = [
  'owned-case-reply',
  'group-critical',
  'group-escalation',
  'manager-escalation',
  'chat-waiting',
  'manager-callback',
] as const;
export type StaffReason = (typeof STAFF_REASONS)[number];

/** One message for the integration topic; `id` is unique within a batch. */
export interface TopicMessage {
  id: string;
  body: string;
  attributes: Record<string, string>;
}

/** NOTE-1: the SNS topic integrations subscribe to. */
export interface IntegrationTopic {
  /** At most 10 messages (SNS PublishBatch); resolves to the ids SNS refused. Throws when the call fails. */
  publishBatch(messages: Rendered<TopicMessage>[]): Promise<{ failed: string[] }>;
}

/**
 * NOTE-2 subscriptions, in the subject's partition (CASE#<n> or ORG#<orgId>, SK SUB#<userId>):
 * the notifier finds an event's recipients with one Query (caseSubscribers, orgSubscribers).
 */
export interface SubscriptionRepo {
  /** Adds a source to the user's subscription of the case, creating it if needed. */
  addCaseSource(
    s: { caseNumber: string; userId: string; orgId: string },
    source: SubscriptionSource,
    at: string,
  ): Promise<CaseSubscription>;
  /** Removes the subscription whatever its sources (notifications off). */
  deleteCaseSubscription(caseNumber: string, userId: string): Promise<void>;
  getCaseSubscription(caseNumber: string, userId: string): Promise<CaseSubscription | undefined>;
  /** Every live subscription of a case (entries with no source left are skipped). */
  caseSubscribers(caseNumber: string): Promise<CaseSubscription[]>;
  getOrgSubscription(orgId: string, userId: string): Promise<OrgSubscription | undefined>;
  /** Sets the given categories (others keep their value, false when new) and the settings mirror. */
  putOrgSubscription(
    s: { orgId: string; userId: string },
    change: Partial<OrgSubscriptionChoice>,
    mirror: OrgNotifyMirror,
    at: string,
  ): Promise<OrgSubscription>;
  /** Users subscribed to one category of an organisation's events (alarms and maintenance included). */
  orgSubscribers(orgId: string, category: OrgCategory | 'alarms' | 'maintenance'): Promise<OrgSubscription[]>;
  /** NOTE-4: the user's settings and their mirror on each organisation, all or nothing. */
  saveSettings(userId: string, settings: UserSettings, mirrors: OrgNotifyMirror[], at: string): Promise<void>;
}

/** NOTE-1, NOTE-3: one notification in a user's inbox, as the notifier rendered it for them. */
export interface InboxItem {
  userId: string;
  /** The event's id: one item per event and user, however often the event is delivered. */
  notificationId: string;
  eventType: NotificationType;
  at: string;
  orgId: string;
  caseNumber?: string;
  severity?: Severity;
  /** Case numbers, enums and organisation names only (the restricted view keeps it). */
  title: string;
  /** May carry personal data (the case's subject, an alarm's text): full views only (PRIV-1). */
  body: string;
  /** PRIV-2: the organisation is FedRAMP, so mobile tokens are never served the item. */
  fedramp: boolean;
  /** NOTE-3: after this the item is gone (DynamoDB TTL deletes lazily, so reads compare too). */
  keepUntil: string;
}

export type PushPlatform = 'apns' | 'fcm';

/** NOTE-1: a device registered for push (POST /devices), owned by whoever registered its token last. */
export interface Device {
  deviceId: string;
  userId: string;
  platform: PushPlatform;
  /** The SNS platform endpoint. */
  endpointArn: string;
  createdAt: string;
}

/** A recipient as delivery reads them: what resolves them as a caller, and the devices they hold. */
export interface RecipientSource {
  source: CallerSource;
  devices: Device[];
}

export interface NotificationRepo {
  /** Many users' items of one event at once (a delivery chunk, whose recipients it has claimed): written whatever was there. */
  putInboxItems(items: Rendered<InboxItem>[]): Promise<void>;
  /** The user's items newest first, without those whose keepUntil is not after `now`. */
  listInbox(userId: string, now: string, page: PageRequest): Promise<Page<InboxItem>>;
  /**
   * Creates or takes over the device (the token's previous owner loses it). The user keeps at most
   * `max` devices: resolves to those removed to make room, oldest first (their endpoints are the caller's to delete).
   */
  putDevice(d: Device, max: number): Promise<Device[]>;
  getDevice(deviceId: string): Promise<Device | undefined>;
  /** Deletes the device only while `userId` still owns it; false when not (gone, or taken over). */
  deleteDevice(deviceId: string, userId: string): Promise<boolean>;
  userDevices(userId: string): Promise<Device[]>;
  /** A delivery chunk's recipients as they are now, read together (users the directory does not know are absent). */
  recipientsOf(userIds: string[]): Promise<Map<string, RecipientSource>>;
  /** NOTE-1: ids of the staff in a support group (an index: re-check the profile before telling them). */
  staffOfGroup(supportGroup: string): Promise<string[]>;
  /** NOTE-1: ids of the staff of a role (managers), the same way. */
  staffOfRole(role: StaffRole): Promise<string[]>;
}

/** What a push shows: title and body as the recipient may see them, and ids for the app to open. */
export interface PushMessage {
  title: string;
  body: string;
  data: Record<string, string>;
}

/** NOTE-1: mobile push (SNS platform endpoints for APNs and FCM; locally the push stand-in). */
export interface PushService {
  /** Whether this deployment has a platform application for it (a CDK parameter). */
  offers(platform: PushPlatform): boolean;
  /**
   * The platform endpoint for this token, created or reused (the same token registered again,
   * by this or another user, gets the same endpoint, enabled and marked as the user's).
   */
  createEndpoint(platform: PushPlatform, token: string, userId: string): Promise<string>;
  /** One push; `disabled` when the endpoint is disabled (the token is no longer valid). */
  publish(endpointArn: string, platform: PushPlatform, message: Rendered<PushMessage>): Promise<'sent' | 'disabled'>;
  deleteEndpoint(endpointArn: string): Promise<void>;
}

/**
 * NOTE-1, NOTE-2: one message of the delivery queue: an event (without its update's text) and a
 * chunk of its candidates, each with why they would be told; the delivery function checks them.
 */
export interface DeliveryChunk {
  event: NotificationEvent;
  orgId: string;
  recipients: { userId: string; reasons: Reason[] }[];
}

/** The delivery queue (SQS): the notifier queues chunks, the delivery function consumes them. */
export interface DeliveryQueue {
  /** Ten chunks to a SendMessageBatch; throws when one was not queued. */
  enqueue(chunks: DeliveryChunk[]): Promise<void>;
}
