/**
 * NOTE-1, NOTE-2: per-user delivery of one event: who receives it, and on which channels.
 *
 * Recipients are found by Query on the subject's item collection only (never a Scan):
 * - case events: the case's subscriptions (CASE#<n> / SUB#<user>), and the case's contact when
 *   their `personalCases` toggle is on (the case names its contact: no index needed);
 * - an organisation's categories (ORG#<org> / SUB#<user>): a new critical case or one raised to
 *   critical (`newCritical`), the same for high (`newHigh`), an escalation request
 *   (`newEscalations`); alarms (with the user's severity filter and left-out origins), cloud
 *   incidents (only where the organisation has a cloud deployment), maintenance alerts;
 * - ACC-5 shortfall: the Designated Approvers the event itself names;
 * - staff (the case's owner, its support group, managers): staff-recipients.ts.
 *
 * The notifier finds the candidates and queues them in chunks (`fanOut`); the delivery function
 * tells each chunk's recipients (`deliverChunk`). Each candidate is re-read and re-checked against
 * the access policy then: subscriptions are the Designated Contacts' (a contact who lost that gets
 * nothing), case text needs the Terms (ACC-9), the text is the view of the recipient's own access
 * (PRIV-1), and a FedRAMP organisation's events are never pushed to a mobile device (PRIV-2).
 * Whoever made the change is not told of it.
 *
 * Channels: the inbox (always), push to each of the user's devices when their `push` toggle is
 * on, email (a mail queue job) when their `email` toggle is on. Each recipient is claimed in the
 * outbox ledger per event and user: a chunk delivered again, or queued again by a replayed stream
 * record, tells nobody twice.
 */
import { createHash } from 'node:crypto';
import { callersOf } from '../kernel/caller';
import { mapLimit } from '../kernel/concurrency';
import { composeCaseMail, composeNoticeMail } from '../mail/compose';
import { localWindow } from '../mail/local-time';
import type { MailJob, OutboundMail } from '../mail/ports';
import { CASE_NOTIFICATION_TYPES, type NotificationEvent } from './notifications';
import {
  accountAccess,
  caseAccess,
  hiddenOnClient,
  mayChangeSubscriptions,
  type Caller,
  type CaseAccess,
} from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { DeliveryChunk, Device, InboxItem, PushMessage, OrgCategory, Reason, RecipientSource } from './ports';
import { alarmWanted, hasCloudDeployment, notificationsOf } from './subscriptions';
import type { Org, Severity } from '../kernel/types';
import { renderFor } from '../kernel/rendered';
import { isStaffReason, STAFF_ONLY_EVENTS, staffCandidatesOf, staffReasonHolds } from './staff-recipients';
import { viewFor } from '../kernel/views';

/** NOTE-3: the inbox shows the last three days. */
export const INBOX_DAYS = 3;

export const CASE_EVENTS: ReadonlySet<NotificationEvent['eventType']> = new Set(CASE_NOTIFICATION_TYPES);

const RANK: Record<Severity, number> = { critical: 1, high: 2, medium: 3, low: 4 };

/**
 * NOTE-2: the organisation category a case event counts as. A case raised to critical (or to
 * high from below) is a new critical (high) case for its organisation's subscribers, as one
 * opened so; lowering a case is not.
 */
export const orgCategoryOf = (e: NotificationEvent): OrgCategory | undefined => {
  const category = (s: string | undefined): OrgCategory | undefined =>
    s === 'critical' ? 'newCritical' : s === 'high' ? 'newHigh' : undefined;
  if (e.eventType === 'case-created') return category(e.severity);
  if (e.eventType === 'severity-changed' && e.from && e.to && RANK[e.to as Severity] < RANK[e.from as Severity]) {
    return category(e.to);
  }
  if (e.eventType === 'escalation-requested') return 'newEscalations';
  return undefined;
};

/** The user whose own action the event is, when the images say (they need not be told). */
export const actorOf = (e: NotificationEvent): string | undefined => {
  switch (e.eventType) {
    case 'public-update':
      return e.update?.authorId;
    case 'escalation-requested':
      return e.case?.escalation?.requestedBy;
    case 'escalation-decided':
      return e.case?.escalation?.decidedBy;
    case 'closure-requested':
      return e.case?.closureRequest?.requestedBy;
    // The contact who opened a case, or whose reply reopened it, is not told.
    case 'case-created':
    case 'status-changed':
    case 'severity-changed':
    case 'case-closed':
      return e.case?.changedBy;
    default:
      return undefined;
  }
};

/** Candidates and their reasons, from Queries on the event's case or organisation. */
export const candidatesOf = async (deps: Pick<Deps, 'subscriptions' | 'notes'>, e: NotificationEvent, org: Org) => {
  const out = new Map<string, Set<Reason>>();
  const add = (userId: string, reason: Reason) => out.set(userId, (out.get(userId) ?? new Set()).add(reason));
  for (const [userId, reasons] of await staffCandidatesOf(deps, e)) for (const r of reasons) add(userId, r);
  if (STAFF_ONLY_EVENTS.has(e.eventType)) return out;
  if (CASE_EVENTS.has(e.eventType) && e.case) {
    // A case has no subscribers before it exists.
    if (e.eventType !== 'case-created') {
      for (const s of await deps.subscriptions.caseSubscribers(e.case.caseNumber)) add(s.userId, 'case-subscription');
    }
    add(e.case.contactId, 'personal-case');
    const category = orgCategoryOf(e);
    if (category) for (const s of await deps.subscriptions.orgSubscribers(org.orgId, category)) add(s.userId, category);
  } else if (e.eventType === 'alarm' && e.notice) {
    const alarm = { severity: e.notice.alarmSeverity ?? '', origin: e.notice.origin };
    for (const s of await deps.subscriptions.orgSubscribers(org.orgId, 'alarms')) {
      if (s.alarms && alarmWanted(s.alarms, alarm)) add(s.userId, 'alarms');
    }
  } else if (e.eventType === 'cloud-incident') {
    if (hasCloudDeployment(org)) {
      for (const s of await deps.subscriptions.orgSubscribers(org.orgId, 'cloudIncidents')) add(s.userId, 'cloudIncidents');
    }
  } else if (e.eventType === 'maintenance') {
    for (const s of await deps.subscriptions.orgSubscribers(org.orgId, 'maintenance')) add(s.userId, 'maintenance');
  } else if (e.eventType === 'designated-shortfall') {
    for (const userId of e.approvers ?? []) add(userId, 'approver');
  }
  return out;
};

export interface Recipient {
  caller: Caller;
  reasons: Reason[];
  /** What the recipient may see of the event's subject, as the policy decides now (web client). */
  access: CaseAccess;
}

/** The access check at send time: undefined when the candidate gets nothing. */
export const admit = (e: NotificationEvent, org: Org, caller: Caller, reasons: Iterable<Reason>): Recipient | undefined => {
  if (caller.kind !== 'user' || !caller.user) return undefined;
  const c = e.case;
  const isCase = CASE_EVENTS.has(e.eventType) && c !== undefined;
  // ACC-9: no case data before the Terms are accepted, in notifications too.
  if (isCase && !caller.termsAccepted) return undefined;
  const access = isCase ? caseAccess(caller, org) : accountAccess(caller, org);
  const toggles = notificationsOf(caller.user.settings);
  const kept = [...reasons].filter((r) => {
    if (isStaffReason(r)) return staffReasonHolds(r, e, caller, access);
    if (r === 'approver') return access !== 'none';
    if (r === 'personal-case')
      return toggles.personalCases && c?.contactId === caller.id && (access === 'read' || access === 'write');
    // NOTE-2, ACC-2: subscriptions are the Designated Contacts' (effective level now, ACC-4).
    return mayChangeSubscriptions(caller, org);
  });
  return kept.length ? { caller, reasons: kept, access } : undefined;
};

/** `2026-12-05 02:00 – 04:00 UTC`, or both days when the window spans midnight (UTC, ISO-like: unambiguous everywhere). */
export const windowText = (w: { start: string; end: string }): string => {
  const fmt = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
  const [start, end] = [fmt(w.start), fmt(w.end)];
  return start.slice(0, 10) === end.slice(0, 10) ? `${start} – ${end.slice(11)} UTC` : `${start} – ${end} UTC`;
};

const SEVERITY_WORD: Record<string, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

/**
 * The title (case numbers, enums, organisation names: nothing personal) and the body (the case's
 * subject, a monitoring notice's text) of an event.
 */
export const notificationText = (e: NotificationEvent, org: Org): { title: string; body: string } => {
  const c = e.case;
  const n = e.caseNumber ?? c?.caseNumber ?? '';
  const subject = c ? `${org.name}: ${c.subject}` : org.name;
  const sev = (s?: string) => SEVERITY_WORD[s ?? ''] ?? s ?? '';
  switch (e.eventType) {
    case 'case-created':
      return { title: `New ${sev(e.severity).toLowerCase()} case ${n}`, body: subject };
    case 'public-update':
      return { title: `Update on case ${n}`, body: subject };
    case 'status-changed':
      return { title: `Case ${n} is now ${String(e.to).replace('_', ' ')}`, body: subject };
    case 'case-closed':
      return { title: `Case ${n} was closed`, body: subject };
    case 'severity-changed': {
      const raised = RANK[e.to as Severity] < RANK[e.from as Severity];
      return { title: `Case ${n} ${raised ? 'raised' : 'lowered'} to ${sev(e.to)}`, body: subject };
    }
    case 'escalation-requested':
      return { title: `Escalation requested on case ${n}`, body: subject };
    case 'escalation-decided':
      return { title: `Escalation ${e.escalationStatus} on case ${n}`, body: subject };
    case 'closure-requested':
      return { title: `Closure requested on case ${n}`, body: subject };
    case 'needs-action-flagged':
      return { title: `Case ${n} is waiting for your reply`, body: subject };
    case 'chat-waiting':
      return { title: `A chat is waiting on case ${n}`, body: subject };
    case 'chat-callback':
      return { title: `Callback requested on case ${n}`, body: subject };
    case 'designated-shortfall':
      return {
        title: `${org.name} has ${e.designatedContacts ?? 'fewer than two'} Designated Contact${e.designatedContacts === 1 ? '' : 's'}`,
        body: 'Every organisation should have at least two Designated Contacts (ACC-5). Ask for access for another one in the portal.',
      };
    case 'alarm':
      return { title: `${sev(e.notice?.alarmSeverity)} alarm at ${org.name}`, body: e.notice?.title ?? '' };
    case 'cloud-incident':
      return { title: `Cloud incident at ${org.name}`, body: e.notice?.title ?? '' };
    case 'maintenance': {
      // ALARM-2: an alert says when; times are not personal data, so the title carries it.
      const when = e.notice?.window ? `: ${windowText(e.notice.window)}` : '';
      return {
        title: `Maintenance alert for ${org.name}${when}`,
        body: `${e.notice?.title ?? ''}${when ? `\n${when.slice(2)}` : ''}`,
      };
    }
  }
};

export const inboxItemOf = (e: NotificationEvent, org: Org, userId: string): InboxItem => {
  const { title, body } = notificationText(e, org);
  const caseNumber = e.caseNumber ?? e.case?.caseNumber;
  return {
    userId,
    notificationId: e.eventId,
    eventType: e.eventType,
    at: e.at,
    orgId: org.orgId,
    ...(caseNumber ? { caseNumber } : {}),
    ...(e.severity ? { severity: e.severity } : {}),
    title,
    body,
    fedramp: org.fedramp,
    keepUntil: new Date(Date.parse(e.at) + INBOX_DAYS * 86_400_000).toISOString(),
  };
};

/** What a push shows: the recipient's view of the item (PRIV-1), ids for the app to open it. */
export const pushMessageOf = (item: InboxItem, access: CaseAccess): PushMessage => {
  const shown = viewFor('inboxItem', item, access);
  return {
    title: shown.title,
    body: shown.body ?? '',
    data: {
      notificationId: item.notificationId,
      eventType: item.eventType,
      orgId: item.orgId,
      ...(item.caseNumber ? { caseNumber: item.caseNumber } : {}),
    },
  };
};

/**
 * Events the contact already gets case mail for (MAIL-1, FLAG-1, through the mail queue), and chat
 * transcripts, which CHAT-3 mails itself: no second "Update on case" copy.
 */
const mailedToContact = (e: NotificationEvent): boolean =>
  (e.eventType === 'public-update' && (e.update?.authorKind === 'staff' || e.update?.channel === 'chat')) ||
  ((e.eventType === 'status-changed' || e.eventType === 'case-closed') &&
    ['awaiting_info', 'solution_proposed', 'closed'].includes(String(e.to))) ||
  e.eventType === 'needs-action-flagged';

const REASON_TEXT: Record<Reason, string> = {
  'case-subscription': 'you follow this case',
  'personal-case': 'you opened this case and chose notifications for your cases',
  newCritical: "you chose this organisation's new critical cases",
  newHigh: "you chose this organisation's new high cases",
  newEscalations: "you chose this organisation's new escalations",
  cloudIncidents: "you chose this organisation's cloud incidents",
  alarms: 'you chose alarm notifications',
  maintenance: 'you chose maintenance alerts',
  approver: "you are this organisation's Designated Approver",
  'owned-case-reply': 'you own this case',
  'group-critical': "you are in this case's support group",
  'group-escalation': "you are in this case's support group",
  'manager-escalation': 'you are a manager',
  'chat-waiting': 'you own this case or are in its support group',
  'manager-callback': 'you are a manager',
};

export const notificationMail = async (
  deps: Pick<Deps, 'mailDomain' | 'replyKeys'>,
  e: NotificationEvent,
  item: InboxItem,
  to: string,
  reasons: Reason[],
  timeZone?: string,
): Promise<OutboundMail> => {
  // NOTE-4: a maintenance window in mail is in the recipient's zone (the inbox keeps UTC; clients format it).
  const w = e.notice?.window;
  const local = (s: string) => (w ? s.replaceAll(windowText(w), localWindow(w, timeZone)) : s);
  item = { ...item, title: local(item.title), body: local(item.body) };
  const text =
    `${item.title}\n\n${item.body}\n\n` +
    `You get this email because ${reasons.map((r) => REASON_TEXT[r]).join(' and ')}. ` +
    'Change your notification settings in the portal.';
  const domain = deps.mailDomain;
  // MAIL-1: mail from a case carries its Reference ID and a Reply-To token signed for this recipient.
  if (e.case)
    return composeCaseMail(e.case, domain, await deps.replyKeys(), { to: [to], subjectPrefix: `${item.title}: `, text });
  return composeNoticeMail(domain, {
    to: [to],
    subject: `[Casework] ${item.title}`,
    text,
    references: `<org-${item.orgId}@${domain}>`,
  });
};

/** An event as a mail job carries it: no update text (the mail shows the case's subject, never the update's body). */
const slim = (e: NotificationEvent): NotificationEvent => ({
  ...e,
  ...(e.update ? { update: { ...e.update, body: '', fullText: undefined, rawKey: undefined } } : {}),
  ...(e.case ? { case: { ...e.case, description: '' } } : {}),
});

/** The ledger keys of one event's deliveries: one per recipient, whatever their channels. */
export const deliveryKey = (eventId: string, userId: string) => `deliver#${eventId}#${userId}`;

export interface DeliverOptions {
  leaseUntil: Date;
  claimId: string;
}

export class DeliveryBusy extends Error {
  public constructor(keys: string[]) {
    super(
      `${keys.length} recipient(s) claimed by another run (${keys[0]}); the chunk's retry finds them done or their lease over`,
    );
    this.name = 'OutboxBusy';
  }
}

/** Recipients in one delivery queue message: few calls per chunk, and a chunk well inside the function's timeout. */
export const DELIVERY_CHUNK = 50;

/** Receipts of a chunk before SQS moves it to the dead-letter queue (a push service down for a while outlasts them). */
export const DELIVERY_MAX_RECEIVES = 5;

/** Recipients handled at once within a chunk, and device pushes in flight at once per recipient. */
export const DELIVERY_CONCURRENCY = 16;

/** A stable, short id of a device: its platform and token, hashed (the token itself never leaves). */
export const deviceIdOf = (platform: string, token: string): string =>
  createHash('sha256').update(`${platform}\n${token}`).digest('base64url').slice(0, 22);

/**
 * NOTE-1, NOTE-2: the notifier's half of per-user delivery: the event's candidates (Queries, as
 * above), less whoever made the change, in chunks for the delivery queue. Nobody is checked
 * here: the check is at send time, per chunk, as the recipients are then.
 */
export const recipientChunksOf = async (
  deps: Pick<Deps, 'subscriptions' | 'notes'>,
  e: NotificationEvent,
  org: Org,
): Promise<DeliveryChunk[]> => {
  const actor = actorOf(e);
  const recipients = [...(await candidatesOf(deps, e, org))]
    .filter(([userId]) => userId !== actor)
    .map(([userId, reasons]) => ({ userId, reasons: [...reasons] }));
  const event = slim(e);
  const chunks: DeliveryChunk[] = [];
  for (let i = 0; i < recipients.length; i += DELIVERY_CHUNK)
    chunks.push({ event, orgId: org.orgId, recipients: recipients.slice(i, i + DELIVERY_CHUNK) });
  return chunks;
};

/** Queues the event's recipients for delivery; resolves to how many were queued. Throws when a chunk was not queued. */
export const fanOut = async (
  deps: Pick<Deps, 'subscriptions' | 'notes' | 'deliveryQueue'>,
  e: NotificationEvent,
  org: Org,
): Promise<number> => {
  const chunks = await recipientChunksOf(deps, e, org);
  if (chunks.length) await deps.deliveryQueue.enqueue(chunks);
  return chunks.reduce((n, c) => n + c.recipients.length, 0);
};

/** What one recipient gets: their inbox item, their devices' pushes, their mail job. */
interface Plan {
  key: string;
  r: Recipient;
  item: InboxItem;
  push: boolean;
  /** The devices they hold, as read with them. */
  devices: Device[];
}

/** Pushes to each of the user's devices; a dead endpoint (NOTE-1: the token is no longer valid) removes the device. */
const pushTo = async (deps: Deps, p: Plan) => {
  const user = p.r.caller.user!;
  const message = renderFor('push', p.r.access, pushMessageOf(p.item, p.r.access));
  await mapLimit(p.devices, DELIVERY_CONCURRENCY, async (d) => {
    const sent = await deps.push.publish(d.endpointArn, d.platform, message);
    if (sent === 'disabled' && (await deps.notes.deleteDevice(d.deviceId, user.userId)))
      await deps.push.deleteEndpoint(d.endpointArn).catch(() => undefined);
  });
};

/**
 * The delivery function's half: one chunk of one event's recipients, each told once.
 *
 * Each recipient is claimed in the outbox ledger under the event and their id, the whole chunk in
 * one transaction per hundred; a recipient whose claim is `done` was told by an earlier delivery
 * of this chunk (a retried message, or the same chunk queued twice by a replayed stream record)
 * and is skipped. The claimed are read as callers, with their devices, in one batch (a
 * BatchGetItem of their caller snapshots and device lists) and checked now (admit: PRIV-1,
 * PRIV-2, ACC-9, the subscriber's level), then, in this order so that a failure repeats only what
 * is idempotent: mail jobs are queued (the mail consumer sends a key once), inbox items written
 * (keyed by event and user), pushes sent. The told are marked done together; a recipient whose
 * push failed is released, and the chunk throws, so its message comes back and retries them alone.
 *
 * Residual window, as the notifier's: a run that dies after pushing and before marking done
 * leaves claims that a retry takes over once their lease ends, and pushes those again; so does a
 * retry for a recipient with several devices of which one push failed.
 */
export const deliverChunk = async (deps: Deps, chunk: DeliveryChunk, opts: DeliverOptions): Promise<number> => {
  const e = chunk.event;
  const org = (await deps.directory.getOrgs([chunk.orgId]))[0];
  if (!org) throw new Error(`organisation ${chunk.orgId} of event ${e.eventId} not found`);
  const reasonsOf = new Map(chunk.recipients.map((r) => [r.userId, r.reasons]));
  const claims = await deps.outbox.claimAll(
    [...reasonsOf.keys()].map((userId) => deliveryKey(e.eventId, userId)),
    opts.claimId,
    deps.clock.now().toISOString(),
    opts.leaseUntil.toISOString(),
  );
  const claimed = [...reasonsOf.keys()].filter((userId) => claims.get(deliveryKey(e.eventId, userId)) === 'claimed');
  const busy = [...reasonsOf.keys()].filter((userId) => claims.get(deliveryKey(e.eventId, userId)) === 'busy');
  const read = claimed.length ? await deps.notes.recipientsOf(claimed) : new Map<string, RecipientSource>();
  const callers = callersOf(new Map([...read].map(([userId, r]) => [userId, r.source])), 'web');
  const plans: Plan[] = [];
  const skipped: string[] = [];
  for (const userId of claimed) {
    const caller = callers.get(userId);
    const r = caller && admit(e, org, caller, reasonsOf.get(userId)!);
    const key = deliveryKey(e.eventId, userId);
    if (!r) {
      skipped.push(key);
      continue;
    }
    const toggles = notificationsOf(r.caller.user!.settings);
    plans.push({
      key,
      r,
      item: inboxItemOf(e, org, userId),
      devices: read.get(userId)!.devices,
      // PRIV-2: FedRAMP organisations' events never reach a mobile device.
      push: toggles.push && !hiddenOnClient('mobile', org),
    });
  }
  const release = (keys: string[]) =>
    Promise.all(keys.map((key) => deps.outbox.release(key, opts.claimId).catch(() => undefined)));
  try {
    // CHAT-2: managers already get the callback alert by mail, with the number in it.
    const jobs = plans
      .filter((p) => {
        const user = p.r.caller.user!;
        const ownCaseMail = (e.case?.contactId === user.userId && mailedToContact(e)) || e.eventType === 'chat-callback';
        return notificationsOf(user.settings).email && user.email && !ownCaseMail;
      })
      .map((p): MailJob => ({
        kind: 'notification',
        key: `${p.key}#email`,
        at: e.at,
        event: e,
        userId: p.r.caller.user!.userId,
        reasons: p.r.reasons,
      }));
    // The mail queue renders each for the recipient as they are then, and retries it.
    if (jobs.length) await deps.mailQueue.enqueue(jobs);
    // Stored whole and viewed when listed (GET /notifications), for each recipient's access.
    if (plans.length) await deps.notes.putInboxItems(plans.map((p) => renderFor('inbox', p.r.access, p.item)));
  } catch (err) {
    await release([...plans.map((p) => p.key), ...skipped]);
    throw err;
  }
  const failed: { key: string; err: unknown }[] = [];
  await mapLimit(plans, DELIVERY_CONCURRENCY, async (p) => {
    if (!p.push) return;
    await pushTo(deps, p).catch((err: unknown) => failed.push({ key: p.key, err }));
  });
  const failedKeys = new Set(failed.map((f) => f.key));
  const told = plans.map((p) => p.key).filter((key) => !failedKeys.has(key));
  const now = deps.clock.now().toISOString();
  await deps.outbox.finishAll(told, opts.claimId, now, 'delivered');
  await deps.outbox.finishAll(skipped, opts.claimId, now, 'not-admitted');
  if (failed.length) {
    await release([...failedKeys]);
    throw failed[0].err;
  }
  if (busy.length) throw new DeliveryBusy(busy.map((userId) => deliveryKey(e.eventId, userId)));
  return told.length;
};

/** The organisation an event concerns (a case's, or the one the event names). */
export const orgIdOf = (e: NotificationEvent): string | undefined => e.orgId ?? e.case?.orgId ?? e.notice?.orgId;
